// Drops every UDP datagram in the test's network namespace, as a firewall that blocks UDP would,
// while TCP goes on: a policy-routing rule sends UDP to a blackhole before the local table is
// consulted (this kernel has no tc classifiers or iptables). Only inside the namespace the e2e
// run made (scripts/in-netns.sh), never on the host.
import { execFileSync } from 'node:child_process';

const BLOCK_PREF = '5';
const LOCAL_PREF_MOVED = '10';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The veth address scripts/in-netns.sh gives its namespace: proof we are not on the host. */
function inTestNamespace(): boolean {
  try {
    return execFileSync('ip', ['-o', '-4', 'addr', 'show', 'dev', 'v0'], { encoding: 'utf8' }).includes('198.51.100.1/32');
  } catch {
    return false;
  }
}

/** Blocks UDP; returns the function that lets it through again. */
export function blockUdp(): () => void {
  if (!inTestNamespace()) throw new Error('blockUdp changes routing rules: only inside the namespace of scripts/in-netns.sh');
  ip('rule', 'add', 'pref', LOCAL_PREF_MOVED, 'lookup', 'local');
  ip('rule', 'del', 'pref', '0');
  ip('rule', 'add', 'pref', BLOCK_PREF, 'ipproto', 'udp', 'blackhole');
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    ip('rule', 'del', 'pref', BLOCK_PREF);
    ip('rule', 'add', 'pref', '0', 'lookup', 'local');
    ip('rule', 'del', 'pref', LOCAL_PREF_MOVED);
  };
}
