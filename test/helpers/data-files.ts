// Deterministic pseudo-random file content, streamed to disk in 1 MiB blocks (never a whole file in
// memory). The bytes are an AES-128-CTR keystream keyed by sha256(seed + ":" + relative path), so two
// files of one torrent differ, a rerun writes the same bytes, and any range can be recomputed alone
// (expectedBytes) without reading the file — ~1 GB/s on one core.
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { once } from 'node:events';

const BLOCK_BYTES = 1 << 20;
const AES_BLOCK_BYTES = 16;
const ZEROS = Buffer.alloc(BLOCK_BYTES);

export interface DataFileSpec {
  /** Path relative to the root directory, with '/' separators; may include sub-directories. */
  path: string;
  /** Size in bytes; 0 makes an empty file. */
  size: number;
}

export interface WrittenFile extends DataFileSpec {
  absPath: string;
}

function keyFor(seed: string, relPath: string): Buffer {
  return createHash('sha256').update(`${seed}:${relPath}`).digest().subarray(0, 16);
}

/** The CTR counter block for a byte offset that is a multiple of 16. */
function counterAt(byteOffset: number): Buffer {
  const iv = Buffer.alloc(AES_BLOCK_BYTES);
  iv.writeBigUInt64BE(BigInt(byteOffset / AES_BLOCK_BYTES), 8);
  return iv;
}

/** The bytes [offset, offset + length) of the file `relPath` written with `seed`. */
export function expectedBytes(seed: string, relPath: string, offset: number, length: number): Buffer {
  const alignedOffset = offset - (offset % AES_BLOCK_BYTES);
  const skip = offset - alignedOffset;
  const cipher = createCipheriv('aes-128-ctr', keyFor(seed, relPath), counterAt(alignedOffset));
  const stream = cipher.update(Buffer.alloc(skip + length));
  return stream.subarray(skip, skip + length);
}

/** Writes one file of `size` deterministic bytes; `relPath` picks the stream (see expectedBytes). */
export async function writeDataFile(absPath: string, size: number, seed: string, relPath: string): Promise<void> {
  await mkdir(dirname(absPath), { recursive: true });
  const out = createWriteStream(absPath);
  const cipher = createCipheriv('aes-128-ctr', keyFor(seed, relPath), counterAt(0));
  let remaining = size;
  while (remaining > 0) {
    const blockBytes = Math.min(BLOCK_BYTES, remaining);
    const block = cipher.update(blockBytes === BLOCK_BYTES ? ZEROS : ZEROS.subarray(0, blockBytes));
    remaining -= blockBytes;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

/** Writes every file under `rootDir` (created if needed). Default seed: 'tabtorrent'. */
export async function writeDataFiles(rootDir: string, files: readonly DataFileSpec[], seed = 'tabtorrent'): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  for (const file of files) {
    const absPath = join(rootDir, ...file.path.split('/'));
    await writeDataFile(absPath, file.size, seed, file.path);
    written.push({ ...file, absPath });
  }
  return written;
}

/** SHA-256 of a file as lower-case hex, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: BLOCK_BYTES })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** SHA-256 of the content writeDataFile produces, computed without touching the disk. */
export function expectedSha256(seed: string, relPath: string, size: number): string {
  const hash = createHash('sha256');
  const cipher = createCipheriv('aes-128-ctr', keyFor(seed, relPath), counterAt(0));
  for (let done = 0; done < size; done += BLOCK_BYTES) {
    const blockBytes = Math.min(BLOCK_BYTES, size - done);
    hash.update(cipher.update(blockBytes === BLOCK_BYTES ? ZEROS : ZEROS.subarray(0, blockBytes)));
  }
  return hash.digest('hex');
}

/** Flips (XOR 0xff) the byte at each offset, in place — turns a good copy into a lying peer's copy. */
export async function corruptFile(path: string, byteOffsets: readonly number[]): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const one = Buffer.alloc(1);
    for (const offset of byteOffsets) {
      await handle.read(one, 0, 1, offset);
      one[0] = one[0]! ^ 0xff;
      await handle.write(one, 0, 1, offset);
    }
  } finally {
    await handle.close();
  }
}
