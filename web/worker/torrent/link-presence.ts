// A running torrent's presence on the gateway link: announced to its trackers and registered for
// inbound peers. The link comes and goes while the torrent runs: the trackers hear 'started' once
// per run (a returning link only re-asks those that failed meanwhile), and the registration is made
// again on each new link (the old one went with the old link). Inbound peers pass the encryption
// setting (and an MSE/PE peer's handshake is finished) before the torrent sees them, their stream
// noted with the transport that brought them (the peer table, PEX's uTP flag).
import { noteTransport } from '../peer/connection-description.ts';
import { DEFAULT_ENCRYPTION, type EncryptionMode } from '../peer/encryption-mode.ts';
import { finishInboundMse, inboundRefusal } from '../peer/mse-inbound.ts';
import type { ByteStream, InboundPeer, Transport } from '../transport.ts';
import type { Announcer } from './announcer.ts';

export class LinkPresence {
  private announcing = false;
  private unlisten?: () => void;
  private running = false;

  constructor(
    private readonly announcer: Announcer,
    private readonly infoHash: Uint8Array,
    private readonly transport: () => Transport | undefined,
    private readonly accept: (stream: ByteStream) => void,
    private readonly warn: (message: string) => void,
    private readonly encryption: () => EncryptionMode = () => DEFAULT_ENCRYPTION,
  ) {}

  /** The torrent starts, or a new link is up: join the current link, if any. */
  async join(): Promise<void> {
    this.running = true;
    this.unlisten = undefined;
    const transport = this.transport();
    if (!transport) return; // waits: Engine tells the torrent when a link is up
    if (this.announcing) this.announcer.retryFailed();
    else {
      this.announcing = true;
      this.announcer.start();
    }
    try {
      const unlisten = await transport.listen(this.infoHash, (stream, inbound) => this.admit(stream, inbound));
      if (!this.running || this.transport() !== transport) unlisten();
      else this.unlisten = unlisten;
    } catch (error) {
      this.warn(`cannot accept incoming peers: ${(error as Error).message}`);
    }
  }

  /** Plaintext peers go to the torrent at once (their handshake is the next DATA). */
  private admit(stream: ByteStream, { transport, mse }: InboundPeer): void {
    const mode = this.encryption();
    const refusal = inboundRefusal(mse, mode);
    if (refusal) return stream.close(refusal);
    noteTransport(stream, transport);
    if (!mse) return this.accept(stream);
    void finishInboundMse(stream, mse, mode, this.infoHash).then((encrypted) => {
      if (!encrypted) return;
      noteTransport(encrypted, transport);
      if (this.running) this.accept(encrypted);
      else encrypted.close('the torrent stopped');
    });
  }

  /** The torrent stops: 'stopped' to the trackers, no more inbound peers. */
  leave(): void {
    this.running = false;
    this.unlisten?.();
    this.unlisten = undefined;
    if (this.announcing) this.announcer.stop();
    this.announcing = false;
  }
}
