import type { QueuedEvent } from "../lifecycle/event-queue";

/** Reads the employee's accepted events from the inbox and decides which are due (see `decideQueue`). */
export const TAKE_DUE_EVENTS = "takeDueEvents";

export interface TakeDueEventsInput {
  employeeKey: string;
  /** The orchestration's clock, so the decision replays identically. */
  asOf: string;
}

export type DueEvent = Pick<QueuedEvent, "key" | "type" | "effectiveDate"> & { eventId: string };

export interface TakeDueEventsResult {
  due: DueEvent[];
  /** When the next waiting event becomes due, if any. */
  nextDueAt?: string;
  /** A leaver whose account is inactive and waits for deletion at `deleteAt`. */
  pendingDeletion?: { userId: string; deleteAt: string };
}

/** Marks an event as done in the inbox with its outcome, and quarantines it when it could not be applied. */
export const COMPLETE_EVENT = "completeEvent";

export type EventOutcome =
  | { kind: "APPLIED"; summary: string; userId?: string; change?: "created" | "restored" | "updated" }
  | { kind: "NOTHING_TO_DO"; summary: string }
  | { kind: "QUARANTINED"; reason: string };

/** A hire's state in a batch report, from its outcome. */
export function stateOfOutcome(
  outcome: EventOutcome,
): "created" | "restored" | "updated" | "unchanged" | "failed" {
  if (outcome.kind === "QUARANTINED") return "failed";
  if (outcome.kind === "NOTHING_TO_DO") return "unchanged";
  return outcome.change ?? "updated";
}

export interface CompleteEventInput {
  employeeKey: string;
  event: DueEvent;
  outcome: EventOutcome;
}

/** Deletes a leaver's inactive account once retention has passed, unless a rehire came first. */
export const DELETE_AFTER_RETENTION = "deleteAfterRetention";

export interface DeleteAfterRetentionInput {
  employeeKey: string;
  userId: string;
}
