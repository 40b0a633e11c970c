// A swarm whose torrent holds media made by ffmpeg (test/helpers/media.ts): the files are first
// written as deterministic data by startSwarm, then replaced by the media before the torrent is made.
// Files without a `source` stay data (filler that makes a torrent large).
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SwarmOptions } from './swarm.ts';

export interface SwarmFile {
  /** Path inside the torrent's root; for a single-file torrent, the torrent's name. */
  path: string;
  size: number;
  /** The file to copy in (its size must be `size`). */
  source?: string;
}

export interface MediaSwarmOptions {
  pieceLengthExp: number;
  uploadLimitBytesPerSec?: number;
}

export function mediaSwarm(name: string, files: readonly SwarmFile[], options: MediaSwarmOptions): SwarmOptions {
  return {
    name,
    files: files.map(({ path, size }) => ({ path, size })),
    pieceLengthExp: options.pieceLengthExp,
    uploadLimitBytesPerSec: options.uploadLimitBytesPerSec,
    rewrite: async (rootDir) => {
      for (const file of files) if (file.source) await copyFile(file.source, join(rootDir, file.path));
    },
  };
}

/** A single-file torrent of one media file. */
export function singleMediaSwarm(media: { path: string; bytes: number }, name: string, options: MediaSwarmOptions): SwarmOptions {
  return mediaSwarm(name, [{ path: name, size: media.bytes, source: media.path }], options);
}
