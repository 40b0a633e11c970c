// The tests in this directory need a network namespace of their own (they add interfaces, bind
// fixed ports, or need an address that is not loopback): scripts/test.sh runs them under
// scripts/in-netns.sh (stage 5), and they skip anywhere else, saying why.
import { networkInterfaces } from 'node:os';

/** scripts/in-netns.sh's veth end v0 holds this address: not loopback, and only in the namespace. */
export const NAMESPACE_IP = '198.51.100.1';

/** Whether this process runs inside scripts/in-netns.sh's namespace (its v0 with NAMESPACE_IP). */
export function inTestNamespace(): boolean {
  return (networkInterfaces().v0 ?? []).some((address) => address.address === NAMESPACE_IP);
}

/** inTestNamespace(), printing why a file skips when not. */
export function requireTestNamespace(file: string): boolean {
  const inside = inTestNamespace();
  if (!inside) {
    console.log(`${file}: skipped, not inside scripts/in-netns.sh's network namespace (no v0 with ${NAMESPACE_IP}); scripts/test.sh runs it there (stage 5)`);
  }
  return inside;
}
