import { z } from "zod";
import { defineActivity } from "./contract";
import type { HireLookup } from "./converge.contract";
import {
  DueEventSchema,
  EventOutcomeSchema,
  TransitionSchema,
  type DecidedTransition,
  type DueEvent,
} from "./employee-events.contract";
import type { PermanentFailure, RateLimited } from "./results";

/** Totals shown in the batch's custom status and on GET /api/onboarding/batches/{id}. */
const count = z.number().int().min(0);
export const BatchTotalsSchema = z.object({
  total: count,
  pending: count,
  created: count,
  restored: count,
  updated: count,
  unchanged: count,
  failed: count,
});
export type BatchTotals = z.infer<typeof BatchTotalsSchema>;

/** Row numbers, from inclusive, to exclusive. */
export const BatchSliceInputSchema = z
  .object({ batchId: z.string().min(1), from: z.number().int().min(0), to: z.number().int().min(0) })
  .refine((slice) => slice.from <= slice.to, { message: "from must not be after to" });
export type BatchSliceInput = z.infer<typeof BatchSliceInputSchema>;

export interface BatchHire {
  employeeKey: string;
  /** Position in the batch (0-based), which the orchestration counts by. */
  row: number;
  /** The row number people see: the CSV line (header = line 1), or a JSON batch's item number. */
  line: number;
  event: DueEvent;
  /** What the lifecycle table decided for this row (always a converge). */
  transition: DecidedTransition;
  /** What the slice's search found for this hire. */
  lookup?: HireLookup;
}

export const SettledHireSchema = z.object({
  row: z.number().int().min(0),
  line: z.number().int().min(1),
  employeeKey: z.string().min(1),
  /** The event behind the row, once it has one (a row refused at intake has none). */
  event: DueEventSchema.optional(),
  /** What the lifecycle table decided; absent for a row that was never applied (a duplicate, superseded). */
  transition: TransitionSchema.optional(),
  outcome: EventOutcomeSchema,
});
export type SettledHire = z.infer<typeof SettledHireSchema>;

/** A range of a batch's rows, read and looked up in Genesys. */
export interface BatchRowsFound {
  kind: "FOUND";
  /** The hires to converge. */
  hires: BatchHire[];
  /** Rows already settled without Genesys: invalid at intake, or a duplicate of an earlier row. */
  settled: SettledHire[];
}

export type LookUpBatchSliceResult = BatchRowsFound | RateLimited;

/**
 * Reads one slice of a batch's hires from the inbox and looks them all up in Genesys at once (by employee id,
 * then email, in all states, and their managers), for each hire's plan. Returns the hires to converge.
 */
export const LOOK_UP_BATCH_SLICE = defineActivity(
  "lookUpBatchSlice",
  BatchSliceInputSchema,
).returning<LookUpBatchSliceResult>();

export const RecordBatchOutcomesInputSchema = z.object({
  batchId: z.string().min(1),
  outcomes: z.array(SettledHireSchema),
});
export type RecordBatchOutcomesInput = z.infer<typeof RecordBatchOutcomesInputSchema>;

/** Records each hire's outcome in the batch's per-hire report. */
export const RECORD_BATCH_OUTCOMES = defineActivity(
  "recordBatchOutcomes",
  RecordBatchOutcomesInputSchema,
).returning<void>();

export const JoinBatchQueuesInputSchema = z.object({ batchId: z.string().min(1) });
export type JoinBatchQueuesInput = z.infer<typeof JoinBatchQueuesInputSchema>;

export type JoinBatchQueuesResult =
  { kind: "JOINED"; queues: number; members: number } | RateLimited | PermanentFailure;

/**
 * Grants the batch's users their mapped roles (one call per role and set of divisions) and adds them to their
 * mapped queues (one call per queue per 100 members), then confirms the created users' queues and role grants
 * with one listing per queue, per division and per role granted in all divisions.
 */
export const JOIN_BATCH_QUEUES = defineActivity(
  "joinBatchQueues",
  JoinBatchQueuesInputSchema,
).returning<JoinBatchQueuesResult>();

export type FinishBatchSliceResult = { kind: "FINISHED"; outcomes: SettledHire[] } | RateLimited;

/** Reads each hire of a slice back, then sends the invitation to the production-ready ones. */
export const FINISH_BATCH_SLICE = defineActivity(
  "finishBatchSlice",
  BatchSliceInputSchema,
).returning<FinishBatchSliceResult>();

export const CompleteBatchInputSchema = z.object({
  batchId: z.string().min(1),
  totals: BatchTotalsSchema,
  /** Why the batch stopped before inviting anyone, when it did. */
  reason: z.string().optional(),
});
export type CompleteBatchInput = z.infer<typeof CompleteBatchInputSchema>;

/** Writes the final per-hire report (JSON and CSV) and marks the batch complete. */
export const COMPLETE_BATCH = defineActivity("completeBatch", CompleteBatchInputSchema).returning<void>();
