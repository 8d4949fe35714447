import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import {
  BEGIN_EVENT,
  COMPLETE_EVENT,
  DELETE_AFTER_RETENTION,
  TAKE_DUE_EVENTS,
  type BeginEventInput,
  type CompleteEventInput,
  type DecidedTransition,
  type DueEvent,
  type EventOutcome,
  type TakeDueEventsResult,
} from "../activities/employee-events.contract";
import { decide, stateAfter, stateWhileApplying } from "../lifecycle/employee-lifecycle";
import { TRANSIENT_RETRY } from "./back-pressure";
import { CONVERGE_ORCHESTRATOR, type ConvergeInput } from "./converge";
import { eventInstanceId } from "./instance-ids";
import { LEAVER_ORCHESTRATOR, type LeaverInput } from "./leaver";

export const EMPLOYEE_ORCHESTRATOR = "employeeLifecycle";

/** Raised by the HR intake after it stored a new event for this employee. */
export const HR_EVENT_ACCEPTED = "hr-event-accepted";

export interface EmployeeInput {
  employeeKey: string;
}

/**
 * The one writer for one employee. The inbox table, not this orchestration, holds the events: each turn takes
 * the due ones in timeline order, asks the lifecycle table what each does in the employee's current state
 * (converge, the graceful leaver, record only, or nothing), applies them one at a time and records each
 * outcome, then waits for the next event, the next effective date or a pending deletion. Each turn ends in
 * `continueAsNew`, so history stays a few events long however long the employee lives; a lost wake-up costs
 * nothing because the next turn re-reads the inbox.
 */
export const employeeLifecycle: OrchestrationHandler = function* (context: OrchestrationContext) {
  const { employeeKey } = context.df.getInput<EmployeeInput>();
  const asOf = context.df.currentUtcDateTime.toISOString();
  const queue = (yield context.df.callActivityWithRetry(TAKE_DUE_EVENTS, TRANSIENT_RETRY, {
    employeeKey,
    asOf,
  })) as TakeDueEventsResult;

  let state = queue.state;
  for (const event of queue.due) {
    const { action, why } = decide(state, event.type);
    const transition: DecidedTransition = { state, action, why };
    context.df.setCustomStatus({
      employeeKey,
      applying: event.eventId,
      type: event.type,
      state,
      action: action.kind,
    });
    const applying = stateWhileApplying(state, action);
    if (applying !== state) {
      yield context.df.callActivityWithRetry(BEGIN_EVENT, TRANSIENT_RETRY, {
        employeeKey,
        event,
        state: applying,
      } satisfies BeginEventInput);
    }
    let outcome: EventOutcome;
    if (action.kind === "CONVERGE" || action.kind === "LEAVE") {
      const [name, input] = subOrchestrationFor(employeeKey, event, transition);
      const instanceId = eventInstanceId(context.df.instanceId, event.key);
      outcome = (yield context.df.callSubOrchestrator(name, input, instanceId)) as EventOutcome;
    } else {
      outcome = { kind: "NOTHING_TO_DO", summary: why };
    }
    yield context.df.callActivityWithRetry(COMPLETE_EVENT, TRANSIENT_RETRY, {
      employeeKey,
      event,
      transition,
      outcome,
      at: context.df.currentUtcDateTime.toISOString(),
    } satisfies CompleteEventInput);
    state = stateAfter(state, action, outcome);
  }
  if (queue.due.length > 0) {
    context.df.continueAsNew({ employeeKey } satisfies EmployeeInput);
    return undefined;
  }

  const deletion = queue.pendingDeletion;
  if (deletion && deletion.deleteAt <= asOf) {
    yield context.df.callActivityWithRetry(DELETE_AFTER_RETENTION, TRANSIENT_RETRY, {
      employeeKey,
      userId: deletion.userId,
    });
    context.df.continueAsNew({ employeeKey } satisfies EmployeeInput);
    return undefined;
  }

  const wakeAt = [queue.nextDueAt, deletion?.deleteAt].filter((t): t is string => t !== undefined).sort()[0];
  if (wakeAt === undefined) {
    context.df.setCustomStatus({ employeeKey, idle: true });
    return { employeeKey, idle: true };
  }
  context.df.setCustomStatus({
    employeeKey,
    waitingUntil: wakeAt,
    for: deletion ? "deletion" : "effective date",
  });
  const timer = context.df.createTimer(new Date(wakeAt));
  const accepted = context.df.waitForExternalEvent(HR_EVENT_ACCEPTED);
  const winner: unknown = yield context.df.Task.any([timer, accepted]);
  if (winner === accepted) timer.cancel();
  context.df.continueAsNew({ employeeKey } satisfies EmployeeInput);
  return undefined;
};

function subOrchestrationFor(
  employeeKey: string,
  event: DueEvent,
  { action, why }: DecidedTransition,
): [string, ConvergeInput | LeaverInput] {
  if (action.kind === "LEAVE")
    return [LEAVER_ORCHESTRATOR, { employeeKey, event, leaveOfAbsence: action.leaveOfAbsence }];
  return [
    CONVERGE_ORCHESTRATOR,
    { employeeKey, event, reactivate: action.kind === "CONVERGE" && action.reactivate, why },
  ];
}
