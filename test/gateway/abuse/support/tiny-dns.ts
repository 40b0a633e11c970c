// A tiny DNS server over UDP (RFC 1035) for tests that run inside their own network namespace:
// A records from a table, AAAA answered with no records (NOERROR), names matching `hang` never
// answered, anything else NXDOMAIN. It counts the queries it got, per name.
import { createSocket, type RemoteInfo } from 'node:dgram';

const HEADER_BYTES = 12;
const TYPE_A = 1;
const CLASS_IN = 1;
const FLAGS_ANSWER = 0x8180; // QR, RD, RA
const RCODE_NXDOMAIN = 3;
const ANSWER_TTL_SECONDS = 60;

export interface TinyDnsOptions {
  host: string;
  port: number;
  /** name → IPv4 address. */
  records: Record<string, string>;
  /** Queries for matching names get no answer at all. */
  hang: RegExp;
}

export interface TinyDns {
  /** Queries received, by lower-case name. */
  queries: Map<string, number>;
  close(): Promise<void>;
}

interface Question {
  name: string;
  type: number;
  /** The question section as received, to echo back. */
  bytes: Buffer;
}

export async function startTinyDns(options: TinyDnsOptions): Promise<TinyDns> {
  const socket = createSocket(options.host.includes(':') ? 'udp6' : 'udp4');
  const queries = new Map<string, number>();
  socket.on('message', (msg, rinfo) => {
    const question = parseQuestion(msg);
    if (!question) return;
    queries.set(question.name, (queries.get(question.name) ?? 0) + 1);
    if (options.hang.test(question.name)) return;
    reply(socket, rinfo, msg, question, options.records[question.name]);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => resolve());
  });
  return { queries, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

function parseQuestion(msg: Buffer): Question | null {
  if (msg.length < HEADER_BYTES || msg.readUInt16BE(4) < 1) return null;
  const labels: string[] = [];
  let offset = HEADER_BYTES;
  while (offset < msg.length) {
    const length = msg[offset]!;
    offset++;
    if (length === 0) break;
    if (length > 63) return null; // no compression in questions we send ourselves
    labels.push(msg.toString('latin1', offset, offset + length));
    offset += length;
  }
  if (offset + 4 > msg.length) return null;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(offset), bytes: msg.subarray(HEADER_BYTES, offset + 4) };
}

function reply(socket: ReturnType<typeof createSocket>, to: RemoteInfo, query: Buffer, question: Question, ipv4: string | undefined): void {
  const answers = ipv4 !== undefined && question.type === TYPE_A ? [aRecord(ipv4)] : [];
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // the query's id
  header.writeUInt16BE(FLAGS_ANSWER | (ipv4 === undefined ? RCODE_NXDOMAIN : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  socket.send(Buffer.concat([header, question.bytes, ...answers]), to.port, to.address);
}

function aRecord(ipv4: string): Buffer {
  const record = Buffer.alloc(16);
  record.writeUInt16BE(0xc000 | HEADER_BYTES, 0); // the name: a pointer to the question's
  record.writeUInt16BE(TYPE_A, 2);
  record.writeUInt16BE(CLASS_IN, 4);
  record.writeUInt32BE(ANSWER_TTL_SECONDS, 6);
  record.writeUInt16BE(4, 10);
  ipv4.split('.').forEach((part, i) => record.writeUInt8(Number(part), 12 + i));
  return record;
}
