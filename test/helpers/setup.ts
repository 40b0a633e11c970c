// vitest setup file (vitest.config.ts → setupFiles): after each test file, end the child processes
// and remove the temp dirs the helpers made, even those a failing test did not get to clean up.
import { afterAll } from 'vitest';
import { stopAllProcesses } from './proc.ts';
import { removeTempDirs } from './temp.ts';

afterAll(async () => {
  await stopAllProcesses();
  await removeTempDirs();
});
