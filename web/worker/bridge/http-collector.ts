import { ErrorCode } from '../../../shared/bridge/frames.ts';
import { TransportError, type HttpResult } from '../transport.ts';

/** Collects one relayed HTTP response body, refusing anything over its byte cap. */
export class HttpCollector {
  readonly done: Promise<HttpResult>;
  private resolve!: (result: HttpResult) => void;
  private reject!: (error: Error) => void;
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private status = 0;
  failed = false;

  constructor(private readonly maxBytes: number) {
    this.done = new Promise<HttpResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  start(status: number, contentLength: number): void {
    this.status = status;
    if (contentLength > this.maxBytes) this.fail(tooLarge(this.maxBytes));
  }

  append(bytes: Uint8Array): void {
    this.size += bytes.length;
    if (this.size > this.maxBytes) throw tooLarge(this.maxBytes);
    this.chunks.push(bytes.slice());
  }

  finish(): void {
    const body = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      body.set(chunk, offset);
      offset += chunk.length;
    }
    this.resolve({ status: this.status, body });
  }

  fail(error: Error): void {
    this.failed = true;
    this.reject(error);
  }
}

function tooLarge(maxBytes: number): TransportError {
  return new TransportError(`HTTP response larger than ${maxBytes} bytes`, ErrorCode.TOO_LARGE);
}
