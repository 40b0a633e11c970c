import type { PieceStore, TorrentRecord } from './piece-store.ts';

/** A PieceStore in memory, for tests. Not for real use: it holds everything it is given. */
export class MemoryPieceStore implements PieceStore {
  readonly pendingBytes = 0;
  private readonly pieces = new Map<string, Uint8Array>();
  private readonly records = new Map<string, TorrentRecord>();

  async putPiece(infoHashHex: string, index: number, bytes: Uint8Array): Promise<void> {
    this.pieces.set(`${infoHashHex}/${index}`, bytes);
  }
  async getPiece(infoHashHex: string, index: number): Promise<Uint8Array | undefined> {
    return this.pieces.get(`${infoHashHex}/${index}`);
  }
  async storedPieces(infoHashHex: string): Promise<number[]> {
    const prefix = `${infoHashHex}/`;
    return [...this.pieces.keys()].filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length)));
  }
  async flush(): Promise<void> {}
  async deleteTorrent(infoHashHex: string, pieceCount: number): Promise<void> {
    for (let i = 0; i < pieceCount; i++) this.pieces.delete(`${infoHashHex}/${i}`);
    this.records.delete(infoHashHex);
  }
  async putRecord(record: TorrentRecord): Promise<void> {
    this.records.set(record.infoHashHex, structuredClone(record));
  }
  async getRecord(infoHashHex: string): Promise<TorrentRecord | undefined> {
    return this.records.get(infoHashHex);
  }
  async listRecords(): Promise<TorrentRecord[]> {
    return [...this.records.values()];
  }
}
