// The worker of tab-ceiling.html: receives `bytes` over the WebSocket (binaryType 'arraybuffer') and
// stores each message as its own IndexedDB value (key: its byte offset), one readwrite transaction
// (durability 'relaxed') per `batchBytes`. After each commit it tells the sender how many bytes are
// stored, so the sender can bound what is in flight. Posts {event:'ceiling', bytes, seconds,
// peakQueuedMB} with seconds from the first message to the last commit.
'use strict';
const STORE = 'pieces';

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(`tab-ceiling-${Date.now()}`, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function fail(message) {
  postMessage({ event: 'error', message: String(message) });
}

async function run({ ws, bytes, batchBytes }) {
  const db = await openDatabase();
  const socket = new WebSocket(ws);
  socket.binaryType = 'arraybuffer';
  let firstByteAt = 0;
  let received = 0;
  let stored = 0;
  let queued = 0; // received, not yet committed
  let peakQueued = 0;
  let batch = [];
  let batchOffset = 0;
  let batchSize = 0;

  const commit = (values, offset, size) => {
    const tx = db.transaction(STORE, 'readwrite', { durability: 'relaxed' });
    const store = tx.objectStore(STORE);
    let key = offset;
    for (const value of values) {
      store.put(value, key);
      key += value.byteLength;
    }
    tx.oncomplete = () => {
      stored += size;
      queued -= size;
      if (socket.readyState === WebSocket.OPEN) socket.send(String(stored));
      if (stored < bytes) return;
      const seconds = (performance.now() - firstByteAt) / 1000;
      postMessage({ event: 'ceiling', bytes: stored, seconds, peakQueuedMB: peakQueued / 1e6 });
      socket.close();
    };
    tx.onerror = () => fail(`transaction at ${offset}: ${tx.error && tx.error.message}`);
    tx.onabort = () => fail(`transaction at ${offset} aborted: ${tx.error && tx.error.message}`);
  };

  socket.onmessage = (event) => {
    if (!firstByteAt) firstByteAt = performance.now();
    const value = event.data;
    received += value.byteLength;
    queued += value.byteLength;
    if (queued > peakQueued) peakQueued = queued;
    batch.push(value);
    batchSize += value.byteLength;
    if (batchSize < batchBytes && received < bytes) return;
    commit(batch, batchOffset, batchSize);
    batchOffset += batchSize;
    batch = [];
    batchSize = 0;
  };
  socket.onclose = () => { if (stored < bytes) fail(`WebSocket closed after ${received} bytes (${stored} stored)`); };
  socket.onerror = () => fail('WebSocket error');
}

onmessage = (event) => run(event.data).catch((err) => fail(err && err.message));
