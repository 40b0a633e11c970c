// One e2e test's world: a swarm (tracker + libtorrent seeder), a gateway process serving the built
// app, and a fresh Chromium profile with the app open. On failure the page's console tail and a
// screenshot (.artifacts/e2e-<name>-failed.png) say what the tab saw.
import { afterEach, beforeAll } from 'vitest';
import type { GatewayProcess } from '../../helpers/gateway-process.ts';
import { ensureAppBuilt } from './app-build.ts';
import { launchBrowser, screenshot, type LaunchOptions, type TestBrowser } from './browser.ts';
import { startGateway, startSwarm, type E2eSwarm, type SwarmOptions } from './swarm.ts';

export interface Bed {
  swarm: E2eSwarm;
  /** The current gateway (a test may replace it: see restartGatewayLike). */
  gateway: GatewayProcess;
  browser: TestBrowser;
  /** Ends everything; with `failed`, first prints the page's console tail and takes a screenshot. */
  stop(failed?: boolean): Promise<void>;
}

export async function setUpBed(testName: string, swarmOptions: SwarmOptions, browserOptions?: LaunchOptions): Promise<Bed> {
  const swarm = await startSwarm(swarmOptions);
  const bed = { swarm } as Bed;
  try {
    bed.gateway = await startGateway();
    bed.browser = await launchBrowser(browserOptions);
  } catch (err) {
    await bed.gateway?.stop();
    await swarm.stop();
    throw err;
  }
  bed.stop = async (failed = false) => {
    if (failed) await reportFailure(bed, testName);
    await bed.browser.close();
    await bed.gateway.stop();
    await swarm.stop();
  };
  return bed;
}

/**
 * The hooks every e2e file needs: the app built before its tests, each test's bed stopped after
 * it (with a failure report when it failed). Returns the function that sets up a test's bed.
 */
export function useBeds(): (testName: string, swarmOptions: SwarmOptions, browserOptions?: LaunchOptions) => Promise<Bed> {
  let current: Bed | undefined;
  beforeAll(ensureAppBuilt);
  afterEach(async ({ task }) => {
    const violations = current?.browser.cspViolations ?? [];
    await current?.stop(task.result?.state === 'fail');
    current = undefined;
    // The app must work under the gateway's Content-Security-Policy, in every test.
    if (violations.length > 0) throw new Error(`the Content-Security-Policy blocked: ${violations.join(' | ')}`);
  });
  return async (testName, swarmOptions, browserOptions) => (current = await setUpBed(testName, swarmOptions, browserOptions));
}

async function reportFailure(bed: Bed, testName: string): Promise<void> {
  const tail = bed.browser.consoleLines.slice(-40).join('\n');
  const shot = await screenshot(bed.browser.page, `${testName}-failed`).catch(() => 'none');
  console.error(
    `--- ${testName} failed: page console (tail) ---\n${tail}\n` +
      `--- gateway stderr (tail) ---\n${bed.gateway.process.stderr().slice(-3000)}\n` +
      `--- seeder: ${JSON.stringify(bed.swarm.seeder.stats())}\n--- screenshot: ${shot}`,
  );
}
