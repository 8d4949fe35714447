import * as df from "durable-functions";
import type { OrchestrationContext, Task } from "durable-functions";
import type { EventOutcome } from "../activities/employee-events.contract";
import { isRateLimited, type RateLimited } from "../activities/results";

/**
 * Transient faults (network, 5xx) are thrown by activities and retried here with backoff; the Genesys client
 * has already retried the quick ones, so these are the slower second line.
 */
export const TRANSIENT_RETRY = (() => {
  const retry = new df.RetryOptions(5_000, 5);
  retry.backoffCoefficient = 2;
  retry.maxRetryIntervalInMilliseconds = 120_000;
  return retry;
})();

/** More rate-limit waits than this for one call means something is wrong with the budget, not just busy. */
const MAX_RATE_LIMIT_WAITS = 60;

/**
 * Calls an activity, and when it answers that Genesys is rate limiting, waits on a durable timer for the
 * Retry-After period and calls it again (activities never sleep for long: docs/architecture.md, rule 4).
 */
export function* callWithBackPressure<T>(
  context: OrchestrationContext,
  activityName: string,
  input: unknown,
): Generator<Task, Exclude<T, RateLimited>, unknown> {
  for (let wait = 0; ; wait++) {
    const result = (yield context.df.callActivityWithRetry(activityName, TRANSIENT_RETRY, input)) as T;
    if (!isRateLimited(result)) return result as Exclude<T, RateLimited>;
    if (wait >= MAX_RATE_LIMIT_WAITS) {
      throw new Error(`${activityName} was rate limited ${MAX_RATE_LIMIT_WAITS} times in a row; giving up`);
    }
    const resumeAt = new Date(
      context.df.currentUtcDateTime.getTime() + Math.max(result.retryAfterInMs, 1000),
    );
    yield context.df.createTimer(resumeAt);
  }
}

/** Milliseconds from the orchestration's own clock, as a Date. */
export function after(context: OrchestrationContext, ms: number): Date {
  return new Date(context.df.currentUtcDateTime.getTime() + ms);
}

/**
 * Transient failures that outlived every retry: the event goes to quarantine to be replayed, and the
 * employee's (or the batch's) other work carries on.
 */
export function gaveUp(error: unknown): EventOutcome {
  return {
    kind: "QUARANTINED",
    reason: `gave up after repeated transient failures: ${error instanceof Error ? error.message : String(error)}`,
  };
}
