// TCP_OPEN: a StreamOpen that dials with node:net.
import { connect } from 'node:net';
import { ErrorCode } from '../../shared/bridge/frames.ts';
import type { Policy } from '../policy.ts';
import type { StreamHost } from './stream-host.ts';
import { StreamOpen, type Dialer, type OpenTarget } from './stream-open.ts';

export { CONNECT_TIMEOUT_MS } from './stream-open.ts';

const tcpDialer: Dialer = {
  verb: 'connect to',
  dial: (address, port) => connect({ host: address, port, noDelay: true }),
  describeError: (err) => ({ code: ErrorCode.CONNECT_FAILED, text: err.code ?? err.message }),
};

export class TcpOpen extends StreamOpen {
  constructor(host: StreamHost, id: number, target: OpenTarget, policy: Policy) {
    super(host, id, target, policy, tcpDialer);
  }
}
