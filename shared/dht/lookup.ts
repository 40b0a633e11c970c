// An iterative Kademlia lookup (BEP 5) as a pure state machine: the caller asks which nodes to
// query next (at most `alpha` in flight), feeds back each answer or failure, and stops when
// `done`. The lookup converges on the k closest nodes to the target: it only ever queries nodes
// among the k closest it knows that have not failed, so it ends once those have all answered —
// or when nothing closer arrives and every candidate is spent.

import { compareDistance } from './node-id.ts';
import { equalBytes } from '../bytes.ts';
import type { DhtContact } from './compact.ts';

export const LOOKUP_K = 8;
export const LOOKUP_ALPHA = 3;
const MAX_CANDIDATES = 128;
const MAX_QUERIES = 96;

/** A node to query. The id is what others told us (unknown for bootstrap addresses). */
export interface LookupContact {
  readonly id?: Uint8Array;
  readonly host: string;
  readonly port: number;
}

type CandidateState = 'pending' | 'inflight' | 'answered' | 'failed';

interface Candidate {
  contact: LookupContact;
  /** The id it answered with, once it answered. */
  id?: Uint8Array;
  state: CandidateState;
}

export interface LookupOptions {
  readonly k?: number;
  readonly alpha?: number;
  /** Our own id: never a candidate. */
  readonly ownId?: Uint8Array;
}

export class Lookup {
  private readonly candidates = new Map<string, Candidate>();
  private readonly k: number;
  private readonly alpha: number;
  private queries = 0;

  constructor(readonly target: Uint8Array, seeds: readonly LookupContact[], private readonly options: LookupOptions = {}) {
    this.k = options.k ?? LOOKUP_K;
    this.alpha = options.alpha ?? LOOKUP_ALPHA;
    this.addCandidates(seeds);
  }

  /** Nodes to query now; they are marked in flight. Empty when enough are in flight or none fit. */
  next(): LookupContact[] {
    const out: LookupContact[] = [];
    let inflight = this.count('inflight');
    for (const candidate of this.closestAlive()) {
      if (inflight >= this.alpha || this.queries >= MAX_QUERIES) break;
      if (candidate.state !== 'pending') continue;
      candidate.state = 'inflight';
      inflight++;
      this.queries++;
      out.push(candidate.contact);
    }
    return out;
  }

  /** `from` answered with its id and the closer nodes it knows. */
  onResponse(from: LookupContact, id: Uint8Array, nodes: readonly DhtContact[]): void {
    const candidate = this.candidates.get(addressKey(from));
    if (!candidate || candidate.state !== 'inflight') return;
    candidate.state = 'answered';
    candidate.id = id;
    this.addCandidates(nodes);
  }

  onFailure(from: LookupContact): void {
    const candidate = this.candidates.get(addressKey(from));
    if (candidate?.state === 'inflight') candidate.state = 'failed';
  }

  /** Nothing in flight and nothing left worth asking. */
  get done(): boolean {
    if (this.count('inflight') > 0) return false;
    if (this.queries >= MAX_QUERIES) return true;
    return !this.closestAlive().some((c) => c.state === 'pending');
  }

  /** The k closest nodes that answered, closest first (announce_peer goes to these). */
  closestAnswered(): DhtContact[] {
    const answered = [...this.candidates.values()].filter((c) => c.state === 'answered');
    answered.sort((a, b) => compareDistance(this.target, a.id!, b.id!));
    return answered.slice(0, this.k).map((c) => ({ id: c.id!, host: c.contact.host, port: c.contact.port }));
  }

  get queryCount(): number {
    return this.queries;
  }

  /** The k closest candidates that have not failed, closest first. */
  private closestAlive(): Candidate[] {
    const alive = [...this.candidates.values()].filter((c) => c.state !== 'failed');
    alive.sort((a, b) => this.compare(a, b));
    return alive.slice(0, this.k);
  }

  /** Known ids by XOR distance; addresses with no id yet (bootstrap) after them. */
  private compare(a: Candidate, b: Candidate): number {
    const idA = a.id ?? a.contact.id;
    const idB = b.id ?? b.contact.id;
    if (idA && idB) return compareDistance(this.target, idA, idB);
    return idA ? -1 : idB ? 1 : 0;
  }

  private addCandidates(contacts: readonly LookupContact[]): void {
    for (const contact of contacts) {
      if (contact.id && this.options.ownId && equalBytes(contact.id, this.options.ownId)) continue;
      const key = addressKey(contact);
      if (!this.candidates.has(key)) this.candidates.set(key, { contact, state: 'pending' });
    }
    if (this.candidates.size > MAX_CANDIDATES) this.dropFarthestPending();
  }

  /** Bounds memory: pending candidates beyond the closest MAX_CANDIDATES are forgotten. */
  private dropFarthestPending(): void {
    const pending = [...this.candidates.entries()].filter(([, c]) => c.state === 'pending');
    pending.sort(([, a], [, b]) => this.compare(a, b));
    const excess = this.candidates.size - MAX_CANDIDATES;
    for (const [key] of pending.slice(Math.max(0, pending.length - excess))) this.candidates.delete(key);
  }

  private count(state: CandidateState): number {
    let n = 0;
    for (const c of this.candidates.values()) if (c.state === state) n++;
    return n;
  }
}

export function addressKey(contact: { readonly host: string; readonly port: number }): string {
  return `${contact.host}:${contact.port}`;
}
