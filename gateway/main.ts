// Command-line entry: `tsx gateway/main.ts [options]` (see --help).
import { startGateway } from './gateway.ts';
import { installLastResortGuard } from './last-resort.ts';
import { OptionsError, parseOptions, usage, wantsHelp } from './options.ts';

function hostForLog(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (wantsHelp(argv)) {
    console.log(usage());
    return;
  }
  let options;
  try {
    options = parseOptions(argv, process.env);
  } catch (err) {
    if (!(err instanceof OptionsError)) throw err;
    console.error(`gateway: ${err.message}`);
    process.exit(2);
  }
  installLastResortGuard();
  const gateway = await startGateway(options);
  console.log(`Open ${gateway.url}`);
  console.log(`Peers reach this gateway on ${hostForLog(gateway.peerHost)}:${gateway.peerPort}, TCP and uTP (--peer-host, --peer-port).`);
  if (options.allowPrivate) console.log('Relaying to private and loopback addresses is allowed (--allow-private).');
  console.log(
    `GATEWAY_READY ${JSON.stringify({ url: gateway.url, port: gateway.port, peerPort: gateway.peerPort, peerHost: gateway.peerHost, token: gateway.token })}`,
  );

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`gateway: ${signal}, shutting down`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`gateway: ${(err as Error).message ?? err}`);
  process.exit(1);
});
