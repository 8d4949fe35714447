import * as df from "durable-functions";
import type { OrchestrationContext, RetryOptions, Task } from "durable-functions";
import type {
  ActivityDefinition,
  ActivityInput,
  ActivityResult,
  OrchestrationDefinition,
} from "../activities/contract";
import type { EventOutcome } from "../activities/employee-events.contract";
import { isRateLimited, type RateLimited } from "../activities/results";

/**
 * Typed calls from an orchestrator: the input is checked by the compiler against the contract, and the result
 * comes back with the contract's type. The Durable SDK hands results over as `unknown`; this module is the one
 * place that gives them their type, so the flows themselves hold no cast.
 */

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

/** Calls an activity; transient faults are retried by `retry` (null: not retried). */
export function* callActivity<D extends ActivityDefinition>(
  context: OrchestrationContext,
  activity: D,
  input: ActivityInput<D>,
  retry: RetryOptions | null = TRANSIENT_RETRY,
): Generator<Task, ActivityResult<D>, unknown> {
  return (yield startActivity(context, activity, input, retry).task) as ActivityResult<D>;
}

/** Schedules an activity without waiting, for running several at once (`whenAll`); retried as `callActivity`. */
export function startActivity<D extends ActivityDefinition>(
  context: OrchestrationContext,
  activity: D,
  input: ActivityInput<D>,
  retry: RetryOptions | null = TRANSIENT_RETRY,
): TypedTask<ActivityResult<D>> {
  return {
    task: retry
      ? context.df.callActivityWithRetry(activity.name, retry, input)
      : context.df.callActivity(activity.name, input),
  };
}

/** More rate-limit waits than this for one call means something is wrong with the budget, not just busy. */
const MAX_RATE_LIMIT_WAITS = 60;

/**
 * Calls an activity, and when it answers that Genesys is rate limiting, waits on a durable timer for the
 * Retry-After period and calls it again: activities never sleep for long. `onWait` is told of each wait.
 */
export function* callWithBackPressure<D extends ActivityDefinition>(
  context: OrchestrationContext,
  activity: D,
  input: ActivityInput<D>,
  onWait?: () => void,
): Generator<Task, Exclude<ActivityResult<D>, RateLimited>, unknown> {
  for (let wait = 0; ; wait++) {
    const result: unknown = yield* callActivity(context, activity, input);
    if (!isRateLimited(result)) return result as Exclude<ActivityResult<D>, RateLimited>;
    if (wait >= MAX_RATE_LIMIT_WAITS) {
      throw new Error(`${activity.name} was rate limited ${MAX_RATE_LIMIT_WAITS} times in a row; giving up`);
    }
    onWait?.();
    yield waitOut(context, result);
  }
}

/** A durable timer for a rate limit's Retry-After period (at least a second): activities never sleep for long. */
export function waitOut(context: OrchestrationContext, limited: RateLimited): Task {
  return context.df.createTimer(after(context, Math.max(limited.retryAfterInMs, 1000)));
}

/** A scheduled sub-orchestration whose output has the contract's type. */
export interface TypedTask<O> {
  readonly task: Task;
  /** Type only. Never set. */
  readonly output?: O;
}

/** Schedules a sub-orchestration without waiting, for running several at once (`whenAll`, `runInFlight`). */
export function startSubOrchestration<I, O>(
  context: OrchestrationContext,
  orchestration: OrchestrationDefinition<I, O>,
  input: I,
  instanceId: string,
): TypedTask<O> {
  return { task: context.df.callSubOrchestrator(orchestration.name, input, instanceId) };
}

/** Runs a sub-orchestration and waits for its output. */
export function* callSubOrchestration<I, O>(
  context: OrchestrationContext,
  orchestration: OrchestrationDefinition<I, O>,
  input: I,
  instanceId: string,
): Generator<Task, O, unknown> {
  return (yield startSubOrchestration(context, orchestration, input, instanceId).task) as O;
}

/** Waits for every task; the outputs come back in the same order. */
export function* whenAll<O>(
  context: OrchestrationContext,
  tasks: readonly TypedTask<O>[],
): Generator<Task, O[], unknown> {
  if (tasks.length === 0) return [];
  return (yield context.df.Task.all(tasks.map((t) => t.task))) as O[];
}

/** Waits for one task started earlier and gives its output its type. */
export function* outputOf<O>(typed: TypedTask<O>): Generator<Task, O, unknown> {
  return (yield typed.task) as O;
}
