// npm `webtorrent` in Node as an independent peer, in a process of its own (test/helpers/webtorrent-peer.ts
// starts it). One torrent; DHT, LSD, NAT traversal and web seeds off; trackers are the .torrent's.
//   node test/helpers/webtorrent-peer.mjs '{"mode":"seed"|"leech","torrentPath":..,"dir":..,"peers":["127.0.0.1:N"],"utp":false}'
// stdout: one JSON object a line — {"event":"ready","port":N,"infoHash":".."}, {"event":"done"},
// {"event":"status","progress":..,"peers":..,"uploaded":..,"downloaded":..,"wires":["tcpOutgoing"|"utpOutgoing"|..]}, {"event":"error","message":".."}.
// Exits when stdin closes (the parent went away) or on SIGTERM.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import WebTorrent from 'webtorrent';

const options = JSON.parse(process.argv[2] ?? '{}');
const emit = (event, fields = {}) => process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);

// WebTorrent listens on every interface and has no option for one: keep its TCP server on loopback.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, ...rest) {
  if (typeof port === 'number' || port === undefined) return listen.call(this, port ?? 0, '127.0.0.1', ...rest.filter((a) => typeof a === 'function'));
  return listen.call(this, port, ...rest);
};

// Its uTP sockets (utp-native) likewise bind 0.0.0.0 unless told.
const UTP = createRequire(import.meta.url)('utp-native');
const bind = UTP.prototype.bind;
UTP.prototype.bind = function (port, ip, onlistening) {
  if (typeof port === 'function') return bind.call(this, 0, '127.0.0.1', port);
  if (typeof ip === 'function') return bind.call(this, port, '127.0.0.1', ip);
  return bind.call(this, port, ip ?? '127.0.0.1', onlistening);
};

const client = new WebTorrent({
  dht: false, lsd: false, natUpnp: false, natPmp: false, webSeeds: false, utp: options.utp === true,
  tracker: { wrtc: false },
});
client.on('error', (err) => { emit('error', { message: String(err?.message ?? err) }); });

const stop = () => client.destroy(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();

const torrent = client.add(readFileSync(options.torrentPath), { path: options.dir });
torrent.on('error', (err) => emit('error', { message: String(err?.message ?? err) }));
torrent.on('warning', (err) => emit('warning', { message: String(err?.message ?? err) }));
const listening = new Promise((resolve) => (client.listening ? resolve() : client.once('listening', resolve)));
const ready = new Promise((resolve) => torrent.once('ready', resolve));
Promise.all([listening, ready]).then(() => {
  for (const peer of options.peers ?? []) torrent.addPeer(peer);
  emit('ready', { port: client.address().port, infoHash: torrent.infoHash });
});
torrent.on('done', () => emit('done', status()));
setInterval(() => emit('status', status()), options.statusIntervalMs ?? 500).unref();

function status() {
  return { progress: torrent.progress, peers: torrent.numPeers, uploaded: torrent.uploaded, downloaded: torrent.downloaded, done: torrent.done, wires: torrent.wires.map((wire) => wire.type) };
}
