// Query: ?ws=<WebSocket URL>&report=<POST URL>&bytes=<byte count>&batch=<bytes per transaction>.
// Starts the worker with those and POSTs what it says: {event:'ceiling', bytes, seconds, peakQueuedMB}
// or {event:'error', message}.
'use strict';
const params = new URLSearchParams(location.search);
const reportUrl = params.get('report');
const statusLine = document.getElementById('status');

function report(body) {
  statusLine.textContent = JSON.stringify(body);
  return fetch(reportUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

try {
  const worker = new Worker('tab-ceiling-worker.js');
  worker.onmessage = (event) => report(event.data);
  worker.onerror = (event) => report({ event: 'error', message: `worker: ${event.message}` });
  worker.postMessage({ ws: params.get('ws'), bytes: Number(params.get('bytes')), batchBytes: Number(params.get('batch')) });
} catch (err) {
  report({ event: 'error', message: String(err && err.message) });
}
