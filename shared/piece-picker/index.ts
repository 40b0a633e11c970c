// Rarest-first piece picker with deadlines and a sequential mode (see picker.ts for the picking order).
export * from './deadlines.ts';
export * from './geometry.ts';
export * from './partial-piece.ts';
export * from './picker.ts';
