import fc from "fast-check";
import {
  RateBudget,
  remainingFromHeaders,
  resetFromHeaders,
  retryAfterFromHeaders,
} from "../../../src/genesys/rate-budget";
import { TokenPool } from "../../../src/genesys/token-pool";

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Sends `n` requests as soon as the budget allows, returning their send times. */
function drain(
  budget: { reserve(max: number): { granted: boolean; waitInMs?: number } },
  clock: ReturnType<typeof manualClock>,
  n: number,
): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = budget.reserve(Number.POSITIVE_INFINITY) as { granted: true; waitInMs: number };
    times.push(clock.now() + r.waitInMs);
  }
  return times;
}

function maxInAnyWindow(times: number[], windowInMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowInMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("RateBudget", () => {
  it("paces evenly just under the limit, so no rolling window ever exceeds it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1000, max: 120_000 }),
        (limit, windowInMs) => {
          const clock = manualClock();
          const budget = new RateBudget({ requestsPerWindow: limit, windowInMs, now: clock.now });
          const times = drain(budget, clock, limit * 3);
          expect(maxInAnyWindow(times, windowInMs)).toBeLessThanOrEqual(limit);
          // …and spends at least 95 % of it.
          const span = times[times.length - 1] - times[0];
          expect(((times.length - 1) / span) * windowInMs).toBeGreaterThanOrEqual(limit * 0.95);
        },
      ),
    );
  });

  it("grants at once when idle, and refuses without reserving when the wait is too long", () => {
    const clock = manualClock();
    const budget = new RateBudget({ requestsPerWindow: 60, windowInMs: 60_000, headroom: 0, now: clock.now });
    expect(budget.reserve(0)).toEqual({ granted: true, waitInMs: 0 });
    expect(budget.reserve(500)).toEqual({ granted: false, retryAfterInMs: 1000 });
    expect(budget.reserve(1000)).toEqual({ granted: true, waitInMs: 1000 });
    expect(budget.reserve(1500)).toEqual({ granted: false, retryAfterInMs: 2000 });
  });

  it("asks nothing of an idle request, even when the clock moves on while the slot is reserved", () => {
    // A busy process: each reading of the clock is a millisecond after the last.
    let now = 1_000_000;
    const ticking = () => now++;
    const budget = new RateBudget({ requestsPerWindow: 30, now: ticking });
    expect(budget.reserve(10_000)).toEqual({ granted: true, waitInMs: 0 });
    const pool = new TokenPool({
      providers: [{ getToken: async () => ({ token: "t", expiresAt: 0 }), invalidate: () => undefined }],
      budget: { requestsPerWindow: 30 },
      clientRequestsPerWindow: 3000,
      now: ticking,
    });
    expect(pool.reserve(10_000)).toMatchObject({ granted: true, waitInMs: 0 });
  });

  it("does not bank unused budget while idle (no burst after a quiet spell)", () => {
    const clock = manualClock();
    const budget = new RateBudget({ requestsPerWindow: 60, windowInMs: 60_000, headroom: 0, now: clock.now });
    budget.reserve(0);
    clock.advance(600_000);
    expect(budget.reserve(0)).toEqual({ granted: true, waitInMs: 0 });
    expect(budget.reserve(10_000)).toEqual({ granted: true, waitInMs: 1000 });
  });

  it("with a burst allowance, lets a caller who fell behind take a few slots at once", () => {
    const clock = manualClock();
    const budget = new RateBudget({ requestsPerWindow: 300, windowInMs: 60_000, burst: 3, now: clock.now });
    const interval = budget.intervalInMs;
    for (let i = 0; i < 10; i++) clock.advance((budget.reserve(Infinity) as { waitInMs: number }).waitInMs);
    clock.advance(interval * 6);
    const waits = Array.from(
      { length: 5 },
      () => (budget.reserve(Infinity) as { waitInMs: number }).waitInMs,
    );
    expect(waits.slice(0, 4).every((w) => w === 0)).toBe(true);
    expect(waits[4]).toBeGreaterThan(0);
  });

  it("holds every request during a Retry-After pause, and pauses never shorten", () => {
    const clock = manualClock();
    const budget = new RateBudget({ requestsPerWindow: 600, now: clock.now });
    budget.pauseFor(30_000);
    budget.pauseFor(5_000);
    expect(budget.reserve(10_000)).toEqual({ granted: false, retryAfterInMs: 30_000 });
    clock.advance(25_000);
    expect(budget.reserve(10_000)).toEqual({ granted: true, waitInMs: 5_000 });
  });

  it("pauses 60 s when fewer than 50 requests remain, or until the reset the header gives", () => {
    const clock = manualClock();
    const budget = new RateBudget({ requestsPerWindow: 300, now: clock.now });
    expect(budget.observeHeaders({ "x-ratelimit-remaining": "120" })).toBeUndefined();
    expect(budget.observeHeaders({ "inin-ratelimit-allowed": "300", "inin-ratelimit-count": "251" })).toBe(
      60_000,
    );
    expect(budget.pausedUntil).toBe(clock.now() + 60_000);

    const withReset = new RateBudget({ requestsPerWindow: 300, now: clock.now });
    expect(
      withReset.observeHeaders({
        "inin-ratelimit-allowed": "300",
        "inin-ratelimit-count": "290",
        "inin-ratelimit-reset": "7",
      }),
    ).toBe(7_000);
  });

  it("takes the threshold and pause from options", () => {
    const clock = manualClock();
    const budget = new RateBudget({
      requestsPerWindow: 300,
      pauseBelowRemaining: 10,
      remainingPauseInMs: 2_000,
      now: clock.now,
    });
    expect(budget.observeHeaders({ "x-ratelimit-remaining": "20" })).toBeUndefined();
    expect(budget.observeHeaders({ "x-ratelimit-remaining": "9" })).toBe(2_000);
  });

  it("rejects nonsense limits", () => {
    expect(() => new RateBudget({ requestsPerWindow: 0 })).toThrow(RangeError);
    expect(() => new RateBudget({ requestsPerWindow: 10, headroom: 1 })).toThrow(RangeError);
  });
});

