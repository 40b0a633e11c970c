// The hanging-DNS scenario, run INSIDE a network namespace whose /etc/resolv.conf says
// "nameserver 127.0.0.1" (hanging-dns.test.ts makes it; no real DNS server is ever asked):
// a tiny DNS server on 127.0.0.1:53 that never answers names starting with "hang", a real gateway
// process, tab A flooding UDP_SEND and TCP_OPEN to such names, then tab B opening a TCP stream to
// fast.test (127.0.0.1, answered at once). Prints one line: DNS_BED_RESULT {json}.
//
// `--dns-port N` (N ≠ 53) puts the DNS server on 127.0.0.1:N and starts the gateway with
// `--dns-server 127.0.0.1:N`, for a resolv.conf that names some other server.
import { createServer, type Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, FrameType, type Frame } from '../../../../shared/bridge/frames.ts';
import { startGatewayProcess } from '../../../helpers/gateway-process.ts';
import { WsFrameClient } from '../../helpers/frame-client.ts';
import { startTinyDns } from './tiny-dns.ts';

const FLOOD_UDP_SENDS = 400; // under the gateway's 500 datagrams per second
const FLOOD_TCP_OPENS = 150; // under its 200 streams per tab
/** Time for the flood to reach the gateway and its lookups to be hanging. */
const SETTLE_MS = 1500;
/** How long tab B waits for OPENED (or an ERROR) before it says none came. */
const B_WAIT_MS = 15_000;
/** The whole run; a stuck run still ends (and takes its gateway with it). */
const RUN_LIMIT_MS = 60_000;
const UDP_ID = 1;
const FIRST_TCP_ID = 100;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function describeFrame(frame: Frame | null): string {
  if (!frame) return `nothing within ${B_WAIT_MS} ms`;
  if (frame.type === FrameType.ERROR) return `ERROR code ${frame.code}: ${frame.message}`;
  return frame.type === FrameType.OPENED ? 'OPENED' : `frame type ${frame.type}`;
}

function floodHangingNames(a: WsFrameClient): void {
  for (let i = 0; i < FLOOD_UDP_SENDS; i++) {
    a.send({ type: FrameType.UDP_SEND, id: UDP_ID, host: `hang-u${i}.test`, port: 6881, bytes: new Uint8Array([i & 0xff]) });
  }
  for (let i = 0; i < FLOOD_TCP_OPENS; i++) {
    a.send({ type: FrameType.TCP_OPEN, id: FIRST_TCP_ID + i, host: `hang-t${i}.test`, port: 6881, window: 65536 });
  }
}

/** A's ERROR frames so far, counted by code name. */
function errorsByCode(a: WsFrameClient): Record<string, number> {
  const names = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));
  const counts: Record<string, number> = {};
  for (const f of a.queue.frames) {
    if (f.type !== FrameType.ERROR) continue;
    const name = names.get(f.code) ?? String(f.code);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

function hangQueries(queries: Map<string, number>): number {
  let n = 0;
  for (const [name, count] of queries) if (name.startsWith('hang')) n += count;
  return n;
}

function dnsPortArgument(argv: readonly string[]): number {
  const i = argv.indexOf('--dns-port');
  return i >= 0 ? Number(argv[i + 1]) : 53;
}

async function main(): Promise<void> {
  const dnsPort = dnsPortArgument(process.argv.slice(2));
  const dns = await startTinyDns({ host: '127.0.0.1', port: dnsPort, records: { 'fast.test': '127.0.0.1' }, hang: /^hang/ });
  const target = createServer((socket) => socket.on('error', () => {}));
  const targetPort = await listen(target);
  const extraArgs = dnsPort === 53 ? [] : ['--dns-server', `127.0.0.1:${dnsPort}`];
  const gateway = await startGatewayProcess({ allowPrivate: true, extraArgs });
  try {
    const a = await WsFrameClient.ready(gateway);
    a.send({ type: FrameType.UDP_BIND, id: UDP_ID });
    await a.next((f) => f.type === FrameType.BOUND);
    floodHangingNames(a);
    await sleep(SETTLE_MS);
    const hangQueriesBeforeB = hangQueries(dns.queries);

    const b = await WsFrameClient.ready(gateway);
    const startMs = performance.now();
    b.send({ type: FrameType.TCP_OPEN, id: 1, host: 'fast.test', port: targetPort, window: 65536 });
    const reply = await b.next((f) => f.id === 1 && (f.type === FrameType.OPENED || f.type === FrameType.ERROR), B_WAIT_MS).catch(() => null);
    const waitedMs = Math.round(performance.now() - startMs);
    const result = {
      opened: reply?.type === FrameType.OPENED,
      waitedMs,
      reply: describeFrame(reply),
      hangQueriesBeforeB,
      hangQueriesTotal: hangQueries(dns.queries),
      fastQueries: dns.queries.get('fast.test') ?? 0,
      tabAErrors: errorsByCode(a),
    };
    console.log(`DNS_BED_RESULT ${JSON.stringify(result)}`);
    a.close();
    b.close();
  } finally {
    await gateway.stop();
    await dns.close();
    target.close();
  }
}

// process.exit runs proc.ts's exit hook, which kills the gateway (it leads its own process group).
process.on('SIGTERM', () => process.exit(143));
setTimeout(() => {
  console.error(`dns-bed: still running after ${RUN_LIMIT_MS} ms`);
  process.exit(3);
}, RUN_LIMIT_MS).unref();
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`dns-bed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
