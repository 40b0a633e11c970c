// DEV ONLY: mounts <tt-app> on a fake worker that plays back sample states, so the UI can be
// looked at without the engine or a gateway. ?link=…&state=… pick the sample link status.
import type { LinkStatus, WorkerCommand, WorkerEvent } from '../../worker/protocol.ts';
import { StatePoster } from '../../worker/state/state-poster.ts';
import type { ListedTorrent } from '../../worker/state/state-views.ts';
import type { FilePriority } from '../../worker/torrent/file-selection.ts';
import { EngineClient, type FileView, type TorrentView, type WorkerLike } from '../engine-client.ts';
import '../tt-app.ts';

const params = new URLSearchParams(location.search);
const empty = params.has('empty');

class FakeWorker extends EventTarget implements WorkerLike {
  torrents: TorrentView[] = empty ? [] : [sampleTorrent('Big Buck Bunny', 'a1', 0.456, 'downloading'), sampleTorrent('ubuntu-24.04-desktop-amd64.iso', 'b2', 1, 'seeding'), sampleTorrent('Paused thing with a rather long name that wraps', 'c3', 0.1, 'stopped'), { ...sampleTorrent('Broken', 'd4', 0.3, 'error'), error: 'storage is full' }];
  link: LinkStatus = { state: (params.get('state') ?? 'connected') as LinkStatus['state'], kind: (params.get('link') ?? 'webrtc') as 'webrtc', fellBack: params.has('fellback') };

  postMessage(message: unknown): void {
    const command = message as WorkerCommand;
    setTimeout(() => this.handle(command), 150);
  }

  private readonly poster = new StatePoster();

  tick(): void {
    const update = this.poster.next(this.torrents.map(listed), this.link, { usageBytes: 1.234e9, quotaBytes: 10e9, persisted: params.has('persisted') });
    if (update) this.emit(update);
  }

  private handle(command: WorkerCommand): void {
    const fail = (error: string) => this.emit({ type: 'reply', requestId: command.requestId, ok: false, error });
    switch (command.type) {
      case 'add-torrent-url':
        if (!command.url.startsWith('magnet:')) return fail('This is not a valid torrent file: bencode: unexpected byte 0x3c at offset 0');
        this.torrents = [...this.torrents, choosingTorrent(`Added ${this.torrents.length}`, command.askFirst === true)];
        break;
      case 'start-torrent':
        this.change(command.infoHashHex, (t) => ({ ...t, state: 'downloading', files: t.files.map((f) => withPriority(f, command.priorities[f.index] ?? 'normal')) }));
        break;
      case 'set-file-priority':
        this.change(command.infoHashHex, (t) => ({ ...t, files: t.files.map((f) => f.index === command.fileIndex ? withPriority(f, command.priority) : f) }));
        break;
      case 'select-file':
        this.change(command.infoHashHex, (t) => ({ ...t, files: t.files.map((f) => f.index === command.fileIndex ? withPriority(f, command.selected ? 'normal' : 'skip') : f) }));
        break;
      case 'set-sequential':
        this.change(command.infoHashHex, (t) => ({ ...t, sequential: command.sequential }));
        break;
      case 'add-torrent-file':
        return fail(`This is not a valid torrent file: ${command.fileName ?? ''} has no info dictionary`);
      case 'remove':
        this.torrents = this.torrents.filter((t) => t.infoHashHex !== command.infoHashHex);
        break;
      case 'pause': case 'resume':
        this.torrents = this.torrents.map((t) => t.infoHashHex === command.infoHashHex
          ? { ...t, state: command.type === 'pause' ? 'stopped' : t.progress >= 1 ? 'seeding' : 'downloading' } : t);
        break;
      case 'show-torrent':
        this.poster.show(command.infoHashHex);
        break;
      case 'file-blob':
        this.emit({ type: 'reply', requestId: command.requestId, ok: true, value: new Blob(['hello']) });
        return;
      default:
        break;
    }
    this.emit({ type: 'reply', requestId: command.requestId, ok: true });
    this.tick();
  }

  private change(infoHashHex: string, apply: (t: TorrentView) => TorrentView): void {
    this.torrents = this.torrents.map((t) => t.infoHashHex === infoHashHex ? apply(t) : t);
  }

  private emit(event: WorkerEvent): void {
    this.dispatchEvent(new MessageEvent('message', { data: event }));
  }
}

