import { z } from "zod";
import { defineActivity } from "./contract";
import { PlanStepSchema } from "../lifecycle/plan";
import type { PermanentFailure, RateLimited } from "./results";

/** A hire's Genesys user (null: none in any state) and manager (null: none found), as a search found them. */
export const HireLookupSchema = z.object({
  user: z
    .object({
      id: z.string().min(1),
      state: z.enum(["active", "inactive", "deleted"]),
      email: z.string().optional(),
    })
    .nullable(),
  manager: z.object({ id: z.string().min(1), name: z.string() }).nullable(),
});
export type HireLookup = z.infer<typeof HireLookupSchema>;

export const PrepareConvergeInputSchema = z.object({
  employeeKey: z.string().min(1),
  eventKey: z.string().min(1),
  /**
   * Bulk onboarding: queue joins and the invitation are left out of this plan; the batch adds queue members
   * per queue in chunks of 100 once every user exists, then verifies and invites.
   */
  deferQueuesAndInvite: z.boolean().optional(),
  /** Bulk onboarding: what the slice's one search found for this hire, so the plan does not search again. */
  lookup: HireLookupSchema.optional(),
  /** false: a user found inactive or deleted is not restored (a change never reactivates). */
  reactivate: z.boolean().optional(),
});
export type PrepareConvergeInput = z.infer<typeof PrepareConvergeInputSchema>;

/**
 * One step of a plan. The orchestrator orders and applies steps by `kind`; only activities look inside
 * `payload`, which is the planner's step itself, checked against its schema before it is applied.
 */
export const PlannedStepSchema = z
  .object({
    kind: z.string().min(1),
    /** Readable summary for status and audit, e.g. "join queue Tier_2_Escalation". */
    summary: z.string(),
    payload: PlanStepSchema,
  })
  .refine((step) => step.kind === step.payload.kind, {
    path: ["kind"],
    message: "must be the kind of the step in payload",
  });
export type PlannedStep = z.infer<typeof PlannedStepSchema>;

export type PrepareConvergeResult =
  | {
      kind: "PLANNED";
      mappingVersion: number;
      userId?: string;
      steps: PlannedStep[];
      /** Bulk onboarding: steps left to the batch (role grants, queues, invitation); the user still needs them. */
      deferredSteps?: number;
    }
  /** `withdraw`: for a provisioned active user, the steps that take away what this product assigned. */
  | { kind: "UNMAPPED"; reason: string; withdraw: PlannedStep[]; mappingVersion: number; userId?: string }
  /** The user is inactive and this event may not reactivate it. */
  | { kind: "USER_INACTIVE"; reason: string }
  | { kind: "DIVISION_ACCESS_DENIED"; reason: string }
  | RateLimited
  | PermanentFailure;

/**
 * Reads everything a joiner, mover or rehire needs and plans it: the worker (enriched from HR when the
 * message was thin), the desired profile from the active mapping, the current Genesys user (searched in all
 * states by employee id, then email), the plan, and the division-access pre-flight. Reads only: safe to retry.
 */
export const PREPARE_CONVERGE = defineActivity(
  "prepareConverge",
  PrepareConvergeInputSchema,
).returning<PrepareConvergeResult>();

export const ApplyStepInputSchema = z.object({
  employeeKey: z.string().min(1),
  eventId: z.string().min(1),
  mappingVersion: z.number().int(),
  /** The Genesys user, once it exists (after a create or restore step). */
  userId: z.string().min(1).optional(),
  /** The user's version as the previous step left it, when that step knew it: spares a read before a patch. */
  version: z.number().int().optional(),
  step: PlannedStepSchema,
  /**
   * Steps to apply after `step` in the same call, in order: a hire's create, patch, skills and languages are one
   * activity, not four, so each costs one round of orchestration storage instead of four.
   */
  then: z.array(PlannedStepSchema).optional(),
});
export type ApplyStepInput = z.infer<typeof ApplyStepInputSchema>;

/**
 * `applied`: how many of the call's steps were applied, counting from `step`. Fewer than asked when a later step
 * met a rate limit or a transient fault: the caller calls again with the rest, so nothing applied is applied
 * twice. Absent in results recorded before steps were applied together, which applied one.
 */
export type ApplyStepResult =
  | { kind: "DONE"; userId?: string; version?: number; applied?: number }
  | RateLimited
  | (PermanentFailure & { applied?: number });

/**
 * Applies planned steps to Genesys in order, idempotently, each audited with the HR event and mapping version.
 * Stops at the first step that fails; a rate limit or a transient fault on the first step comes back as it
 * would for one step (a value, or thrown for the Durable retry).
 */
export const APPLY_STEP = defineActivity("applyPlanStep", ApplyStepInputSchema).returning<ApplyStepResult>();

export const VerifyConvergedInputSchema = z.object({
  employeeKey: z.string().min(1),
  eventKey: z.string().min(1),
  userId: z.string().min(1),
  /** Bulk onboarding: queues and the invitation are not expected yet. */
  deferQueuesAndInvite: z.boolean().optional(),
  /**
   * Bulk onboarding: a user the batch created, found among the members of every queue the batch added it to,
   * so its mapped queues are taken as its queues instead of being read again.
   */
  queuesConfirmed: z.boolean().optional(),
  /** Bulk onboarding: likewise for its role grants, found in each division's grant listing. */
  grantsConfirmed: z.boolean().optional(),
});
export type VerifyConvergedInput = z.infer<typeof VerifyConvergedInputSchema>;

export type VerifyConvergedResult =
  | {
      kind: "CONVERGED";
      mappingVersion: number;
      /** The user has not been invited yet (the plan's last step is the invitation). */
      inviteNeeded: boolean;
    }
  | { kind: "DRIFT"; remaining: string[] }
  | RateLimited;

/** Reads the user back and re-plans; anything left (besides the invitation) is drift. */
export const VERIFY_CONVERGED = defineActivity(
  "verifyConverged",
  VerifyConvergedInputSchema,
).returning<VerifyConvergedResult>();

/** The invitation is a plan step like any other, but always sent last, once the agent is production-ready. */
export const INVITE_STEP_KIND = "INVITE";

/** Step kinds that bring the Genesys user into existence, which tell a joiner from a rehire in reports. */
export const CREATE_STEP_KIND = "CREATE_USER";
export const RESTORE_STEP_KIND = "RESTORE_USER";
