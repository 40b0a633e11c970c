// The tab's ICE candidates pass the relay policy before node-datachannel sees them: ICE sends
// STUN connectivity checks to every remote candidate, so an unchecked candidate would let a tab
// make the gateway send packets to any address (its LAN, its loopback services). Pure.
//
// A candidate line is `candidate:FOUNDATION COMPONENT TRANSPORT PRIORITY ADDRESS PORT typ TYPE ...`
// (RFC 8839 §5.1). Only UDP candidates with an IP address that the policy allows are kept, and
// each kept one is rewritten with single spaces, so libdatachannel parses exactly what was checked.
// Hostnames (mDNS `.local` included) cannot be checked before they are looked up: dropped. TCP
// candidates: dropped (libjuice does no ICE-TCP).
import { isIP } from 'node:net';
import { classifyAddress } from '../address-class.ts';
import type { Policy } from '../policy.ts';

/** What judging a candidate needs of the relay policy: both throw to refuse. */
export type CandidatePolicy = Pick<Policy, 'checkAddress' | 'checkPort'>;

/** For a link given no Policy: public addresses only. */
export const PUBLIC_ADDRESSES_ONLY: CandidatePolicy = {
  checkPort(port) {
    if (port === 0) throw new Error('refused: port 0');
  },
  checkAddress(ip) {
    const cls = classifyAddress(ip);
    if (cls !== 'public') throw new Error(`refused: ${ip} is not a public address (${cls})`);
  },
};

const CANDIDATE_PREFIX = /^(a=)?candidate:/i;
/** Any SDP line that might be read as a candidate, whatever its case or spacing. */
const SDP_CANDIDATE_LINE = /^\s*a\s*=\s*candidate/i;
const ADDRESS_FIELD = 4;
const MIN_FIELDS = 8;

export type CandidateVerdict = { candidate: string } | { refused: string };

/** The candidate (normalised) if the gateway may send checks to it, or why not. */
export function checkCandidate(text: string, policy: CandidatePolicy): CandidateVerdict {
  if (/[\r\n]/.test(text)) return { refused: 'a line break inside a candidate' };
  const trimmed = text.trim();
  if (!CANDIDATE_PREFIX.test(trimmed)) return { refused: 'not a candidate line' };
  const fields = trimmed.replace(/^a=/i, '').split(/\s+/);
  if (fields.length < MIN_FIELDS || fields[6] !== 'typ') return { refused: 'malformed candidate' };
  const transport = fields[2]!.toLowerCase();
  if (transport !== 'udp') return { refused: `transport ${fields[2]} (only UDP)` };
  const address = fields[ADDRESS_FIELD]!;
  const portText = fields[ADDRESS_FIELD + 1]!;
  if (isIP(address) === 0) return { refused: `${address.slice(0, 100)} is not an IP address` };
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port > 65535) return { refused: `bad port ${portText.slice(0, 20)}` };
  try {
    policy.checkPort(port);
    policy.checkAddress(address, port);
  } catch (err) {
    return { refused: (err as Error).message };
  }
  return { candidate: fields.join(' ') };
}

/**
 * The SDP with every candidate line the policy refuses removed (the rest normalised); lines are
 * split at any line break and joined with CRLF, so no parser can find a line we did not see.
 */
export function filterSdp(sdp: string, policy: CandidatePolicy): { sdp: string; refused: string[] } {
  const refused: string[] = [];
  const lines: string[] = [];
  for (const line of sdp.split(/\r\n|\r|\n/)) {
    if (!SDP_CANDIDATE_LINE.test(line)) {
      lines.push(line);
      continue;
    }
    const verdict = checkCandidate(line.replace(/^\s*a\s*=\s*/i, 'a='), policy);
    if ('candidate' in verdict) lines.push(`a=${verdict.candidate}`);
    else refused.push(verdict.refused);
  }
  return { sdp: lines.join('\r\n'), refused };
}

interface SignalShape {
  sdp?: unknown;
  candidate?: unknown;
}

/**
 * A copy of a simple-peer signal from the tab with its SDP filtered and a refused trickled
 * candidate removed; null when nothing is left to give the peer.
 */
export function filterSignal(signal: object, policy: CandidatePolicy): { signal: object | null; refused: string[] } {
  const s = signal as SignalShape;
  const out: Record<string, unknown> = { ...(signal as Record<string, unknown>) };
  const refused: string[] = [];
  if (s.sdp !== undefined) {
    if (typeof s.sdp === 'string') {
      const filtered = filterSdp(s.sdp, policy);
      out.sdp = filtered.sdp;
      refused.push(...filtered.refused);
    } else {
      delete out.sdp;
      refused.push('an SDP that is not text');
    }
  }
  if (s.candidate !== undefined) {
    const inner = s.candidate as { candidate?: unknown } | null;
    const verdict = typeof inner?.candidate === 'string' ? checkCandidate(inner.candidate, policy) : { refused: 'a candidate without text' };
    if ('candidate' in verdict) out.candidate = { ...(inner as object), candidate: verdict.candidate };
    else {
      delete out.candidate;
      refused.push(verdict.refused);
    }
  }
  return { signal: out.sdp === undefined && out.candidate === undefined ? null : out, refused };
}
