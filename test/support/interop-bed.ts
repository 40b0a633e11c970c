// The shared setting of an interop test file: one real gateway process and one real tracker,
// started before its tests and stopped after them.
import { afterAll, beforeAll } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.ts';
import { startTracker, type TestTracker } from '../helpers/tracker.ts';

export interface InteropBed {
  gateway: GatewayProcess;
  tracker: TestTracker;
}

/** Registers the hooks; the returned object is filled in before the first test runs. */
export function useInteropBed(): InteropBed {
  const bed = {} as InteropBed;
  beforeAll(async () => {
    bed.gateway = await startGatewayProcess({ allowPrivate: true });
    bed.tracker = await startTracker({ intervalMs: 5_000 });
  });
  afterAll(async () => {
    await bed.gateway?.stop();
    await bed.tracker?.close();
  });
  return bed;
}
