// Query: ?lib=<URL of webtorrent.min.js>&magnet=<magnet URI>&report=<POST URL>.
// Loads WebTorrent's browser build, adds the magnet with no STUN servers (the magnet names only the
// local WebSocket tracker; the browser build has no DHT) and reports
// {event:'done', bytes, seconds, firstByteSeconds, heapMB, announce} at 'done' (seconds from the add),
// or {event:'error', message}.
const params = new URLSearchParams(location.search);
// sampleHeap, peakHeapBytes, report and fail come from report.js.

async function start() {
  globalThis.WEBTORRENT_ANNOUNCE = []; // no default trackers of any kind
  const { default: WebTorrent } = await import(params.get('lib'));
  const client = new WebTorrent({ tracker: { rtcConfig: { iceServers: [] } } });
  client.on('error', (err) => fail(`client: ${err && err.message}`));
  const addedAt = performance.now();
  let firstByteAt = 0;
  const torrent = client.add(params.get('magnet'));
  torrent.on('error', (err) => fail(`torrent: ${err && err.message}`));
  torrent.on('download', () => { if (!firstByteAt) firstByteAt = performance.now(); });
  torrent.on('done', () => {
    if (!firstByteAt) return fail('done without a downloaded byte');
    const seconds = (performance.now() - addedAt) / 1000;
    sampleHeap();
    report({
      event: 'done',
      bytes: torrent.length,
      seconds,
      firstByteSeconds: (firstByteAt - addedAt) / 1000,
      heapMB: peakHeapBytes / 1e6,
      announce: torrent.announce,
    });
  });
  setInterval(() => { statusLine.textContent = `${torrent.downloaded} bytes, ${torrent.numPeers} peers`; }, 1000);
}

start().catch((err) => fail(err && err.message));
