import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import {
  COMPLETE_EVENT,
  DELETE_AFTER_RETENTION,
  TAKE_DUE_EVENTS,
  type DueEvent,
  type EventOutcome,
  type TakeDueEventsResult,
} from "../activities/employee-events.contract";
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
 * The one writer for one employee (DESIGN.md rule 3). The inbox table, not this orchestration, holds the
 * events: each turn takes the due ones in effective-date order, applies them one at a time, and then waits for
 * the next event, the next effective date or a pending deletion. Each turn ends in `continueAsNew`, so history
 * stays a few events long however long the employee lives; a lost wake-up costs nothing because the next turn
 * re-reads the inbox.
 */
export const employeeLifecycle: OrchestrationHandler = function* (context: OrchestrationContext) {
  const { employeeKey } = context.df.getInput<EmployeeInput>();
  const asOf = context.df.currentUtcDateTime.toISOString();
  const queue = (yield context.df.callActivityWithRetry(TAKE_DUE_EVENTS, TRANSIENT_RETRY, {
    employeeKey,
    asOf,
  })) as TakeDueEventsResult;

  for (const event of queue.due) {
    context.df.setCustomStatus({ employeeKey, applying: event.eventId, type: event.type });
    const [name, input] = subOrchestrationFor(employeeKey, event);
    const instanceId = eventInstanceId(context.df.instanceId, event.key);
    const outcome = (yield context.df.callSubOrchestrator(name, input, instanceId)) as EventOutcome;
    yield context.df.callActivityWithRetry(COMPLETE_EVENT, TRANSIENT_RETRY, { employeeKey, event, outcome });
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

function subOrchestrationFor(employeeKey: string, event: DueEvent): [string, ConvergeInput | LeaverInput] {
  switch (event.type) {
    case "terminate":
    case "leave_start":
      return [LEAVER_ORCHESTRATOR, { employeeKey, event, leaveOfAbsence: event.type === "leave_start" }];
    case "hire":
    case "change":
    case "rehire":
    case "leave_end":
      return [CONVERGE_ORCHESTRATOR, { employeeKey, event }];
  }
}
