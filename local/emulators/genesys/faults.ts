/**
 * Fault injection: what a flaky network and a busy Genesys look like to a client. Every knob can be set at
 * start (`startGenesysEmulator({ faults })`) and changed at run time (`PUT /emulator/faults`). Shares are
 * drawn from a seeded generator, so a run with the same seed and request order misbehaves the same way.
 */

export interface FaultSettings {
  /** Share (0–1) of API and token requests answered with a 5xx ErrorBody. */
  errorRate: number;
  /** Statuses to pick from for injected server errors. */
  errorStatuses: number[];
  /** Added latency before every API and token request is handled. */
  latencyMs: number;
  /** Extra random latency, 0..latencyJitterMs, on top of latencyMs. */
  latencyJitterMs: number;
  /** Share (0–1) of requests whose connection is destroyed without an answer. */
  dropRate: number;
  /** Share (0–1) of API requests whose bearer token is invalidated just before it is checked (→ 401). */
  tokenInvalidationRate: number;
  /** API requests still to be answered 429 whatever the budget (a "429 storm"). */
  rateLimitStormRequests: number;
  /** `Retry-After` seconds sent during a 429 storm. */
  rateLimitStormRetryAfterSeconds: number;
  /** Only requests whose path matches this regular expression are faulted (all when empty). */
  pathPattern: string;
  /** How long the search index lags behind writes. */
  searchIndexLagMs: number;
  /** Seed for the generator that draws the shares. */
  seed: number;
}

export const DEFAULT_FAULTS: FaultSettings = {
  errorRate: 0,
  errorStatuses: [503],
  latencyMs: 0,
  latencyJitterMs: 0,
  dropRate: 0,
  tokenInvalidationRate: 0,
  rateLimitStormRequests: 0,
  rateLimitStormRetryAfterSeconds: 3,
  pathPattern: "",
  searchIndexLagMs: 0,
  seed: 1,
};

/** mulberry32: small, fast, good enough to spread injected faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Validates a partial update of the fault knobs; throws naming the bad knob. */
export function mergeFaults(current: FaultSettings, update: Partial<FaultSettings>): FaultSettings {
  const next = { ...current, ...update };
  for (const key of ["errorRate", "dropRate", "tokenInvalidationRate"] as const)
    if (!(next[key] >= 0 && next[key] <= 1)) throw new Error(`${key} must be between 0 and 1`);
  for (const key of [
    "latencyMs",
    "latencyJitterMs",
    "rateLimitStormRequests",
    "rateLimitStormRetryAfterSeconds",
    "searchIndexLagMs",
  ] as const)
    if (!(Number.isFinite(next[key]) && next[key] >= 0)) throw new Error(`${key} must be a number >= 0`);
  if (
    !Array.isArray(next.errorStatuses) ||
    next.errorStatuses.length === 0 ||
    next.errorStatuses.some((s) => s < 500 || s > 599)
  )
    throw new Error("errorStatuses must be a non-empty list of 5xx statuses");
  new RegExp(next.pathPattern);
  return next;
}
