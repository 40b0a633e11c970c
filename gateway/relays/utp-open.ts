// UTP_OPEN: a StreamOpen that dials a uTP connection (BEP 29) through the gateway's endpoint; the
// relay after that is the same as TCP's (TcpStream over a UtpStream).
import { ErrorCode } from '../../shared/bridge/frames.ts';
import type { Policy } from '../policy.ts';
import { UtpLimitError, type UtpEndpoint } from '../utp/utp-endpoint.ts';
import type { StreamHost } from './stream-host.ts';
import { DialRefused, StreamOpen, type Dialer, type OpenTarget } from './stream-open.ts';

function utpDialer(endpoint: UtpEndpoint): Dialer {
  return {
    verb: 'uTP connect to',
    dial(address, port) {
      try {
        return endpoint.connect(address, port);
      } catch (err) {
        if (!(err instanceof UtpLimitError)) throw err;
        throw new DialRefused(err.kind === 'full' ? ErrorCode.LIMIT : ErrorCode.CONNECT_FAILED, err.message);
      }
    },
    describeError: (err) => ({ code: err.code === 'ETIMEDOUT' ? ErrorCode.TIMEOUT : ErrorCode.CONNECT_FAILED, text: err.message }),
  };
}

export class UtpOpen extends StreamOpen {
  constructor(host: StreamHost, id: number, target: OpenTarget, policy: Policy, endpoint: UtpEndpoint) {
    super(host, id, target, policy, utpDialer(endpoint));
  }
}
