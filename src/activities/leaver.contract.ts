import { z } from "zod";
import { defineActivity } from "./contract";
import type { PermanentFailure, RateLimited } from "./results";

export const PrepareLeaverInputSchema = z.object({
  employeeKey: z.string().min(1),
  eventKey: z.string().min(1),
});
export type PrepareLeaverInput = z.infer<typeof PrepareLeaverInputSchema>;

export interface LeaverPlan {
  userId: string;
  /** How long to keep re-checking for live interactions before applying the fallback. */
  drainDeadlineInMs: number;
  recheckIntervalInMs: number;
  /** Inactive this long before deletion; absent for a leave of absence. */
  retentionInMs?: number;
  /** How long a paused leaver waits for an operator before giving up (and staying active, off queue). */
  approvalTimeoutInMs: number;
}

export type PrepareLeaverResult =
  { kind: "FOUND"; plan: LeaverPlan } | { kind: "NO_USER"; summary: string } | RateLimited | PermanentFailure;

/**
 * Finds the leaver's Genesys user (employee id, then email) and marks the leaver as running, so no one hands
 * this person work while they leave.
 */
export const PREPARE_LEAVER = defineActivity(
  "prepareLeaver",
  PrepareLeaverInputSchema,
).returning<PrepareLeaverResult>();

export type OffQueueResult = { kind: "OFF_QUEUE" } | RateLimited | PermanentFailure;

export const LeaverStepInputSchema = z.object({
  employeeKey: z.string().min(1),
  eventId: z.string().min(1),
  userId: z.string().min(1),
});
export type LeaverStepInput = z.infer<typeof LeaverStepInputSchema>;

/** Phase 1: presence Offline and routing status OFF_QUEUE, so nothing new is routed to the agent. */
export const TAKE_OFF_QUEUE = defineActivity(
  "takeAgentOffQueue",
  LeaverStepInputSchema,
).returning<OffQueueResult>();

export const HandOverInputSchema = LeaverStepInputSchema.extend({
  /** The leaver's event in the employee's queue; the HR manager and the title come from it. */
  eventKey: z.string().min(1).optional(),
  /** Past the deadline: the chain ends in a disconnect as the last resort. */
  deadlinePassed: z.boolean(),
}) satisfies z.ZodType<LeaverStepInput>;
export type HandOverInput = z.infer<typeof HandOverInputSchema>;

export type HandOverResult =
  { kind: "HANDED_OVER"; handled: number; remaining: number } | RateLimited | PermanentFailure;

/**
 * Phase 2: hands the agent's live calls, emails, messages and callbacks (placed, or scheduled and owned) to
 * someone else, per the mapping's policy, with every target resolved afresh on each pass. Before the deadline
 * nothing is disconnected.
 */
export const HAND_OVER_INTERACTIONS = defineActivity(
  "handOverInteractions",
  HandOverInputSchema,
).returning<HandOverResult>();

export const GuardInputSchema = LeaverStepInputSchema.extend({
  asOf: z.iso.datetime(),
  /** The leaver orchestration, which an operator's decision is raised on. */
  instanceId: z.string().min(1),
});
export type GuardInput = z.infer<typeof GuardInputSchema>;

export type GuardResult =
  { kind: "PROCEED" } | { kind: "APPROVAL_REQUIRED"; approvalId: string; reason: string };

/** Asks the mass-deactivation guard whether this leaver must wait for an operator. */
export const CHECK_DEACTIVATION_GUARD = defineActivity(
  "checkDeactivationGuard",
  GuardInputSchema,
).returning<GuardResult>();

/**
 * The external event `POST /api/approvals/{id}` raises on a paused leaver. It only wakes the leaver: the
 * decision itself is read from the approvals table, so an event raised any other way decides nothing.
 */
export const APPROVAL_EVENT = "deactivation-approval";

export interface ApprovalDecision {
  approved: boolean;
  by: string;
  comment?: string;
}

export const ReadApprovalInputSchema = z.object({ approvalId: z.string().min(1) });
export type ReadApprovalInput = z.infer<typeof ReadApprovalInputSchema>;

export type ReadApprovalResult = { kind: "PENDING" } | ({ kind: "DECIDED" } & ApprovalDecision);

/** Reads the stored approval a paused leaver waits on: decided (by whom) or still pending. */
export const READ_APPROVAL = defineActivity(
  "readApprovalDecision",
  ReadApprovalInputSchema,
).returning<ReadApprovalResult>();

export const DeactivateInputSchema = LeaverStepInputSchema.extend({
  deleteAt: z.iso.datetime().optional(),
});
export type DeactivateInput = z.infer<typeof DeactivateInputSchema>;

export type DeactivateResult =
  { kind: "DEACTIVATED" } | { kind: "LIVE_WORK"; count: number } | RateLimited | PermanentFailure;

/**
 * Phase 3: snapshot the profile this product assigned, remove queue memberships, revoke tokens, set inactive.
 * `deleteAt` is recorded with the employee so the deletion timer survives restarts. Nothing is touched while the
 * user still holds live work (it may have arrived during a guard wait): then it answers LIVE_WORK, to be handed
 * over first.
 */
export const DEACTIVATE_LEAVER = defineActivity(
  "deactivateLeaver",
  DeactivateInputSchema,
).returning<DeactivateResult>();

export const FinishLeaverInputSchema = z.object({ employeeKey: z.string().min(1) });
export type FinishLeaverInput = z.infer<typeof FinishLeaverInputSchema>;

/** The leaver has ended, whichever way: the person is no longer marked as leaving. */
export const FINISH_LEAVER = defineActivity("finishLeaver", FinishLeaverInputSchema).returning<void>();
