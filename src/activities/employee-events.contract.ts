import { z } from "zod";

/** Reads the employee's accepted events from the inbox and decides which are due (see `decideQueue`). */
export const TAKE_DUE_EVENTS = "takeDueEvents";

export const TakeDueEventsInputSchema = z.object({
  employeeKey: z.string().min(1),
  /** The orchestration's clock, so the decision replays identically. */
  asOf: z.iso.datetime(),
});
export type TakeDueEventsInput = z.infer<typeof TakeDueEventsInputSchema>;

export const DueEventSchema = z.object({
  key: z.string().min(1),
  eventId: z.string().min(1),
  type: z.enum(["hire", "change", "terminate", "rehire", "leave_start", "leave_end"]),
  effectiveDate: z.string().min(1),
});
export type DueEvent = z.infer<typeof DueEventSchema>;

export interface TakeDueEventsResult {
  due: DueEvent[];
  /** When the next waiting event becomes due, if any. */
  nextDueAt?: string;
  /** A leaver whose account is inactive and waits for deletion at `deleteAt`. */
  pendingDeletion?: { userId: string; deleteAt: string };
}

/** Marks an event as done in the inbox with its outcome, and quarantines it when it could not be applied. */
export const COMPLETE_EVENT = "completeEvent";

export const EventOutcomeSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("APPLIED"),
    summary: z.string(),
    userId: z.string().optional(),
    change: z.enum(["created", "restored", "updated"]).optional(),
  }),
  z.object({ kind: z.literal("NOTHING_TO_DO"), summary: z.string() }),
  z.object({ kind: z.literal("QUARANTINED"), reason: z.string() }),
]);
export type EventOutcome = z.infer<typeof EventOutcomeSchema>;

/** A hire's state in a batch report, from its outcome. */
export function stateOfOutcome(
  outcome: EventOutcome,
): "created" | "restored" | "updated" | "unchanged" | "failed" {
  if (outcome.kind === "QUARANTINED") return "failed";
  if (outcome.kind === "NOTHING_TO_DO") return "unchanged";
  return outcome.change ?? "updated";
}

export const CompleteEventInputSchema = z.object({
  employeeKey: z.string().min(1),
  event: DueEventSchema,
  outcome: EventOutcomeSchema,
});
export type CompleteEventInput = z.infer<typeof CompleteEventInputSchema>;

/** Deletes a leaver's inactive account once retention has passed, unless a rehire came first. */
export const DELETE_AFTER_RETENTION = "deleteAfterRetention";

export const DeleteAfterRetentionInputSchema = z.object({
  employeeKey: z.string().min(1),
  userId: z.string().min(1),
});
export type DeleteAfterRetentionInput = z.infer<typeof DeleteAfterRetentionInputSchema>;
