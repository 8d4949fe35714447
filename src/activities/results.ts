/**
 * The result shapes activities share with orchestrators. Transient faults (network, 5xx) are thrown so the
 * Durable retry policy applies; a rate limit comes back as a value so the orchestrator can wait on a durable
 * timer instead of an activity sleeping; permanent failures come back as values with an operator-readable reason.
 */

export interface RateLimited {
  kind: "RATE_LIMITED";
  retryAfterInMs: number;
}

export interface PermanentFailure {
  kind: "FAILED";
  /** What went wrong and what to do, naming the employee, the step and the Genesys status/code. */
  reason: string;
}

export function isRateLimited(value: unknown): value is RateLimited {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "RATE_LIMITED";
}
