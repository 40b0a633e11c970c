// One tab cannot stall everyone's name lookups: while tab A floods UDP_SEND and TCP_OPEN to names
// whose DNS never answers, tab B's TCP_OPEN to a name that does answer must open at once. Against
// the real gateway process, with the system resolver pointed at a tiny DNS server: everything runs
// in a network namespace (and mount namespace, for /etc/resolv.conf) made here, so no real DNS
// server is asked. The scenario itself is support/dns-bed.ts.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnManaged } from '../../helpers/proc.ts';
import { makeTempDir } from '../../helpers/temp.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DRIVER = 'test/gateway/abuse/support/dns-bed.ts';
/** "At once": far below the 10 s a stalled lookup used to cost. */
const OPENED_WITHIN_MS = 3000;

interface BedResult {
  opened: boolean;
  waitedMs: number;
  reply: string;
  hangQueriesBeforeB: number;
  hangQueriesTotal: number;
  fastQueries: number;
  tabAErrors: Record<string, number>;
}

/**
 * Runs the driver in fresh network and mount namespaces with a resolv.conf naming `nameserver`
 * bound over the system's; the driver's DNS server listens on 127.0.0.1:`dnsPort`.
 */
async function runBed(nameserver: string, dnsPort: number): Promise<BedResult> {
  const dir = await makeTempDir('dns-bed');
  const resolvConf = join(dir, 'resolv.conf');
  await writeFile(resolvConf, `nameserver ${nameserver}\n`);
  const asRoot = process.getuid?.() === 0;
  const namespaces = asRoot ? ['--net', '--mount'] : ['--user', '--map-root-user', '--net', '--mount'];
  const script = 'set -e; ip link set lo up; mount --bind "$1" /etc/resolv.conf; shift; exec "$1" --import tsx "${@:2}"';
  const bed = spawnManaged('unshare', [...namespaces, 'bash', '-c', script, 'dns-bed', resolvConf, process.execPath, DRIVER, '--dns-port', String(dnsPort)], {
    cwd: REPO_ROOT,
    label: 'dns-bed',
  });
  const match = await bed.waitForLine(/^DNS_BED_RESULT (\{.*\})$/, 90_000);
  await bed.exited;
  return JSON.parse(match[1]!) as BedResult;
}

function expectOpenedAtOnce(result: BedResult): void {
  expect(result.reply).toBe('OPENED');
  expect(result.waitedMs).toBeLessThan(OPENED_WITHIN_MS);
  expect(result.fastQueries).toBeGreaterThan(0);
  // A's flood is bounded: most of its TCP_OPENs were refused at once rather than queued.
  expect(result.tabAErrors.LIMIT ?? 0).toBeGreaterThan(0);
}

describe('name lookups under a flood of names that never resolve', () => {
  it(`opens another tab's stream by name within ${OPENED_WITHIN_MS} ms (the system's resolver)`, async () => {
    const result = await runBed('127.0.0.1', 53);
    console.log(`hanging-dns: ${JSON.stringify(result)}`);
    expectOpenedAtOnce(result);
  }, 120_000);

  it('asks the server given with --dns-server instead of the system\'s', async () => {
    // resolv.conf names an address where nothing listens: only --dns-server can answer.
    const result = await runBed('127.0.0.9', 5353);
    console.log(`hanging-dns --dns-server: ${JSON.stringify(result)}`);
    expectOpenedAtOnce(result);
  }, 120_000);
});
