// Generated HTTP requests for the gateway's server: odd request targets, methods and headers, with
// and without a WebSocket upgrade, plus plain junk. Deterministic for a seed.
import { tokenSubprotocols } from '../../../../shared/bridge/auth.ts';

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const TARGETS = [
  '/', '//', '///', '//x', '//signal', '/signal', '/signal?link=websocket', '/signal?link=webrtc', '/signal?link=%', '/signal?%ZZ',
  '/%', '/%00', '/%2e%2e/%2e%2e/etc/passwd', '/..', '/../../', '/config.json', '/config.json?x', '*', '', ' ', 'http://[', 'http://[::1',
  'http://x/signal', 'http://', 'https://a:b@c/d', '//@', '//[', '//:', '/?token=', '/?token=%', '/index.html#x', '/\u00ff', '/\u2603',
  '/signal?link=websocket&link=webrtc', '/signal?link=webrtc#x', '/' + 'a'.repeat(9000), '/signal?' + 'x='.repeat(3000), '/assets/../index.html', '\\\\', '/\\..\\x',
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE', 'get', 'G\u0000T', 'X'.repeat(100), ''];
const VERSIONS = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/0.9', 'HTTP/2.0', 'HTTP/1.1 extra', ''];
const HEADER_NAMES = [
  'Host', 'Connection', 'Upgrade', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Sec-WebSocket-Protocol', 'Sec-WebSocket-Extensions',
  'Origin', 'Cookie', 'Authorization', 'Content-Length', 'Transfer-Encoding', 'X-Forwarded-For', 'X-Forwarded-Proto', 'Range', 'If-None-Match',
];
const HEADER_VALUES = [
  '', ' ', 'websocket', 'Upgrade', 'upgrade, keep-alive', '13', '8', 'dGhlIHNhbXBsZSBub25jZQ==', 'x', 'null', 'http://evil.example',
  'tabtorrent', 'tabtorrent, tabtorrent-token.AAAA', 'tabtorrent-token.%%%', 'tt_auth=', 'tt_auth=x; tt_auth=y', 'a=b; ' + 'c'.repeat(5000),
  'Bearer', 'Bearer ' + 'z'.repeat(300), '-1', '99999999999999999999', 'chunked', 'chunked, chunked', 'bytes=0-', 'bytes=-1--1',
  'permessage-deflate; client_max_window_bits=99', '1.2.3.4, 5.6.7.8', 'https', '\u00ff\u00fe', '::1', '[::1]:80', 'a'.repeat(20000),
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function junk(random: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(Math.floor(random() * 256));
  return s;
}

function request(random: () => number, tokenProtocol: string): string {
  const roll = random();
  if (roll < 0.05) return junk(random, 1 + Math.floor(random() * 400));
  const lineSep = random() < 0.9 ? '\r\n' : pick(random, ['\n', '\r', '\r\r\n', '\u0000']);
  const target = random() < 0.85 ? pick(random, TARGETS) : pick(random, TARGETS) + junk(random, Math.floor(random() * 20));
  const lines = [`${pick(random, METHODS)} ${target} ${pick(random, VERSIONS)}`];
  const upgrade = random() < 0.6;
  if (upgrade) lines.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
  // A third of the upgrades carry the right token, so what lies past the credential check is reached too.
  if (upgrade && random() < 0.33) lines.push(`Sec-WebSocket-Protocol: ${tokenProtocol}`);
  if (random() < 0.8) lines.push('Host: ' + pick(random, ['127.0.0.1', 'x', '', '[::1]', 'a'.repeat(300), '\u00ff']));
  const extra = Math.floor(random() * 6);
  for (let i = 0; i < extra; i++) {
    const name = random() < 0.9 ? pick(random, HEADER_NAMES) : junk(random, 1 + Math.floor(random() * 12));
    const value = random() < 0.85 ? pick(random, HEADER_VALUES) : junk(random, Math.floor(random() * 60));
    lines.push(`${name}: ${value}`);
  }
  // Half the time no Connection: close, so a keep-alive connection also gets exercised.
  if (random() < 0.5) lines.push('Connection: close');
  return lines.join(lineSep) + lineSep + lineSep;
}

/** `token`: the gateway's, offered as a subprotocol in some upgrades. */
export function requestCorpus(count: number, seed: number, token: string): string[] {
  const random = prng(seed);
  const tokenProtocol = tokenSubprotocols(token).join(', ');
  return Array.from({ length: count }, () => request(random, tokenProtocol));
}
