import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import {
  BEGIN_EVENT,
  COMPLETE_EVENT,
  DELETE_AFTER_RETENTION,
  superseded,
  TAKE_DUE_EVENTS,
  type AwaitingHrRef,
  type DecidedTransition,
  type DueEvent,
  type EventOutcome,
} from "../activities/employee-events.contract";
import {
  appliedAfter,
  decide,
  stateAfter,
  stateWhileApplying,
  supersededBy,
  withApplied,
  type AppliedEvents,
  type LifecycleState,
} from "../lifecycle/employee-lifecycle";
import { defineOrchestration } from "../activities/contract";
import { ENRICH_HR_EVENT } from "../activities/hr-enrichment.contract";
import type { HrRetryPolicy } from "../config/settings";
import { after, callActivity, callSubOrchestration } from "./calls";
import { CONVERGE_ORCHESTRATOR } from "./converge";
import { eventInstanceId } from "./instance-ids";
import { LEAVER_ORCHESTRATOR } from "./leaver";

/** Raised by the HR intake after it stored a new event for this employee. */
export const HR_EVENT_ACCEPTED = "hr-event-accepted";

export interface EmployeeInput {
  employeeKey: string;
}

/** Never finishes (see below), so it has no output. */
export const EMPLOYEE_ORCHESTRATOR = defineOrchestration<EmployeeInput, never>("employeeLifecycle");

/**
 * The one writer for one employee. The inbox table, not this orchestration, holds the events: each turn first
 * reads back from HR the items acknowledged before their event was known, then takes
 * the due ones in timeline order, asks the lifecycle table what each does in the employee's current state
 * (converge, the graceful leaver, record only, or nothing), applies them one at a time and records each
 * outcome, then waits for the next event, the next effective date or a pending deletion. It never finishes:
 * each turn ends in `continueAsNew`, so history stays a few events long however long the employee lives, and
 * a wake-up raised while a turn runs is kept for the wait that ends it; the next turn re-reads the inbox.
 */
export const employeeLifecycle: OrchestrationHandler = function* (context: OrchestrationContext) {
  const { employeeKey } = context.df.getInput<EmployeeInput>();
  const asOf = context.df.currentUtcDateTime.toISOString();
  const queue = yield* callActivity(context, TAKE_DUE_EVENTS, { employeeKey, asOf });
  if (queue.awaitingHr) {
    // Their events are not known yet, so neither is their place in the timeline: read them back first.
    for (const item of queue.awaitingHr.items)
      yield* readBackFromHr(context, employeeKey, item, queue.awaitingHr.retry);
    context.df.continueAsNew({ employeeKey } satisfies EmployeeInput);
    return undefined;
  }

  let timeline: Timeline = { state: queue.state, applied: queue.applied };
  for (const event of queue.due) timeline = yield* takeEffect(context, employeeKey, event, timeline);
  if (queue.due.length > 0) {
    context.df.continueAsNew({ employeeKey } satisfies EmployeeInput);
    return undefined;
  }

  const deletion = queue.pendingDeletion;
  if (deletion && deletion.deleteAt <= asOf) {
    yield* callActivity(context, DELETE_AFTER_RETENTION, {
      employeeKey,
      userId: deletion.userId,
    });
    context.df.continueAsNew({ employeeKey } satisfies EmployeeInput);
    return undefined;
  }

  const wakeAt = [queue.nextDueAt, deletion?.deleteAt].filter((t): t is string => t !== undefined).sort()[0];
  const accepted = context.df.waitForExternalEvent(HR_EVENT_ACCEPTED);
  if (wakeAt === undefined) {
    // Idle, but never finished: an event accepted while this turn ran is delivered to this wait instead of
    // being dropped with a finished instance.
    context.df.setCustomStatus({ employeeKey, idle: true });
    yield accepted;
  } else {
    context.df.setCustomStatus({
      employeeKey,
      waitingUntil: wakeAt,
      for: deletion ? "deletion" : "effective date",
    });
    const timer = context.df.createTimer(new Date(wakeAt));
    const winner: unknown = yield context.df.Task.any([timer, accepted]);
    if (winner === accepted) timer.cancel();
  }
  context.df.continueAsNew({ employeeKey } satisfies EmployeeInput);
  return undefined;
};

