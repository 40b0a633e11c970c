// Our address as the internet sees it (the gateway's, for the tab's peers), from what peers say in
// their extension handshakes (BEP 10 `yourip`) and what DHT nodes say in their answers (BEP 42
// `ip`). A peer can lie, so an address counts only once two
// different peers name it, and the one most peers name wins. The DHT's BEP 42 node id needs it.

/** Voters remembered at most (the oldest are forgotten first): memory stays bounded. */
const MAX_VOTERS = 200;
const MIN_VOTES = 2;

export class ExternalAddress {
  /** Each voter's (a peer's address) last word. */
  private readonly votes = new Map<string, string>();
  private last?: string;
  /** Called when `current` changes (the DHT makes its BEP 42 id from it). */
  onChange: (address: string) => void = () => {};

  vote(voter: string, address: string): void {
    if (this.votes.get(voter) === address) return;
    this.votes.delete(voter); // re-inserted last: the newest votes stay
    this.votes.set(voter, address);
    if (this.votes.size > MAX_VOTERS) this.votes.delete(this.votes.keys().next().value!);
    const now = this.current;
    if (now === undefined || now === this.last) return;
    this.last = now;
    this.onChange(now);
  }

  /** The address most peers name, if at least two do. */
  get current(): string | undefined {
    const counts = new Map<string, number>();
    for (const address of this.votes.values()) counts.set(address, (counts.get(address) ?? 0) + 1);
    let best: string | undefined;
    let bestCount = MIN_VOTES - 1;
    for (const [address, count] of counts) if (count > bestCount) { best = address; bestCount = count; }
    return best;
  }
}