describe("rate-limit headers", () => {
  it("reads remaining from the gateway header first, else from legacy allowed − count", () => {
    expect(remainingFromHeaders({ "x-ratelimit-remaining": "3", "inin-ratelimit-allowed": "300" })).toBe(3);
    expect(remainingFromHeaders({ "inin-ratelimit-allowed": "180", "inin-ratelimit-count": "3" })).toBe(177);
    expect(remainingFromHeaders({ "inin-ratelimit-allowed": "180" })).toBeUndefined();
    expect(remainingFromHeaders({})).toBeUndefined();
  });

  it("reads reset as seconds to go, or as an epoch in seconds", () => {
    const now = 1_700_000_000_000;
    expect(resetFromHeaders({ "inin-ratelimit-reset": "3" }, now)).toBe(3_000);
    expect(resetFromHeaders({ "x-ratelimit-reset": String(now / 1000 + 12) }, now)).toBe(12_000);
    expect(resetFromHeaders({}, now)).toBeUndefined();
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-11-29T10:00:00Z");
    expect(retryAfterFromHeaders({ "retry-after": "42" }, now)).toBe(42_000);
    expect(retryAfterFromHeaders({ "retry-after": "Sun, 29 Nov 2026 10:00:05 GMT" }, now)).toBe(5_000);
    expect(retryAfterFromHeaders({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(retryAfterFromHeaders({}, now)).toBeUndefined();
  });
});

describe("TokenPool", () => {
  const provider = { getToken: async () => ({ token: "t", expiresAt: 0 }), invalidate: () => undefined };

  it("spreads requests over its tokens, each paced on its own budget", () => {
    const clock = manualClock();
    const pool = new TokenPool({
      providers: [provider, provider, provider],
      budget: { requestsPerWindow: 60, windowInMs: 60_000, headroom: 0 },
      now: clock.now,
    });
    const grants = Array.from({ length: 6 }, () => pool.reserve(10_000));
    expect(grants.map((g) => (g.granted ? g.slot.index : -1))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(grants.map((g) => (g.granted ? g.waitInMs : -1))).toEqual([0, 0, 0, 1000, 1000, 1000]);
  });

  it("keeps the whole pool under the per-client cap", () => {
    const clock = manualClock();
    const pool = new TokenPool({
      providers: [provider, provider, provider, provider],
      budget: { requestsPerWindow: 300, windowInMs: 60_000 },
      clientRequestsPerWindow: 600,
      now: clock.now,
    });
    const times: number[] = [];
    for (let i = 0; i < 1800; i++) {
      const g = pool.reserve(Number.POSITIVE_INFINITY);
      if (g.granted) times.push(clock.now() + g.waitInMs);
    }
    expect(maxInAnyWindow(times, 60_000)).toBeLessThanOrEqual(600);
    expect(maxInAnyWindow(times, 60_000)).toBeGreaterThanOrEqual(570);
  });

  it("skips a token paused by a 429", () => {
    const clock = manualClock();
    const pool = new TokenPool({
      providers: [provider, provider],
      budget: { requestsPerWindow: 60, windowInMs: 60_000 },
      now: clock.now,
    });
    pool.slots[0].budget.pauseFor(30_000);
    const g = pool.reserve(0);
    expect(g.granted && g.slot.index).toBe(1);
  });
});
