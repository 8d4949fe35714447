import type { OrchestrationContext, Task } from "durable-functions";
import { after, outputOf, type TypedTask } from "./calls";

export interface InFlightOptions<T> {
  /** How many tasks to run, by index 0 … count - 1, started in that order. */
  count: number;
  /** At most this many run at once. */
  width: number;
  /** Starts are at least this far apart (0: as soon as there is room). */
  intervalInMs: number;
  start: (index: number) => TypedTask<T>;
  /** Called once per task, in start order, as the oldest running one completes. */
  settle: (index: number, result: T) => void;
  /**
   * New tasks to schedule with the start of task `index`, not awaited here: the caller awaits each of them in
   * `before` or afterwards.
   */
  alongside?: (index: number) => readonly Task[];
  /**
   * Runs before task `index` starts, once there is room for it: it may wait for tasks scheduled alongside an
   * earlier start (never a later one: waiting would schedule them, and the later start again).
   */
  before?: (index: number) => Generator<Task, void, unknown>;
}

/**
 * Runs tasks with a bounded number in flight, so the next one starts while the others still wait on Genesys:
 * the rate budget stays busy without an unbounded fan-out. A failed task throws here.
 *
 * Each new task is scheduled through a `Task.any` with the pause before the next start, and that `Task.any`
 * only ever holds new tasks: the SDK sends every child of a `Task.any` to the host again, so one built over
 * tasks already running would start them twice (Azure/azure-functions-durable-js#574). Running tasks are then
 * awaited one by one, oldest first, which the SDK handles without scheduling anything again.
 */
export function* runInFlight<T>(
  context: OrchestrationContext,
  { count, width, intervalInMs, start, settle, alongside, before }: InFlightOptions<T>,
): Generator<Task, void, unknown> {
  const running: Array<{ index: number; started: TypedTask<T> }> = [];
  function* settleOldest(): Generator<Task, void, unknown> {
    const { index, started } = running.shift()!;
    settle(index, yield* outputOf(started));
  }

  for (let index = 0; index < count; index++) {
    while (running.length >= width) yield* settleOldest();
    if (before) yield* before(index);
    const started = start(index);
    running.push({ index, started });
    const pause = context.df.createTimer(after(context, intervalInMs));
    const first: unknown = yield context.df.Task.any([started.task, pause, ...(alongside?.(index) ?? [])]);
    if (first !== pause) yield pause;
  }
  while (running.length > 0) yield* settleOldest();
}
