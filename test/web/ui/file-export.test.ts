import { describe, expect, it } from 'vitest';
import { safePathParts, saveAllToFolder } from '../../../web/ui/file-export.ts';
import type { FileView } from '../../../web/ui/engine-client.ts';

/** A folder in memory with the few FileSystemDirectoryHandle methods saveAllToFolder uses. */
class FakeFolder {
  readonly folders = new Map<string, FakeFolder>();
  readonly files = new Map<string, string>();
  constructor(readonly name: string) {}
  async getDirectoryHandle(name: string): Promise<FakeFolder> {
    if (!this.folders.has(name)) this.folders.set(name, new FakeFolder(name));
    return this.folders.get(name)!;
  }
  async getFileHandle(name: string) {
    return {
      createWritable: async () => {
        const chunks: Uint8Array[] = [];
        return new WritableStream<Uint8Array>({
          write: (chunk) => { chunks.push(chunk); },
          close: () => { this.files.set(name, Buffer.concat(chunks).toString()); },
        });
      },
    };
  }
}

function file(index: number, path: string, length: number, doneBytes: number, padding = false): FileView {
  return { index, path, length, doneBytes, selected: true, priority: 'normal', padding };
}

describe('saveAllToFolder', () => {
  it('writes complete, non-padding files into sub-folders and skips the rest', async () => {
    const root = new FakeFolder('downloads');
    const source = { fileBlob: async (_hex: string, index: number) => new Blob([`file ${index}`]) };
    const files = [
      file(0, 'multi/a.txt', 6, 6),
      file(1, 'multi/.pad/10', 10, 10, true),
      file(2, 'multi/sub/b.bin', 6, 6),
      file(3, 'multi/sub/partial.bin', 6, 3),
      file(4, 'multi/empty', 0, 0),
    ];
    const result = await saveAllToFolder(source, 'aa', files, root as unknown as FileSystemDirectoryHandle);
    expect(result).toEqual({ saved: 3, failed: [] });
    const multi = root.folders.get('multi')!;
    expect(multi.files.get('a.txt')).toBe('file 0');
    expect(multi.files.get('empty')).toBe('file 4');
    expect(multi.folders.get('sub')!.files.get('b.bin')).toBe('file 2');
    expect(multi.folders.get('sub')!.files.has('partial.bin')).toBe(false);
    expect(multi.folders.has('.pad')).toBe(false);
  });

  it('reports a file that could not be read and goes on', async () => {
    const root = new FakeFolder('downloads');
    const source = {
      fileBlob: async (_hex: string, index: number) => {
        if (index === 0) throw new Error('piece 3 is missing from storage');
        return new Blob(['ok']);
      },
    };
    const result = await saveAllToFolder(source, 'aa', [file(0, 'a', 1, 1), file(1, 'b', 2, 2)], root as unknown as FileSystemDirectoryHandle);
    expect(result).toEqual({ saved: 1, failed: [{ path: 'a', error: 'piece 3 is missing from storage' }] });
  });
});

describe('safePathParts', () => {
  it('drops segments that could climb out of the folder', () => {
    expect(safePathParts('multi/sub/b.bin')).toEqual(['multi', 'sub', 'b.bin']);
    expect(safePathParts('../../etc/passwd')).toEqual(['etc', 'passwd']);
    expect(safePathParts('a//./b')).toEqual(['a', 'b']);
  });
});
