import type { OAuthTokenProvider } from "./auth";
import { RateBudget, type RateBudgetOptions } from "./rate-budget";

/** One token of the pool and the budget it spends from. */
export interface PoolSlot {
  readonly index: number;
  readonly tokens: Pick<OAuthTokenProvider, "getToken" | "invalidate">;
  readonly budget: RateBudget;
}

export interface TokenPoolOptions {
  /** One provider per token; each fetches and renews its own token from the same OAuth client. */
  providers: readonly Pick<OAuthTokenProvider, "getToken" | "invalidate">[];
  /** Per-token budget (Genesys: 300 requests per minute per token). */
  budget: Omit<RateBudgetOptions, "now">;
  /**
   * Cap over the whole pool, for the per-OAuth-client limit. Without it the pool may spend
   * `providers.length × requestsPerWindow`.
   */
  clientRequestsPerWindow?: number;
  now?: () => number;
}

export type PoolReservation =
  { granted: true; slot: PoolSlot; waitInMs: number } | { granted: false; retryAfterInMs: number };

/**
 * N tokens of one OAuth client, each with its own paced budget, optionally under one client-wide cap. Every
 * request takes the slot that can leave soonest, so load spreads evenly and a token paused by a 429 is skipped.
 */
export class TokenPool {
  readonly slots: readonly PoolSlot[];
  readonly #clientBudget: RateBudget | undefined;
  readonly #now: () => number;

  constructor(options: TokenPoolOptions) {
    if (options.providers.length === 0)
      throw new RangeError("a token pool needs at least one token provider");
    this.#now = options.now ?? Date.now;
    const now = this.#now;
    this.slots = options.providers.map((tokens, index) => ({
      index,
      tokens,
      budget: new RateBudget({ ...options.budget, now }),
    }));
    const cap = options.clientRequestsPerWindow;
    const uncapped = options.budget.requestsPerWindow * options.providers.length;
    this.#clientBudget =
      cap !== undefined && cap < uncapped
        ? new RateBudget({
            requestsPerWindow: cap,
            windowInMs: options.budget.windowInMs,
            headroom: options.budget.headroom,
            now,
          })
        : undefined;
  }

  /** Holds every token, for a 429 on a limit the whole OAuth client shares. */
  pauseAll(ms: number): void {
    for (const slot of this.slots) slot.budget.pauseFor(ms);
    this.#clientBudget?.pauseFor(ms);
  }

  /**
   * Reserves the soonest slot within `maxWaitInMs`, or says how long until one would be free. `namespace`: the
   * budget of the request's namespace, spent from as well, so the tighter of the two sets the pace.
   */
  reserve(maxWaitInMs: number, namespace?: RateBudget): PoolReservation {
    const now = this.#now();
    const clientStart = Math.max(
      this.#clientBudget?.earliestStart(now) ?? now,
      namespace?.earliestStart(now) ?? now,
    );
    let best: PoolSlot | undefined;
    let bestStart = Number.POSITIVE_INFINITY;
    for (const slot of this.slots) {
      const start = Math.max(slot.budget.earliestStart(now), clientStart);
      if (start < bestStart) {
        best = slot;
        bestStart = start;
      }
    }
    if (!best || bestStart - now > maxWaitInMs) return { granted: false, retryAfterInMs: bestStart - now };
    best.budget.commit(bestStart);
    this.#clientBudget?.commit(bestStart);
    namespace?.commit(bestStart);
    return { granted: true, slot: best, waitInMs: bestStart - now };
  }
}
