import type { PermanentFailure, RateLimited } from "./results";

/**
 * Reads everything a joiner, mover or rehire needs and plans it: the worker (enriched from HR when the
 * message was thin), the desired profile from the active mapping, the current Genesys user (searched in all
 * states by employee id, then email), the plan, and the division-access pre-flight. Reads only: safe to retry.
 */
export const PREPARE_CONVERGE = "prepareConverge";

export interface PrepareConvergeInput {
  employeeKey: string;
  eventKey: string;
  /**
   * Bulk onboarding: queue joins and the invitation are left out of this plan; the batch adds queue members
   * per queue in chunks of 100 once every user exists, then verifies and invites.
   */
  deferQueuesAndInvite?: boolean;
  /** Bulk onboarding: what the slice's one search found for this hire, so the plan does not search again. */
  lookup?: HireLookup;
}

/** A hire's Genesys user (null: none in any state) and manager (null: none found), as a search found them. */
export interface HireLookup {
  user: { id: string; state: "active" | "inactive" | "deleted"; email?: string } | null;
  manager: { id: string; name: string } | null;
}

/** One step of a plan (`PlanStep` in src/lifecycle/plan.ts). The orchestrator orders and applies steps; only activities look inside `payload`. */
export interface PlannedStep {
  kind: string;
  /** Readable summary for status and audit, e.g. "join queue Tier_2_Escalation". */
  summary: string;
  payload: unknown;
}

export type PrepareConvergeResult =
  | { kind: "PLANNED"; mappingVersion: number; userId?: string; steps: PlannedStep[] }
  | { kind: "UNMAPPED"; reason: string }
  | { kind: "DIVISION_ACCESS_DENIED"; reason: string }
  | RateLimited
  | PermanentFailure;

/** Applies one planned step to Genesys, idempotently, and audits it with the HR event and mapping version. */
export const APPLY_STEP = "applyPlanStep";

export interface ApplyStepInput {
  employeeKey: string;
  eventId: string;
  mappingVersion: number;
  /** The Genesys user, once it exists (after a create or restore step). */
  userId?: string;
  /** The user's version as the previous step left it, when that step knew it: spares a read before a patch. */
  version?: number;
  step: PlannedStep;
}

export type ApplyStepResult =
  { kind: "DONE"; userId?: string; version?: number } | RateLimited | PermanentFailure;

/** Reads the user back and re-plans; anything left (besides the invitation) is drift. */
export const VERIFY_CONVERGED = "verifyConverged";

export interface VerifyConvergedInput {
  employeeKey: string;
  eventKey: string;
  userId: string;
  /** Bulk onboarding: queues and the invitation are not expected yet. */
  deferQueuesAndInvite?: boolean;
}

export type VerifyConvergedResult =
  | {
      kind: "CONVERGED";
      mappingVersion: number;
      /** The user has not been invited yet (the plan's last step is the invitation). */
      inviteNeeded: boolean;
    }
  | { kind: "DRIFT"; remaining: string[] }
  | RateLimited;

/** The invitation is a plan step like any other, but always sent last, once the agent is production-ready. */
export const INVITE_STEP_KIND = "INVITE";

/** Step kinds that bring the Genesys user into existence, which tell a joiner from a rehire in reports. */
export const CREATE_STEP_KIND = "CREATE_USER";
export const RESTORE_STEP_KIND = "RESTORE_USER";
