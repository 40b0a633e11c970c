// Two files of a torrent must not land on the same path (nor a file on a directory): one would
// overwrite the other. Like libtorrent, rename later duplicates "name.N.ext", comparing paths
// case-insensitively (Windows and macOS disks are), and give up on torrents built to make that
// renaming expensive.

import { MetainfoError } from './errors.ts';
import type { TorrentFile } from './types.ts';

/** libtorrent's default max_duplicate_filenames: total failed rename attempts before giving up. */
export const MAX_DUPLICATE_COLLISIONS = 1000;

/** The names taken in one directory (folded case), each a directory of its own (empty for a file). */
type Directory = Map<string, Directory>;

/**
 * Renames files in place so that all paths differ. Paths live in a tree of directories rather than
 * a set of joined strings: a file 20,000 directories deep made the set cost 17 s (every prefix
 * joined, folded and hashed); the tree costs one step per path element.
 */
export function resolveDuplicatePaths(files: TorrentFile[]): void {
  const root: Directory = new Map();
  // Directories first, so no file may take a directory's name.
  for (const file of files) directoryOf(root, file.pathSegments);
  let collisions = 0;
  for (const file of files) {
    if (file.padding) continue; // pad files are never written, so they cannot clash
    const directory = directoryOf(root, file.pathSegments);
    const fileName = file.pathSegments[file.pathSegments.length - 1]!;
    if (!directory.has(foldCase(fileName))) {
      directory.set(foldCase(fileName), new Map());
      continue;
    }
    const dot = fileName.lastIndexOf('.');
    const stem = dot < 0 ? fileName : fileName.slice(0, dot);
    const extension = dot < 0 ? '' : fileName.slice(dot);
    for (let counter = 1; ; counter++) {
      const candidate = `${stem}.${counter}${extension}`;
      if (!directory.has(foldCase(candidate))) {
        directory.set(foldCase(candidate), new Map());
        file.pathSegments = [...file.pathSegments.slice(0, -1), candidate];
        file.path = file.pathSegments.join('/');
        break;
      }
      if (++collisions > MAX_DUPLICATE_COLLISIONS) {
        throw new MetainfoError('too_many_duplicate_filenames', `too many files share the name "${file.path}"`);
      }
    }
  }
}

/** The directory holding a path's last element, created (with its parents) if missing. */
function directoryOf(root: Directory, pathSegments: readonly string[]): Directory {
  let directory = root;
  for (let depth = 0; depth < pathSegments.length - 1; depth++) {
    const name = foldCase(pathSegments[depth]!);
    let child = directory.get(name);
    if (!child) {
      child = new Map();
      directory.set(name, child);
    }
    directory = child;
  }
  return directory;
}

/** ASCII-only lower case, as libtorrent compares (locale-free, so every client agrees). */
function foldCase(path: string): string {
  return path.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
