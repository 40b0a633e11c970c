// Hybrid v1+v2 torrents (BEP 52) carry two file lists: the v1 `files` (which we use) and the v2
// `file tree`. If they disagree, v1 and v2 peers would be sharing different content under one
// torrent, so such a torrent is refused rather than loaded as v1 (libtorrent does the same).

import { describeBValue, isBDict, isBytes, latin1Encode, type BDict } from '../bencode/index.ts';
import { MetainfoError } from './errors.ts';
import { sanitizePathElement } from './sanitize-path.ts';
import type { TorrentFile } from './types.ts';

interface TreeFile {
  segments: string[];
  length: number;
}

/** Throws unless the v2 file tree lists the same files, in order, as the v1 file list. */
export function checkHybridFiles(info: BDict, name: string, v1Files: TorrentFile[], isSingleFile: boolean): void {
  const tree = info.get('file tree');
  if (!isBDict(tree)) {
    throw new MetainfoError('invalid_file', `the v2 file tree is ${describeBValue(tree)}, not a dictionary`);
  }
  const treeFiles: TreeFile[] = [];
  walkTree(tree, isSingleFile ? [] : [name], treeFiles);
  const v1Real = v1Files.filter((file) => !file.padding);
  const consistent =
    treeFiles.length === v1Real.length &&
    treeFiles.every((treeFile, i) => {
      const v1File = v1Real[i]!;
      return treeFile.length === v1File.length && treeFile.segments.join('/') === v1File.pathSegments.join('/');
    });
  if (!consistent) {
    throw new MetainfoError('inconsistent_files', "the torrent's v1 and v2 file lists disagree");
  }
}

// BEP 52: a directory maps names to entries; a file is a directory holding only the key "",
// whose value is a dict with `length` (and `pieces root`, `attr`).
function walkTree(directory: BDict, prefix: string[], out: TreeFile[]): void {
  for (const [key, entry] of directory) {
    if (key === '' || !isBDict(entry)) {
      throw new MetainfoError('invalid_file', `the v2 file tree has a malformed entry under "${prefix.join('/')}"`);
    }
    const segment = sanitizePathElement(latin1Encode(key), true)!;
    const leaf = entry.size === 1 ? entry.get('') : undefined;
    if (leaf === undefined) {
      walkTree(entry, [...prefix, segment], out);
      continue;
    }
    if (!isBDict(leaf)) throw new MetainfoError('invalid_file', `the v2 file tree entry "${key}" is malformed`);
    const attr = leaf.get('attr');
    const isSymlink = isBytes(attr) && attr.includes(0x6c); // 'l'
    const length = leaf.get('length');
    if (!isSymlink && (typeof length !== 'number' || length < 0)) {
      throw new MetainfoError('invalid_length', `the v2 file tree entry "${key}" has no valid length`);
    }
    out.push({ segments: [...prefix, segment], length: isSymlink ? 0 : (length as number) });
  }
}
