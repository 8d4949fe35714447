/**
 * Clocks for the local host. The real clock waits with setTimeout; the virtual clock never waits: time moves
 * only when the host is told to advance it (tests), so a 30-day durable timer fires in milliseconds. A timer
 * due already fires at once on either clock.
 */

export interface Clock {
  readonly kind: "real" | "virtual";
  now(): number;
  /** Calls `fire` once the clock reaches `at` (epoch ms); returns a cancel function. */
  schedule(at: number, fire: () => void): () => void;
}

/** setTimeout caps delays at 2^31-1 ms (about 24.8 days); longer waits are chained. */
const MAX_TIMEOUT_MS = 2_147_483_647;

export class RealClock implements Clock {
  readonly kind = "real";
  now(): number {
    return Date.now();
  }
  schedule(at: number, fire: () => void): () => void {
    let handle: NodeJS.Timeout;
    const arm = () => {
      const delay = at - Date.now();
      if (delay <= 0) return fire();
      handle = setTimeout(arm, Math.min(delay, MAX_TIMEOUT_MS));
      handle.unref?.();
    };
    handle = setTimeout(arm, 0);
    return () => clearTimeout(handle);
  }
}

interface Pending {
  at: number;
  seq: number;
  fire: () => void;
}

export class VirtualClock implements Clock {
  readonly kind = "virtual";
  private current: number;
  private pending: Pending[] = [];
  private seq = 0;

  /** Starts at the wall-clock time (or `start`), so activities that read the real clock see similar times. */
  constructor(start: Date | number = Date.now()) {
    this.current = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, fire: () => void): () => void {
    const entry = { at, seq: this.seq++, fire };
    this.pending.push(entry);
    // A timer already due fires at once, as a real one would, without waiting for the host to go idle.
    if (at <= this.current) setImmediate(() => this.advanceTo(this.current));
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /** The time of the earliest scheduled callback, if any. */
  nextDue(): number | undefined {
    return this.pending.reduce<number | undefined>(
      (min, p) => (min === undefined || p.at < min ? p.at : min),
      undefined,
    );
  }

  /** Moves time forward to `to` (never back) and runs every callback due by then, earliest first. */
  advanceTo(to: number): void {
    this.current = Math.max(this.current, to);
    for (;;) {
      const due = this.pending
        .filter((p) => p.at <= this.current)
        .sort((a, b) => a.at - b.at || a.seq - b.seq);
      if (due.length === 0) return;
      this.pending = this.pending.filter((p) => !due.includes(p));
      for (const p of due) p.fire();
    }
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }
}
