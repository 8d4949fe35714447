/**
 * The request budget of one OAuth token (or of the whole OAuth client, for a token pool's cap).
 *
 * Requests are paced evenly (a GCRA schedule) rather than allowed to burst: Genesys counts per token per minute,
 * and an even pace just under the limit spends the whole budget without ever crossing it, whatever the window
 * alignment. An optional burst allowance, paid for out of the headroom, lets callers catch up after a stall. Every concurrent caller in the process draws from the same instance, so pacing holds across
 * activities. Pure apart from the injected clock: the budget computes waits, it never sleeps.
 */
export interface RateBudgetOptions {
  /** Requests allowed per window by Genesys (300 per minute per token by default). */
  requestsPerWindow: number;
  /** Length of the rate-limit window; 60 000 ms for Genesys. */
  windowInMs?: number;
  /**
   * Fraction of the limit left unused, so clock skew and network jitter cannot push a window over the limit.
   * Default 0.02.
   */
  headroom?: number;
  /**
   * Slots a caller may take at once after falling behind, paid for out of the headroom. Default 0: network
   * jitter already eats into the headroom, and a burst near a window edge is what turns it into a 429.
   */
  burst?: number;
  /** Pause when a remaining-budget header says fewer than this many requests are left. Default 50. */
  pauseBelowRemaining?: number;
  /** How long to pause then, unless the header says when the window resets. Default 60 000 ms. */
  remainingPauseInMs?: number;
  now?: () => number;
}

export type HeaderBag = Record<string, unknown>;

export class RateBudget {
  readonly intervalInMs: number;
  readonly #burstInMs: number;
  readonly #now: () => number;
  readonly #pauseBelowRemaining: number;
  readonly #remainingPauseInMs: number;
  /** Earliest time the next request may leave (the pacing schedule). */
  #nextSlotAt = 0;
  /** Set by a 429 or a low remaining-budget header; nothing leaves before it. */
  #pausedUntil = 0;

  constructor(options: RateBudgetOptions) {
    if (!(options.requestsPerWindow > 0)) throw new RangeError("requestsPerWindow must be positive");
    const windowInMs = options.windowInMs ?? 60_000;
    const headroom = options.headroom ?? 0.02;
    if (headroom < 0 || headroom >= 1) throw new RangeError("headroom must be in [0, 1)");
    this.intervalInMs = windowInMs / (options.requestsPerWindow * (1 - headroom));
    this.#burstInMs = Math.max(0, options.burst ?? 0) * this.intervalInMs;
    this.#now = options.now ?? Date.now;
    this.#pauseBelowRemaining = options.pauseBelowRemaining ?? 50;
    this.#remainingPauseInMs = options.remainingPauseInMs ?? 60_000;
  }

  /**
   * When the next request could leave, without reserving it. `now` is the caller's reading of the clock, so a
   * wait measured against it is never a millisecond the clock moved on in between.
   */
  earliestStart(now = this.#now()): number {
    return Math.max(now, this.#nextSlotAt - this.#burstInMs, this.#pausedUntil);
  }

  /** Takes the slot at `start` (from `earliestStart`, possibly later when combined with another budget). */
  commit(start: number): void {
    // The schedule never falls further behind than the burst allowance: idle time is not banked.
    this.#nextSlotAt = Math.max(this.#nextSlotAt, start) + this.intervalInMs;
  }

  /**
   * Reserves the next slot if it is at most `maxWaitInMs` away. Returns how long to wait before sending, or
   * how long until a slot would be free when that is too far (nothing is reserved then).
   */
  reserve(
    maxWaitInMs: number,
  ): { granted: true; waitInMs: number } | { granted: false; retryAfterInMs: number } {
    const now = this.#now();
    const start = this.earliestStart(now);
    if (start - now > maxWaitInMs) return { granted: false, retryAfterInMs: start - now };
    this.commit(start);
    return { granted: true, waitInMs: start - now };
  }

  /** Nothing leaves for `ms` (a 429's Retry-After, or a nearly spent budget). Pauses never shorten. */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + Math.max(0, ms));
  }

  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /**
   * Reads a remaining-budget header when one is present (legacy `inin-ratelimit-*`, a gateway's
   * `x-ratelimit-*`) and pauses before the budget runs out. Returns the pause applied, if any.
   */
  observeHeaders(headers: HeaderBag): number | undefined {
    const remaining = remainingFromHeaders(headers);
    if (remaining === undefined || remaining >= this.#pauseBelowRemaining) return undefined;
    const pause = resetFromHeaders(headers, this.#now()) ?? this.#remainingPauseInMs;
    this.pauseFor(pause);
    return pause;
  }
}

/** A header's text: node gives strings, arrays for repeated headers, and axios may give numbers. */
export function headerText(headers: HeaderBag, name: string): string | undefined {
  const raw: unknown = headers[name] ?? headers[name.toLowerCase()];
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof first === "string") return first;
  if (typeof first === "number") return String(first);
  return undefined;
}

function header(headers: HeaderBag, name: string): number | undefined {
  const text = headerText(headers, name);
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Requests left in the current window, from whichever header family the response carries. */
export function remainingFromHeaders(headers: HeaderBag): number | undefined {
  const gateway = header(headers, "x-ratelimit-remaining");
  if (gateway !== undefined) return gateway;
  const allowed = header(headers, "inin-ratelimit-allowed");
  const count = header(headers, "inin-ratelimit-count");
  return allowed !== undefined && count !== undefined ? allowed - count : undefined;
}

/**
 * Time until the window resets, when the header says. Genesys's legacy header is seconds to go; gateways send
 * either seconds to go or an epoch in seconds, told apart by size.
 */
export function resetFromHeaders(headers: HeaderBag, now: number): number | undefined {
  const reset = header(headers, "inin-ratelimit-reset") ?? header(headers, "x-ratelimit-reset");
  if (reset === undefined || reset < 0) return undefined;
  if (reset > 1_000_000_000) return Math.max(0, reset * 1000 - now);
  return reset * 1000;
}

/** `Retry-After` as milliseconds: seconds, or an HTTP date. */
export function retryAfterFromHeaders(headers: HeaderBag, now: number): number | undefined {
  const text = headerText(headers, "retry-after")?.trim();
  if (text === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
