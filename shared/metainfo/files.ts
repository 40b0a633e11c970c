// The file list of a v1 info dict (BEP 3), with BEP 47 attributes (pad files, symlinks).
// Every path is sanitised (sanitize-path.ts); lengths are checked; offsets are computed.

import { describeBValue, isBDict, isBytes, type BDict, type BValue } from '../bencode/index.ts';
import { MetainfoError } from './errors.ts';
import { sanitizePathElement } from './sanitize-path.ts';
import type { TorrentFile } from './types.ts';

/** 2^50 bytes (1 PiB): far beyond any real torrent, and safely inside a JS number. */
export const MAX_TOTAL_BYTES = 2 ** 50;
export const MAX_FILE_COUNT = 1_000_000;
// BitComet marks pad files by name rather than by BEP 47's attr 'p'.
const BITCOMET_PAD_MARKER = '_____padding_file_';

/** Lists the files of a multi-file (`files`) or single-file (`length`) info dict. */
export function extractFiles(info: BDict, name: string, rawName: Uint8Array): TorrentFile[] {
  const filesValue = info.get('files');
  if (filesValue === undefined) return [singleFile(info, rawName)];
  if (!Array.isArray(filesValue)) {
    throw new MetainfoError('invalid_file', `the file list is ${describeBValue(filesValue)}, not a list`);
  }
  if (filesValue.length > MAX_FILE_COUNT) {
    throw new MetainfoError('too_many_files', `the torrent lists ${filesValue.length} files; at most ${MAX_FILE_COUNT} are supported`);
  }
  const files: TorrentFile[] = [];
  let offset = 0;
  for (let index = 0; index < filesValue.length; index++) {
    const file = multiFileEntry(filesValue[index]!, index, name, offset);
    offset += file.length;
    if (offset > MAX_TOTAL_BYTES) {
      throw new MetainfoError('invalid_length', `the torrent is larger than ${MAX_TOTAL_BYTES} bytes`);
    }
    files.push(file);
  }
  return files;
}

function singleFile(info: BDict, rawName: Uint8Array): TorrentFile {
  const segment = sanitizePathElement(rawName, false);
  if (segment === undefined) throw new MetainfoError('missing_name', 'the torrent has no usable file name');
  const attributes = attributesOf(info);
  const length = attributes.includes('l') ? 0 : fileLength(info, 0);
  return {
    index: 0,
    path: segment,
    pathSegments: [segment],
    length,
    offset: 0,
    padding: attributes.includes('p') || segment.includes(BITCOMET_PAD_MARKER),
  };
}

function multiFileEntry(entry: BValue, index: number, name: string, offset: number): TorrentFile {
  if (!isBDict(entry)) {
    throw new MetainfoError('invalid_file', `file ${index} is ${describeBValue(entry)}, not a dictionary`);
  }
  const attributes = attributesOf(entry);
  const isSymlink = attributes.includes('l');
  // BEP 47: a symlink takes no space in the torrent's data, whatever length it claims.
  const length = isSymlink ? 0 : fileLength(entry, index);
  const rawPath = preferUtf8(entry, 'path', Array.isArray);
  let segments: string[];
  if (Array.isArray(rawPath) && rawPath.length > 0) {
    segments = [name, ...sanitizeElements(rawPath, index, 'path', true)];
  } else if (attributes.includes('p')) {
    segments = [name, '.pad', String(length)]; // BEP 47 pad files may omit their path
  } else {
    throw new MetainfoError('missing_name', `file ${index} has no path`);
  }
  const path = segments.join('/');
  const file: TorrentFile = {
    index,
    path,
    pathSegments: segments,
    length,
    offset,
    padding: attributes.includes('p') || path.includes(BITCOMET_PAD_MARKER),
  };
  const target = isSymlink ? preferUtf8(entry, 'symlink path', Array.isArray) : undefined;
  if (Array.isArray(target)) {
    file.symlinkTarget = [name, ...sanitizeElements(target, index, 'symlink path', false)].join('/');
  }
  return file;
}

/** Sanitises a path list; the last element is the file name and is never dropped. */
function sanitizeElements(elements: BValue[], index: number, key: string, lastIsFileName: boolean): string[] {
  const segments: string[] = [];
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    if (!isBytes(element)) {
      throw new MetainfoError('invalid_name', `file ${index} has a ${key} element that is ${describeBValue(element)}, not a string`);
    }
    const segment = sanitizePathElement(element, lastIsFileName && i === elements.length - 1);
    if (segment !== undefined) segments.push(segment);
  }
  return segments;
}

function fileLength(entry: BDict, index: number): number {
  const length = entry.get('length');
  if (typeof length !== 'number') {
    throw new MetainfoError('invalid_length', `file ${index} has ${length === undefined ? 'no length' : 'a length that is not an integer'}`);
  }
  if (length < 0) throw new MetainfoError('invalid_length', `file ${index} has a negative length (${length})`);
  if (length > MAX_TOTAL_BYTES) {
    throw new MetainfoError('invalid_length', `file ${index} is larger than ${MAX_TOTAL_BYTES} bytes`);
  }
  return length;
}

/** BEP 47 attribute letters ('p' pad, 'l' symlink, 'x' executable, 'h' hidden). */
function attributesOf(entry: BDict): string {
  const attr = entry.get('attr');
  return isBytes(attr) ? String.fromCharCode(...attr.subarray(0, 16)) : '';
}

/**
 * `key.utf-8` when present with the right type (some old clients wrote the local code page in
 * `key` and UTF-8 in `key.utf-8`), else `key`.
 */
export function preferUtf8(dict: BDict, key: string, isWanted: (value: BValue | undefined) => boolean): BValue | undefined {
  const utf8Value = dict.get(`${key}.utf-8`);
  return isWanted(utf8Value) ? utf8Value : dict.get(key);
}
