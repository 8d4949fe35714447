import type { HireLookup } from "./converge.contract";
import type { DueEvent, EventOutcome } from "./employee-events.contract";
import type { PermanentFailure, RateLimited } from "./results";

/** Totals shown in the batch's custom status and on GET /api/onboarding/batches/{id}. */
export interface BatchTotals {
  total: number;
  pending: number;
  created: number;
  restored: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/**
 * Reads one slice of a batch's hires from the inbox and looks them all up in Genesys at once (by employee id,
 * then email, in all states, and their managers), for each hire's plan. Returns the hires to converge.
 */
export const LOOK_UP_BATCH_SLICE = "lookUpBatchSlice";

export interface BatchSliceInput {
  batchId: string;
  /** Row numbers, from inclusive, to exclusive. */
  from: number;
  to: number;
}

export interface BatchHire {
  employeeKey: string;
  row: number;
  event: DueEvent;
  /** What the slice's search found for this hire. */
  lookup?: HireLookup;
}

export interface SettledHire {
  row: number;
  employeeKey: string;
  outcome: EventOutcome;
}

export type LookUpBatchSliceResult =
  | {
      kind: "FOUND";
      /** The hires to converge. */
      hires: BatchHire[];
      /** Rows already settled without Genesys: invalid at intake, or a duplicate of an earlier row. */
      settled: SettledHire[];
    }
  | RateLimited;

/** Records each hire's outcome in the batch's per-hire report. */
export const RECORD_BATCH_OUTCOMES = "recordBatchOutcomes";

export interface RecordBatchOutcomesInput {
  batchId: string;
  outcomes: SettledHire[];
}

/** Adds the batch's new users to their mapped queues: one call per queue per 100 members. */
export const JOIN_BATCH_QUEUES = "joinBatchQueues";

export type JoinBatchQueuesResult =
  { kind: "JOINED"; queues: number; members: number } | RateLimited | PermanentFailure;

/** Reads each hire of a slice back, then sends the invitation to the production-ready ones. */
export const FINISH_BATCH_SLICE = "finishBatchSlice";

export type FinishBatchSliceResult = { kind: "FINISHED"; outcomes: SettledHire[] } | RateLimited;

/** Writes the final per-hire report (JSON and CSV) and marks the batch complete. */
export const COMPLETE_BATCH = "completeBatch";

export interface CompleteBatchInput {
  batchId: string;
  totals: BatchTotals;
  /** Why the batch stopped before inviting anyone, when it did. */
  reason?: string;
}
