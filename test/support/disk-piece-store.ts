// A Node PieceStore that writes verified pieces into one file at their torrent offsets (bench and
// big interop runs: memory stays flat however large the torrent). Records stay in memory.
import { open, type FileHandle } from 'node:fs/promises';
import type { PieceStore, TorrentRecord } from '../../web/worker/piece-store.ts';

const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export class DiskPieceStore implements PieceStore {
  pendingBytes = 0;
  private file?: Promise<FileHandle>;
  private readonly writes = new Set<Promise<void>>();
  private readonly stored = new Set<number>();
  private readonly records = new Map<string, TorrentRecord>();

  constructor(private readonly path: string, private readonly pieceLength: number) {}

  async putPiece(_infoHashHex: string, index: number, bytes: Uint8Array): Promise<void> {
    this.file ??= open(this.path, 'w+');
    const handle = await this.file;
    this.pendingBytes += bytes.length;
    const write = handle.write(bytes, 0, bytes.length, index * this.pieceLength).then(() => {
      this.pendingBytes -= bytes.length;
      this.stored.add(index);
      this.writes.delete(write);
    });
    this.writes.add(write);
    // Accept at once unless the disk is behind: then the caller waits, and so does the download.
    if (this.pendingBytes > MAX_PENDING_BYTES) await write;
  }

  async getPiece(_infoHashHex: string, index: number): Promise<Uint8Array | undefined> {
    if (!this.stored.has(index) || !this.file) return undefined;
    const handle = await this.file;
    const buffer = new Uint8Array(this.pieceLength);
    const { bytesRead } = await handle.read(buffer, 0, this.pieceLength, index * this.pieceLength);
    return buffer.subarray(0, bytesRead);
  }

  async storedPieces(): Promise<number[]> {
    return [...this.stored];
  }

  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  async deleteTorrent(): Promise<void> {
    this.stored.clear();
  }

  async putRecord(record: TorrentRecord): Promise<void> {
    this.records.set(record.infoHashHex, record);
  }

  async getRecord(infoHashHex: string): Promise<TorrentRecord | undefined> {
    return this.records.get(infoHashHex);
  }

  async listRecords(): Promise<TorrentRecord[]> {
    return [...this.records.values()];
  }

  async close(): Promise<void> {
    await this.flush();
    await (await this.file)?.close();
  }
}
