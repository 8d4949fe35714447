import { z } from "zod";
import { defineActivity } from "./contract";
import {
  LIFECYCLE_STATES,
  type AppliedEvent,
  type AppliedEvents,
  type LifecycleState,
} from "../lifecycle/employee-lifecycle";
import type { HrRetryPolicy } from "../config/settings";
import { HR_EVENT_TYPES, type HrSource } from "../lifecycle/hr-event";

export const TakeDueEventsInputSchema = z.object({
  employeeKey: z.string().min(1),
  /** The orchestration's clock, so the decision replays identically. */
  asOf: z.iso.datetime(),
});
export type TakeDueEventsInput = z.infer<typeof TakeDueEventsInputSchema>;

export const DueEventSchema = z.object({
  key: z.string().min(1),
  eventId: z.string().min(1),
  type: z.enum(HR_EVENT_TYPES),
  effectiveDate: z.string().min(1),
});
export type DueEvent = z.infer<typeof DueEventSchema>;

export interface TakeDueEventsResult {
  /** Where the employee is in the lifecycle before the due events are applied. */
  state: LifecycleState;
  /** The latest applied event of each type, which late events are compared with. */
  applied: AppliedEvents;
  due: DueEvent[];
  /** When the next waiting event becomes due, if any. */
  nextDueAt?: string;
  /** A leaver whose account is inactive and waits for deletion at `deleteAt`. */
  pendingDeletion?: { userId: string; deleteAt: string };
  /**
   * Items acknowledged before their event was read back from HR, oldest first, and how to retry through an HR
   * outage. They are read back before anything is applied: only then does the lifecycle know their place.
   */
  awaitingHr?: { items: AwaitingHrRef[]; retry: HrRetryPolicy };
}

export interface AwaitingHrRef {
  source: HrSource;
  idempotencyKey: string;
  receivedAt: string;
}

/** Reads the employee's accepted events from the inbox and decides which are due (see `decideQueue`). */
export const TAKE_DUE_EVENTS = defineActivity(
  "takeDueEvents",
  TakeDueEventsInputSchema,
).returning<TakeDueEventsResult>();

const LifecycleStateSchema = z.enum(LIFECYCLE_STATES);

export const BeginEventInputSchema = z.object({
  employeeKey: z.string().min(1),
  event: DueEventSchema,
  state: LifecycleStateSchema,
});
export type BeginEventInput = z.infer<typeof BeginEventInputSchema>;

/** Persists the state an employee is in while an event is applied (a leaver in progress shows as such). */
export const BEGIN_EVENT = defineActivity("beginEvent", BeginEventInputSchema).returning<void>();

/** How an accepted event ended; each one is recorded once in the employee's audit. */
export const EventOutcomeSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("APPLIED"),
    summary: z.string(),
    userId: z.string().optional(),
    change: z.enum(["created", "restored", "updated"]).optional(),
  }),
  z.object({
    kind: z.literal("NOTHING_TO_DO"),
    summary: z.string(),
    /** `USER_INACTIVE`: a change found the user inactive and does not reactivate it. */
    code: z.string().optional(),
  }),
  z.object({ kind: z.literal("QUARANTINED"), reason: z.string() }),
  z.object({
    kind: z.literal("SUPERSEDED"),
    summary: z.string(),
    /** The applied event that made this one moot. */
    by: z.object({ eventId: z.string(), type: z.enum(HR_EVENT_TYPES), effectiveDate: z.string() }),
  }),
]);
export type EventOutcome = z.infer<typeof EventOutcomeSchema>;

/** The outcome of an event an applied one made moot. */
export const superseded = (by: AppliedEvent): EventOutcome => ({
  kind: "SUPERSEDED",
  by,
  summary: `superseded by ${by.eventId} (${by.type} effective ${by.effectiveDate}), already applied`,
});

/** An outcome in words: the summary, or the quarantine reason. */
export const outcomeText = (outcome: EventOutcome): string =>
  outcome.kind === "QUARANTINED" ? outcome.reason : outcome.summary;

/** A hire's state in a batch report, from its outcome. */
export function stateOfOutcome(
  outcome: EventOutcome,
): "created" | "restored" | "updated" | "unchanged" | "failed" {
  if (outcome.kind === "QUARANTINED") return "failed";
  if (outcome.kind === "NOTHING_TO_DO" || outcome.kind === "SUPERSEDED") return "unchanged";
  return outcome.change ?? "updated";
}

/** What the lifecycle table decided for an event (`decide` in src/lifecycle/employee-lifecycle.ts). */
export const TransitionSchema = z.object({
  state: LifecycleStateSchema,
  action: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("CONVERGE"), reactivate: z.boolean() }),
    z.object({ kind: z.literal("LEAVE"), leaveOfAbsence: z.boolean() }),
    z.object({ kind: z.literal("RECORD") }),
    z.object({ kind: z.literal("NOTHING") }),
  ]),
  why: z.string(),
});
export type DecidedTransition = z.infer<typeof TransitionSchema>;

export const CompleteEventInputSchema = z.object({
  employeeKey: z.string().min(1),
  event: DueEventSchema,
  /** The state the event was applied in, the action and why; absent for an event that was never applied. */
  transition: TransitionSchema.optional(),
  outcome: EventOutcomeSchema,
});
export type CompleteEventInput = z.infer<typeof CompleteEventInputSchema>;

/** Marks an event as done with its outcome, moves the lifecycle state on, and quarantines what was not applied. */
export const COMPLETE_EVENT = defineActivity("completeEvent", CompleteEventInputSchema).returning<void>();

export const DeleteAfterRetentionInputSchema = z.object({
  employeeKey: z.string().min(1),
  userId: z.string().min(1),
});
export type DeleteAfterRetentionInput = z.infer<typeof DeleteAfterRetentionInputSchema>;

/** Deletes a leaver's inactive account once retention has passed, unless a rehire came first. */
export const DELETE_AFTER_RETENTION = defineActivity(
  "deleteAfterRetention",
  DeleteAfterRetentionInputSchema,
).returning<void>();
