// Getting finished files out of the tab: one file as a download (a Blob made of stored pieces),
// or every finished file into a folder through the File System Access API, streamed piece by
// piece — never the whole file in memory.
import type { FileView } from './engine-client.ts';
import { baseName } from './format.ts';

const REVOKE_AFTER_MS = 60_000;

/** The part of EngineClient this module needs. */
export interface FileBlobSource {
  fileBlob(infoHashHex: string, fileIndex: number): Promise<Blob>;
}

export function isComplete(file: FileView): boolean {
  return file.doneBytes >= file.length;
}

/** Starts a browser download of `blob` under the file's base name. */
export function downloadBlob(blob: Blob, path: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = baseName(path);
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started reading the Blob by then; revoking early would cut it off.
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

export async function saveFile(source: FileBlobSource, infoHashHex: string, file: Pick<FileView, 'index' | 'path'>): Promise<void> {
  const blob = await source.fileBlob(infoHashHex, file.index);
  downloadBlob(blob, file.path);
}

type DirectoryPicker = (options?: { id?: string; mode?: 'read' | 'readwrite' }) => Promise<FileSystemDirectoryHandle>;

export function directoryPicker(): DirectoryPicker | undefined {
  const picker = (window as unknown as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof picker === 'function' ? picker.bind(window) : undefined;
}

export function canSaveToFolder(): boolean {
  return directoryPicker() !== undefined;
}

/**
 * Asks for a folder. Call it synchronously inside the click handler (the browser wants a user
 * gesture). Resolves undefined when the user cancels.
 */
export async function pickFolder(): Promise<FileSystemDirectoryHandle | undefined> {
  const picker = directoryPicker();
  if (!picker) throw new Error('this browser cannot write into folders; use the Save buttons instead');
  try {
    return await picker({ id: 'tabtorrent-save', mode: 'readwrite' });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    throw error;
  }
}

export interface SaveAllResult {
  saved: number;
  failed: { path: string; error: string }[];
}

/** Writes every complete, non-padding file under `folder`, creating sub-folders as needed. */
export async function saveAllToFolder(
  source: FileBlobSource, infoHashHex: string, files: FileView[], folder: FileSystemDirectoryHandle,
): Promise<SaveAllResult> {
  const result: SaveAllResult = { saved: 0, failed: [] };
  for (const file of files) {
    if (file.padding || !isComplete(file)) continue;
    try {
      await writeFile(source, infoHashHex, file, folder);
      result.saved++;
    } catch (error) {
      result.failed.push({ path: file.path, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}

async function writeFile(source: FileBlobSource, infoHashHex: string, file: FileView, folder: FileSystemDirectoryHandle): Promise<void> {
  const parts = safePathParts(file.path);
  const fileName = parts.pop();
  if (!fileName) throw new Error('the file has no name');
  let directory = folder;
  for (const part of parts) directory = await directory.getDirectoryHandle(part, { create: true });
  const handle = await directory.getFileHandle(fileName, { create: true });
  const blob = await source.fileBlob(infoHashHex, file.index);
  // pipeTo closes the writable when the stream ends, and aborts it on error.
  await blob.stream().pipeTo(await handle.createWritable());
}

/** Path segments that cannot climb out of the chosen folder ("..", "." and empty ones are dropped). */
export function safePathParts(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.' && part !== '..');
}
