// Two files of a torrent must not land on the same path (nor a file on a directory): one would
// overwrite the other. Like libtorrent, rename later duplicates "name.N.ext", comparing paths
// case-insensitively (Windows and macOS disks are), and give up on torrents built to make that
// renaming expensive.

import { MetainfoError } from './errors.ts';
import type { TorrentFile } from './types.ts';

/** libtorrent's default max_duplicate_filenames: total failed rename attempts before giving up. */
export const MAX_DUPLICATE_COLLISIONS = 1000;

/** Renames files in place so that all paths differ. */
export function resolveDuplicatePaths(files: TorrentFile[]): void {
  const taken = new Set<string>();
  for (const file of files) {
    // Directories first, so no file may take a directory's name.
    for (let depth = 1; depth < file.pathSegments.length; depth++) {
      taken.add(foldCase(file.pathSegments.slice(0, depth).join('/')));
    }
  }
  let collisions = 0;
  for (const file of files) {
    if (file.padding) continue; // pad files are never written, so they cannot clash
    if (!taken.has(foldCase(file.path))) {
      taken.add(foldCase(file.path));
      continue;
    }
    const fileName = file.pathSegments[file.pathSegments.length - 1]!;
    const dot = fileName.lastIndexOf('.');
    const stem = dot < 0 ? fileName : fileName.slice(0, dot);
    const extension = dot < 0 ? '' : fileName.slice(dot);
    const directory = file.pathSegments.slice(0, -1);
    for (let counter = 1; ; counter++) {
      const candidate = [...directory, `${stem}.${counter}${extension}`];
      const key = foldCase(candidate.join('/'));
      if (!taken.has(key)) {
        taken.add(key);
        file.pathSegments = candidate;
        file.path = candidate.join('/');
        break;
      }
      if (++collisions > MAX_DUPLICATE_COLLISIONS) {
        throw new MetainfoError('too_many_duplicate_filenames', `too many files share the name "${file.path}"`);
      }
    }
  }
}

/** ASCII-only lower case, as libtorrent compares (locale-free, so every client agrees). */
function foldCase(path: string): string {
  return path.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
