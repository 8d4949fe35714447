import { isGenesysCloudError } from "../genesys";
import type { PermanentFailure, RateLimited } from "./results";

/** A rate limit with no Retry-After is waited out for a minute, Genesys's rate window. */
const DEFAULT_RATE_LIMIT_WAIT_IN_MS = 60_000;

/**
 * Runs one Genesys concern and classifies its failure the way orchestrators expect:
 * a rate limit comes back as a value to wait on a durable timer; transient faults are thrown so the Durable
 * retry policy applies; anything else is permanent and comes back with the operator's advice.
 */
export async function classifyGenesys<T>(
  what: string,
  work: () => Promise<T>,
): Promise<T | RateLimited | PermanentFailure> {
  try {
    return await work();
  } catch (error) {
    if (!isGenesysCloudError(error)) throw error;
    if (error.isRateLimited) {
      return { kind: "RATE_LIMITED", retryAfterInMs: error.retryAfterInMs ?? DEFAULT_RATE_LIMIT_WAIT_IN_MS };
    }
    if (error.isTransient) throw error;
    return { kind: "FAILED", reason: `${what}: ${error.message}` };
  }
}
