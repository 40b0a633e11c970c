// Rewrites the connection address of our ICE candidates to a public one (--ice-announce), for a
// gateway behind NAT or in a container whose bound address the tab cannot reach. Pure.
//
// A candidate line is `candidate:FOUNDATION COMPONENT TRANSPORT PRIORITY ADDRESS PORT typ TYPE ...`
// (RFC 8839 §5.1); only ADDRESS (the fifth field) changes.

const ADDRESS_FIELD = 4;

export function rewriteCandidate(candidate: string, announce: string): string {
  const fields = candidate.split(' ');
  if (fields.length <= ADDRESS_FIELD + 1 || !/^(a=)?candidate:/.test(fields[0]!)) return candidate;
  fields[ADDRESS_FIELD] = announce;
  return fields.join(' ');
}

export function rewriteSdp(sdp: string, announce: string): string {
  return sdp
    .split('\r\n')
    .map((line) => (line.startsWith('a=candidate:') ? rewriteCandidate(line, announce) : line))
    .join('\r\n');
}

interface SignalShape {
  sdp?: unknown;
  candidate?: { candidate?: unknown };
}

/** Returns a copy of a simple-peer signal object with every candidate address rewritten. */
export function rewriteSignal<T>(signal: T, announce: string | undefined): T {
  if (!announce || typeof signal !== 'object' || signal === null) return signal;
  const s = signal as SignalShape;
  const out: Record<string, unknown> = { ...(signal as Record<string, unknown>) };
  if (typeof s.sdp === 'string') out.sdp = rewriteSdp(s.sdp, announce);
  if (s.candidate && typeof s.candidate.candidate === 'string') {
    out.candidate = { ...s.candidate, candidate: rewriteCandidate(s.candidate.candidate, announce) };
  }
  return out as T;
}
