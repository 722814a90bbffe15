// Fiken's request rules per user: "a single concurrent API-request" and at most `perSecond`
// requests in any sliding second. A request over either rule is turned away with 429; turned
// away requests neither hold the slot nor count towards the second.

export type GateDecision = 'enter' | 'busy' | 'rate';

export class RateGate {
  private readonly busy = new Set<string>();
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`perSecond must be a positive integer, got ${perSecond}`);
  }

  /** On 'enter' the caller holds the user's slot and must `leave` when its answer is ready. */
  enter(user: string): GateDecision {
    if (this.busy.has(user)) return 'busy';
    const now = this.now();
    let times = this.recent.get(user);
    if (!times) this.recent.set(user, (times = []));
    let expired = 0;
    while (expired < times.length && times[expired]! <= now - 1000) expired++;
    if (expired) times.splice(0, expired);
    if (times.length >= this.perSecond) return 'rate';
    times.push(now);
    this.busy.add(user);
    return 'enter';
  }

  leave(user: string): void {
    this.busy.delete(user);
  }
}
