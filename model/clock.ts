/**
 * Where "now" comes from. One clock is handed to the clients, the simulators, the sync engine
 * and the tests, so that what each of them calls today agrees, and no test depends on the
 * day it runs. Elapsed time (timeouts, pacing, backoff) is not calendar time and stays on
 * the process's own timers.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that reads the instant it was set to until it is moved: a test sets "today" once
 * and gives the same clock to the client and the simulator it talks to.
 */
export class FixedClock implements Clock {
  private at: number;

  constructor(at: string | number) {
    this.at = FixedClock.instant(at);
  }

  now(): number {
    return this.at;
  }

  /** `2026-11-22` means noon UTC that day, the same date in every Nordic time zone. */
  set(at: string | number): void {
    this.at = FixedClock.instant(at);
  }

  advance(ms: number): void {
    this.at += ms;
  }

  private static instant(at: string | number): number {
    const ms = typeof at === 'number' ? at : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(at) ? `${at}T12:00:00Z` : at);
    if (!Number.isFinite(ms)) throw new RangeError(`FixedClock: "${at}" is not a date or an instant.`);
    return ms;
  }
}
