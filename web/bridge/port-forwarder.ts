// Main-thread half of the MessagePort fallback: forwards frames between a data channel this
// thread keeps and the engine worker, transferring buffers, and reports bufferedAmount.
import type { PortMessage } from '../links/port-link.ts';

const REPORT_INTERVAL_MS = 20;

export function forwardChannel(channel: RTCDataChannel): MessagePort {
  const { port1, port2 } = new MessageChannel();
  channel.binaryType = 'arraybuffer';
  channel.bufferedAmountLowThreshold = 256 * 1024;
  const report = () => port1.postMessage({ type: 'buffered', amount: channel.bufferedAmount } satisfies PortMessage);
  const timer = setInterval(report, REPORT_INTERVAL_MS);
  channel.onmessage = (event: MessageEvent<ArrayBuffer>) => port1.postMessage({ type: 'frame', bytes: event.data } satisfies PortMessage, [event.data]);
  channel.onbufferedamountlow = report;
  channel.onclose = () => {
    clearInterval(timer);
    port1.postMessage({ type: 'closed', reason: 'the data channel closed' } satisfies PortMessage);
  };
  // Frames the engine sends before the channel opens (its HELLO) wait here.
  const early: ArrayBuffer[] = [];
  channel.addEventListener('open', () => { for (const bytes of early.splice(0)) channel.send(bytes); });
  port1.onmessage = (event: MessageEvent<PortMessage>) => {
    const message = event.data;
    if (message.type === 'frame') {
      if (channel.readyState === 'open') channel.send(message.bytes);
      else if (channel.readyState === 'connecting') early.push(message.bytes);
    } else if (message.type === 'closed') {
      clearInterval(timer);
      channel.close();
    }
  };
  return port2;
}
