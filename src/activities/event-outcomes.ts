import { stateAfter, withApplied } from "../lifecycle/employee-lifecycle";
import { appliedEventsOf, lifecycleStateOf } from "../storage/employees";
import { batchIdOf, batchRowIndex } from "../storage/inbox";
import type { ActivityDependencies } from "./dependencies";
import { outcomeText, stateOfOutcome, type CompleteEventInput } from "./employee-events.contract";
import { inboxLocation } from "./inbox-events";

/** Audit operations of an event's outcome, one per kind; `event.waiting` is the one that is not final. */
const OPERATION = {
  APPLIED: "event.applied",
  NOTHING_TO_DO: "event.nothing_to_do",
  QUARANTINED: "event.quarantined",
  SUPERSEDED: "event.superseded",
} as const;
export const EVENT_WAITING = "event.waiting";

/**
 * Ends an accepted event visibly, exactly once: the lifecycle state moves on, the timeline of applied events
 * grows, what was not applied goes to quarantine (a bulk row too, with its batch and row), a bulk row's report
 * shows the latest outcome, and the employee's audit gets one outcome record. Idempotent: the audit row's key
 * comes from the event and its attempt, and an event already ended is left as it is.
 */
export function createEventRecorder(
  deps: Pick<ActivityDependencies, "employees" | "inbox" | "quarantine" | "audit" | "batches" | "now">,
) {
  const { employees, inbox, quarantine, audit, batches } = deps;
  const now = deps.now ?? (() => new Date());

  return async function complete({ employeeKey, event, transition, outcome }: CompleteEventInput) {
    const { source, idempotencyKey } = inboxLocation(event.key);
    const item = await inbox.get(source, idempotencyKey);
    if (item?.status === "done" || item?.status === "quarantined") return;

    const record = await employees.get(employeeKey);
    const before = transition?.state ?? lifecycleStateOf(record);
    const after = transition ? stateAfter(before, transition.action, outcome) : before;
    // A superseded event still happened in HR: a backdated termination later is compared with it too.
    const applied = outcome.kind !== "QUARANTINED";
    await employees.update(employeeKey, {
      lifecycleState: after,
      ...(applied ? { applied: JSON.stringify(withApplied(appliedEventsOf(record), event)) } : {}),
      // A change to someone not in Genesys now is kept, so a later rehire or return starts from it.
      ...(transition?.action.kind === "RECORD" && item?.event
        ? { worker: JSON.stringify(item.event.worker), workerAsOf: event.effectiveDate }
        : {}),
    });
    if (outcome.kind === "QUARANTINED") {
      await quarantine.quarantine({
        source,
        idempotencyKey,
        reason: outcome.reason,
        employeeKey,
        ...(item?.row === undefined ? {} : { row: item.row }),
        now: now(),
      });
    }
    if (source === "batch") {
      const position = batchRowIndex(idempotencyKey);
      await batches.recordRow(batchIdOf(idempotencyKey), {
        position,
        row: item?.row ?? position + 1,
        employeeKey,
        state: stateOfOutcome(outcome),
        summary: outcomeText(outcome),
        ...(outcome.kind === "APPLIED" && outcome.userId ? { userId: outcome.userId } : {}),
      });
    }
    // One record per attempt: the inbox item's last update is when this attempt was accepted (or replayed).
    await audit.record(`outcome|${event.key}|${item?.updatedAt ?? ""}`, {
      employeeKey,
      at: now().toISOString(),
      eventId: event.eventId,
      operation: OPERATION[outcome.kind],
      summary: `${event.type} effective ${event.effectiveDate}: ${outcomeText(outcome)}`,
      after: {
        outcome,
        ...(transition ? { why: transition.why, state: { before, after } } : {}),
      },
    });
    if (await employees.getEvent(employeeKey, event.key))
      await employees.completeEvent(employeeKey, event.key, outcome);
    await inbox.update(source, idempotencyKey, {
      status: outcome.kind === "QUARANTINED" ? "quarantined" : "done",
      ...(outcome.kind === "QUARANTINED" ? { reason: outcome.reason } : {}),
      now: now(),
    });
  };
}
