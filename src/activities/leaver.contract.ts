import type { LeaverTransferPolicy, TransferCandidates } from "../lifecycle/leaver-policy";
import type { PermanentFailure, RateLimited } from "./results";

/** Finds the leaver's Genesys user (employee id, then email) and the leaver policy from the mapping. */
export const PREPARE_LEAVER = "prepareLeaver";

export interface PrepareLeaverInput {
  employeeKey: string;
  eventKey: string;
}

export interface LeaverPlan {
  userId: string;
  policy: LeaverTransferPolicy;
  /** The manager, the profile's supervisor and the fallback queue, resolved to Genesys ids. */
  candidates: TransferCandidates;
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

/** Phase 1: presence Offline and routing status OFF_QUEUE, so nothing new is routed to the agent. */
export const TAKE_OFF_QUEUE = "takeAgentOffQueue";

export interface LeaverStepInput {
  employeeKey: string;
  eventId: string;
  userId: string;
}

/** Phase 2: hands the agent's live calls, emails and messages to someone else, per policy. */
export const HAND_OVER_INTERACTIONS = "handOverInteractions";

export interface HandOverInput extends LeaverStepInput {
  policy: LeaverTransferPolicy;
  candidates: TransferCandidates;
  /** Past the deadline: apply the fallback to whatever is still live, down to disconnecting. */
  deadlinePassed: boolean;
}

export type HandOverResult =
  { kind: "HANDED_OVER"; handled: number; remaining: number } | RateLimited | PermanentFailure;

/** Asks the mass-deactivation guard whether this leaver must wait for an operator. */
export const CHECK_DEACTIVATION_GUARD = "checkDeactivationGuard";

export interface GuardInput extends LeaverStepInput {
  asOf: string;
  /** The leaver orchestration, which an operator's decision is raised on. */
  instanceId: string;
}

export type GuardResult =
  { kind: "PROCEED" } | { kind: "APPROVAL_REQUIRED"; approvalId: string; reason: string };

/** The external event `POST /api/approvals/{id}` raises on a paused leaver. */
export const APPROVAL_EVENT = "deactivation-approval";

export interface ApprovalDecision {
  approved: boolean;
  by: string;
  comment?: string;
}

/**
 * Phase 3: snapshot the profile this product assigned, remove queue memberships, revoke tokens, set inactive.
 * `deleteAt` is recorded with the employee so the deletion timer survives restarts.
 */
export const DEACTIVATE_LEAVER = "deactivateLeaver";

export interface DeactivateInput extends LeaverStepInput {
  deleteAt?: string;
}

export type DeactivateResult = { kind: "DEACTIVATED" } | RateLimited | PermanentFailure;