function sampleTorrent(name: string, hexSeed: string, progress: number, state: TorrentView['state']): TorrentView {
  const total = 734_003_200;
  return {
    infoHashHex: hexSeed.repeat(20), name, state, detailsKnown: true, totalBytes: total, wantedBytes: total, verifiedBytes: total * progress,
    progress, downloadBps: state === 'downloading' ? 12_345_678 : 0, uploadBps: state === 'stopped' ? 0 : 234_567,
    downloadedBytes: total * progress, uploadedBytes: 12e6, wastedBytes: 16384, etaSeconds: state === 'downloading' ? 200 : null,
    peerCount: state === 'stopped' ? 0 : 7, knownPeers: 42, sequential: false, pieceCount: 2800, pieceLength: 262_144,
    files: [
      { index: 0, path: `${name}/video.mp4`, length: total - 1000, doneBytes: (total - 1000) * progress, selected: true, priority: 'normal', padding: false },
      { index: 1, path: `${name}/.pad/1000`, length: 1000, doneBytes: 1000, selected: true, priority: 'normal', padding: true },
      { index: 2, path: `${name}/sub/readme.txt`, length: 0, doneBytes: 0, selected: true, priority: 'normal', padding: false },
      { index: 3, path: `${name}/extras/poster.jpg`, length: 1_500_000, doneBytes: 700_000, selected: false, priority: 'skip', padding: false },
    ],
    peers: state === 'stopped' ? [] : [
      { address: '198.51.100.7:6881', client: 'libtorrent 2.0.10', downloadBps: 8_000_000, uploadBps: 100_000, progress: 1, inbound: false, choked: false, requests: 64 },
      { address: '[2001:db8::1]:51413', client: 'Transmission 3.00', downloadBps: 4_300_000, uploadBps: 134_567, progress: 0.52, inbound: true, choked: true, requests: 0 },
    ],
    trackers: [{ url: 'http://tracker.example:6969/announce', tier: 0, peers: 12, seeders: 40, leechers: 3, downloaded: 812, warning: 'this tracker moves to a new address next week' }, { url: 'udp://tracker.example:1337', tier: 1, peers: 0, error: 'no answer after 3 tries' }],
    warnings: state === 'downloading' ? ['piece 12 failed verification (peer 198.51.100.9:6881)'] : [],
  };
}

/** A torrent just added: waiting for the user's choice of files (askFirst), or downloading. */
function choosingTorrent(name: string, askFirst: boolean): TorrentView {
  const hex = (Date.now() % 0xffffffff).toString(16).padStart(8, '0').repeat(5);
  const torrent = { ...sampleTorrent(name, '00', 0, askFirst ? 'choosing' : 'downloading'), infoHashHex: hex };
  // As a magnet's `so=0` (BEP 53) would: only the first file selected.
  return { ...torrent, files: torrent.files.map((f) => f.padding || f.index === 0 ? f : withPriority(f, 'skip')) };
}

function withPriority(file: FileView, priority: FilePriority): FileView {
  return { ...file, priority, selected: priority !== 'skip' };
}

/** A sample torrent as the worker's list would give it to the state poster. */
function listed(t: TorrentView): ListedTorrent {
  const { files, peers, trackers, warnings, detailsKnown: _known, infoHashHex, name, totalBytes, pieceCount, pieceLength, ...stats } = t;
  return {
    infoHashHex, source: SAMPLE_SOURCE,
    metadata: () => ({ infoHashHex, name, totalBytes, pieceCount, pieceLength, files: files.map(({ index, path, length, padding }) => ({ index, path, length, padding })) }),
    stats: () => ({ infoHashHex, ...stats }),
    details: () => ({ infoHashHex, files: files.map(({ index, doneBytes, selected, priority }) => ({ index, doneBytes, selected, priority })), peers, trackers, warnings }),
  };
}
const SAMPLE_SOURCE = {};

const worker = new FakeWorker();
const client = new EngineClient(worker);
const app = Object.assign(document.createElement('tt-app'), { client, signedIn: !params.has('notoken'), linkPreference: 'webrtc' as const });
document.body.append(app);
window.addEventListener('link-preference-change', (e) => console.log('link-preference-change', (e as CustomEvent).detail));
worker.tick();
worker.dispatchEvent(new MessageEvent('message', { data: { type: 'warning', message: 'The UDP tracker udp://tracker.example:1337 did not answer' } }));
setInterval(() => worker.tick(), 500);
