// Query: ?signal=<ws URL>&report=<POST URL>&bytes=<expected byte count>.
// The Node side (simple-peer, initiator) offers a data channel over the signaling WebSocket; this page
// answers with the browser's own RTCPeerConnection, counts the bytes, and reports
// {event:'channel', bytes, seconds, heapMB} (seconds from the channel's open to the last byte).
'use strict';
const params = new URLSearchParams(location.search);
const signalUrl = params.get('signal');
const expectedBytes = Number(params.get('bytes'));
// sampleHeap, peakHeapBytes, report and fail come from report.js.

function receive(channel) {
  channel.binaryType = 'arraybuffer';
  let openedAt = 0;
  let bytes = 0;
  let finished = false;
  channel.onopen = () => { openedAt = performance.now(); statusLine.textContent = 'open'; };
  channel.onmessage = (event) => {
    if (!openedAt) openedAt = performance.now();
    bytes += event.data.byteLength;
    if (bytes < expectedBytes || finished) return;
    finished = true;
    const seconds = (performance.now() - openedAt) / 1000;
    sampleHeap();
    report({ event: 'channel', bytes, seconds, heapMB: peakHeapBytes / 1e6 });
  };
  channel.onclose = () => { if (!finished) fail(`channel closed after ${bytes} bytes`); };
}

function start() {
  const socket = new WebSocket(signalUrl);
  const pc = new RTCPeerConnection({ iceServers: [] });
  pc.ondatachannel = (event) => receive(event.channel);
  pc.onicecandidate = (event) => {
    if (event.candidate) socket.send(JSON.stringify({ type: 'candidate', candidate: event.candidate.toJSON() }));
  };
  socket.onmessage = async (event) => {
    const signal = JSON.parse(event.data);
    try {
      if (signal.type === 'offer') {
        await pc.setRemoteDescription(signal);
        await pc.setLocalDescription(await pc.createAnswer());
        socket.send(JSON.stringify({ type: 'answer', sdp: pc.localDescription.sdp }));
      } else if (signal.candidate) {
        await pc.addIceCandidate(signal.candidate);
      }
    } catch (err) {
      fail(`signaling: ${err && err.message}`);
    }
  };
  socket.onerror = () => fail('signaling WebSocket error');
}

try {
  start();
} catch (err) {
  fail(err && err.message);
}
