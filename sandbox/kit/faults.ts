// Injected faults (error statuses, dropped connections, slow answers) that every simulator serves.

export type Fault =
  | { kind: 'status'; status: number; count: number; path?: RegExp }
  | { kind: 'drop'; count: number; path?: RegExp }
  | { kind: 'slow'; delayMs: number; count: number; path?: RegExp };

export interface Faults {
  /** The next `count` requests (optionally only those whose path matches) get this fault. */
  inject(fault: Fault): void;
  clear(): void;
}

/**
 * Injected faults, first in first out. `path` is tested against the decoded path below the
 * base path (`/ledger/posting`, `/token/session/>whoAmI`).
 */
export class FaultQueue implements Faults {
  private queue: { fault: Fault; left: number }[] = [];

  inject(fault: Fault): void {
    if (!Number.isInteger(fault.count) || fault.count < 1) throw new RangeError(`fault count must be a positive integer, got ${fault.count}`);
    if (fault.kind === 'status' && (fault.status < 100 || fault.status > 599)) throw new RangeError(`fault status must be an HTTP status, got ${fault.status}`);
    this.queue.push({ fault, left: fault.count });
  }

  clear(): void {
    this.queue = [];
  }

  /** The fault this request gets, if any; consumes one of its count. */
  take(path: string): Fault | null {
    for (const entry of this.queue) {
      const re = entry.fault.path;
      if (re) re.lastIndex = 0; // a /g or /y pattern must not carry state between requests
      if (re && !re.test(path)) continue;
      entry.left--;
      if (entry.left === 0) this.queue.splice(this.queue.indexOf(entry), 1);
      return entry.fault;
    }
    return null;
  }
}