/**
 * Reads one acknowledged item back from HR. While HR does not answer, it waits on durable timers (doubling, up
 * to the longest wait) and tries again, until the retry period counted from the item's arrival is over; the
 * last try then quarantines it. So an HR outage delays the employee's events instead of quarantining them.
 */
function* readBackFromHr(
  context: OrchestrationContext,
  employeeKey: string,
  item: AwaitingHrRef,
  retry: HrRetryPolicy,
): Generator<Task, void, unknown> {
  const giveUpAt = Date.parse(item.receivedAt) + retry.giveUpAfterInMs;
  const { source, idempotencyKey } = item;
  for (let attempt = 0; ; attempt++) {
    const finalAttempt = context.df.currentUtcDateTime.getTime() >= giveUpAt;
    const input = { employeeKey, source, idempotencyKey, finalAttempt };
    const result = yield* callActivity(context, ENRICH_HR_EVENT, input);
    if (result.kind !== "hr_unavailable") return;
    const left = giveUpAt - context.df.currentUtcDateTime.getTime();
    const wait = Math.max(0, Math.min(retry.firstIntervalInMs * 2 ** attempt, retry.maxIntervalInMs, left));
    const nextTryAt = after(context, wait);
    context.df.setCustomStatus({
      employeeKey,
      waitingForHr: { source, idempotencyKey, attempts: attempt + 1, nextTryAt, lastError: result.reason },
    });
    yield context.df.createTimer(nextTryAt);
  }
}

/** Where the employee stands: the lifecycle state, and the events that have taken their place. */
interface Timeline {
  state: LifecycleState;
  applied: AppliedEvents;
}

/**
 * One due event: superseded, or what the lifecycle table says it does in the state the events before it left
 * (so a late hire after a backdated termination counts), applied, and its outcome recorded.
 */
function* takeEffect(
  context: OrchestrationContext,
  employeeKey: string,
  event: DueEvent,
  { state, applied }: Timeline,
): Generator<Task, Timeline, unknown> {
  const by = supersededBy(event, applied, state);
  if (by) {
    yield* callActivity(context, COMPLETE_EVENT, { employeeKey, event, outcome: superseded(by) });
    return { state, applied: withApplied(applied, event) };
  }
  const decided = decide(state, event.type);
  const { action } = decided;
  // Late, yet taking effect (only changes came after it): converge plans from the newest HR record.
  const newer = action.kind === "CONVERGE" ? appliedAfter(event, applied).at(-1) : undefined;
  const why = newer ? `${decided.why}; the newest HR record (${newer.eventId}) applies` : decided.why;
  const transition: DecidedTransition = { state, action, why };
  context.df.setCustomStatus({
    employeeKey,
    applying: event.eventId,
    type: event.type,
    state,
    action: action.kind,
  });
  const applying = stateWhileApplying(state, action);
  if (applying !== state) yield* callActivity(context, BEGIN_EVENT, { employeeKey, event, state: applying });

  const instanceId = eventInstanceId(context.df.instanceId, event.key);
  let outcome: EventOutcome;
  if (action.kind === "LEAVE") {
    const input = { employeeKey, event, leaveOfAbsence: action.leaveOfAbsence };
    outcome = yield* callSubOrchestration(context, LEAVER_ORCHESTRATOR, input, instanceId);
  } else if (action.kind === "CONVERGE") {
    const input = { employeeKey, event, reactivate: action.reactivate, why };
    outcome = yield* callSubOrchestration(context, CONVERGE_ORCHESTRATOR, input, instanceId);
  } else {
    outcome = { kind: "NOTHING_TO_DO", summary: why };
  }
  yield* callActivity(context, COMPLETE_EVENT, { employeeKey, event, transition, outcome });
  return {
    state: stateAfter(state, action, outcome),
    applied: outcome.kind === "QUARANTINED" ? applied : withApplied(applied, event),
  };
}
