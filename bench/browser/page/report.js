// Shared by the bench pages (a classic script loaded before each page's own): the page's peak JS
// heap, sampled every 250 ms, and its figures POSTed to the bench server (?report=<POST URL>).
'use strict';
const reportUrl = new URLSearchParams(location.search).get('report');
const statusLine = document.getElementById('status');
let peakHeapBytes = 0;

function sampleHeap() {
  const memory = performance.memory;
  if (memory && memory.usedJSHeapSize > peakHeapBytes) peakHeapBytes = memory.usedJSHeapSize;
}
setInterval(sampleHeap, 250);

function report(body) {
  statusLine.textContent = JSON.stringify(body);
  return fetch(reportUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function fail(message) {
  report({ event: 'error', message: String(message) });
}
