// Storage errors carry the operation that failed; a full quota is its own type, because it stops a
// torrent with a message the user can act on, while other failures only lose the pieces involved.

/** Storage failed for a reason other than a full quota. Names the operation. */
export class StorageError extends Error {
  override name = 'StorageError';
}

/** The browser refused to store more for this site (a QuotaExceededError). */
export class StorageFullError extends StorageError {
  override name = 'StorageFullError';
  constructor(
    message = "The browser's storage for this site is full: free some space (remove finished torrents) or allow more storage.",
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function toStorageError(operation: string, cause: unknown): StorageError {
  if (isQuotaExceeded(cause)) return new StorageFullError(undefined, { cause });
  return new StorageError(`${operation} failed: ${describeCause(cause)}`, { cause });
}

/** True for a QuotaExceededError, also when wrapped (an event's target, `error` or `cause`). */
export function isQuotaExceeded(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const fields = error as { name?: unknown; error?: unknown; cause?: unknown; target?: unknown };
  if (fields.name === 'QuotaExceededError') return true;
  return [fields.error, fields.cause, fields.target].some((inner) => isQuotaExceeded(inner, depth + 1));
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message ? `${cause.name}: ${cause.message}` : cause.name;
  if (cause === null || cause === undefined) return 'unknown error (the transaction was aborted)';
  return String(cause);
}
