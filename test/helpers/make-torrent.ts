// .torrent files for tests, made by Debian's mktorrent (an independent implementation, milliseconds
// for small data). mktorrent refuses to overwrite, so an existing outFile is removed first. Each
// tracker becomes a tier of its own (-a per URL); empty files are listed with length 0; a single empty
// file gives a torrent with 0 pieces (valid for mktorrent, a hostile case for a client).
import { rm } from 'node:fs/promises';
import { runCommand } from './proc.ts';
import { readTorrentFile, type TorrentSummary } from './torrent-file.ts';

export interface MakeTorrentOptions {
  /** A file (single-file torrent) or a directory (multi-file torrent named after it). */
  sourcePath: string;
  outFile: string;
  /** log2 of the piece length: 15 → 32 KiB, 18 → 256 KiB, 20 → 1 MiB. mktorrent accepts 15..28. */
  pieceLengthExp: number;
  /** Announce URLs; the first is also "announce". */
  trackers?: readonly string[];
  /** BEP 19 web seed URLs (url-list). */
  webSeeds?: readonly string[];
  private?: boolean;
  /** Torrent name; defaults to the base name of sourcePath. */
  name?: string;
}

export interface MadeTorrent extends TorrentSummary {
  torrentPath: string;
}

export async function makeTorrent(options: MakeTorrentOptions): Promise<MadeTorrent> {
  const args = ['-l', String(options.pieceLengthExp), '-d', '-o', options.outFile];
  for (const tracker of options.trackers ?? []) args.push('-a', tracker);
  for (const webSeed of options.webSeeds ?? []) args.push('-w', webSeed);
  if (options.private) args.push('-p');
  if (options.name) args.push('-n', options.name);
  args.push(options.sourcePath);
  await rm(options.outFile, { force: true });
  await runCommand('mktorrent', args, { label: 'mktorrent', timeoutMs: 120_000 });
  const summary = await readTorrentFile(options.outFile);
  return { ...summary, torrentPath: options.outFile };
}
