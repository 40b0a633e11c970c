// Rarest-first piece picker (see picker.ts for the picking order).
export * from './geometry.ts';
export * from './partial-piece.ts';
export * from './picker.ts';
