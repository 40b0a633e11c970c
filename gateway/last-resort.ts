// What the gateway does with a failure nobody handled: log it with its stack and carry on. Each
// handler contains its own failures (the offending connection gets an error or is closed); this is
// for whatever slips through, so that no input from anyone can stop the process serving the others.
export function logInternalError(where: string, error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`gateway: internal error in ${where} (the gateway keeps running): ${text}`);
}

/** Installs the process-wide guard (main.ts only; tests that embed the gateway keep their own). */
export function installLastResortGuard(): void {
  process.on('uncaughtException', (error) => logInternalError('an event handler (uncaught exception)', error));
  process.on('unhandledRejection', (reason) => logInternalError('a promise (unhandled rejection)', reason));
}

/** `handler`, with whatever it throws logged instead of thrown: for socket and timer callbacks. */
export function contained<A extends unknown[]>(where: string, handler: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      handler(...args);
    } catch (error) {
      logInternalError(where, error);
    }
  };
}
