import { afterEach, expect, test } from 'vitest';
import { setUpBed, type Bed } from './support/bed.ts';
let bed: Bed | undefined;
afterEach(async ({ task }) => { await bed?.stop(task.result?.state === 'fail'); bed = undefined; });
test('fails on purpose', async () => {
  bed = await setUpBed('tmp-fail', { name: 'x.bin', files: [{ path: 'x.bin', size: 1000 }] });
  await bed.browser.page.goto(bed.gateway.url);
  expect(1).toBe(2);
});
