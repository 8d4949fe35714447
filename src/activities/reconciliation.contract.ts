import { z } from "zod";
import type { CompareTotals } from "../lifecycle/reconcile/report";
import { defineActivity } from "./contract";
import type { PermanentFailure, RateLimited } from "./results";

/*
 * The activities of a reconciliation run. Every one is idempotent: run again with the same input, it reads
 * again and writes the same rows (findings replace findings; events are keyed by the HR data they carry, or
 * by the run for a fix, so the intake takes each once).
 */

const RunIdSchema = z.string().min(1).max(128);
const TodaySchema = z.iso.date();

export const PrepareHrInputSchema = z.object({
  runId: RunIdSchema,
  /** The run's start, from the orchestration's clock: the end of every HR window. */
  at: z.iso.datetime(),
});
export type PrepareHrInput = z.infer<typeof PrepareHrInputSchema>;

export interface PrepareHrResult {
  /** The HR sources to read, in order. */
  sources: number;
}

export const HrPageInputSchema = z.object({
  runId: RunIdSchema,
  source: z.number().int().min(0),
  cursor: z.string().optional(),
  today: TodaySchema,
});
export type HrPageInput = z.infer<typeof HrPageInputSchema>;

export type HrPageResult =
  | { kind: "PAGE"; next?: string; calls: number }
  /** The source could not be read; the run goes on without it, and its window is read again next time. */
  | PermanentFailure;

export const PlanGenesysInputSchema = z.object({ runId: RunIdSchema });
export type PlanGenesysInput = z.infer<typeof PlanGenesysInputSchema>;

/**
 * `retried`, in every Genesys step's result: attempts of the step that failed on a transient fault before this
 * one, each retried by the orchestration after a back-off (absent: none, as from a step run before this was
 * counted). Their calls are in `calls`.
 */
export type PlanGenesysResult =
  | { kind: "PLANNED"; units: number; managed: number; calls: number; retried?: number }
  | RateLimited
  /** Nothing can be compared (no mapping is active); the report says why. */
  | PermanentFailure;

export const ReadCursorSchema = z.object({ unit: z.number().int().min(0), page: z.number().int().min(1) });
export type ReadCursor = z.infer<typeof ReadCursorSchema>;

export const ReadSliceInputSchema = z.object({
  runId: RunIdSchema,
  cursor: ReadCursorSchema,
  maxCalls: z.number().int().min(1),
});
export type ReadSliceInput = z.infer<typeof ReadSliceInputSchema>;

export interface ReadSliceResult {
  /** Where the next slice starts; absent when every listing is read. */
  next?: ReadCursor;
  calls: number;
  retried?: number;
  /** Set when the slice stopped for the rate budget (events first): wait this long before the next one. */
  backOffInMs?: number;
}

export const CompareSliceInputSchema = z.object({
  runId: RunIdSchema,
  from: z.number().int().min(0),
  count: z.number().int().min(1),
  mode: z.enum(["report", "fix"]),
  today: TodaySchema,
});
export type CompareSliceInput = z.infer<typeof CompareSliceInputSchema>;

export type CompareSliceResult =
  { kind: "COMPARED"; totals: CompareTotals; calls: number; retried?: number; done: boolean } | RateLimited;

export const ExplainInputSchema = z.object({ runId: RunIdSchema });
export type ExplainInput = z.infer<typeof ExplainInputSchema>;

export type ExplainResult =
  { kind: "EXPLAINED"; calls: number; retried?: number; orphans: number } | RateLimited;

const CompareTotalsSchema = z.object({
  compared: z.number().int(),
  inSync: z.number().int(),
  drifted: z.number().int(),
  driftItems: z.number().int(),
  fixesQueued: z.number().int(),
  notCompared: z.number().int(),
}) satisfies z.ZodType<CompareTotals>;

export const FinishInputSchema = z.object({
  runId: RunIdSchema,
  totals: CompareTotalsSchema,
  orphans: z.number().int().min(0),
  /** Genesys calls by phase, as the slices counted them. */
  calls: z.record(z.string(), z.number().int().min(0)),
  /** Times the run waited before going on: steps back for the budget, and retries after transient faults. */
  backOffs: z.number().int().min(0),
  /** When the Genesys half started and ended, by the orchestration's clock. */
  genesysStartedAt: z.iso.datetime(),
  at: z.iso.datetime(),
});
export type FinishInput = z.infer<typeof FinishInputSchema>;

export interface FinishResult {
  status: "completed";
  genesysCalls: number;
}

export const FailInputSchema = z.object({ runId: RunIdSchema, reason: z.string(), at: z.iso.datetime() });
export type FailInput = z.infer<typeof FailInputSchema>;

/** Works out each configured HR source's window (since its last successful run) and records them on the run. */
export const PREPARE_HR_RECONCILIATION = defineActivity(
  "prepareHrReconciliation",
  PrepareHrInputSchema,
).returning<PrepareHrResult>();

/**
 * Reads one page of an HR source's changed workers, decides each against what the product last applied, hands
 * the differences to the intake as events, and records every finding.
 */
export const RECONCILE_HR_PAGE = defineActivity(
  "reconcileHrPage",
  HrPageInputSchema,
).returning<HrPageResult>();

/**
 * Decides what the Genesys half reads (shared listings or reads per user, by cost) for the employees the
 * product manages now, and records the plan and the employees on the run.
 */
export const PLAN_GENESYS_RECONCILIATION = defineActivity(
  "planGenesysReconciliation",
  PlanGenesysInputSchema,
).returning<PlanGenesysResult>();

/** Reads shared listings from the cursor on, up to `maxCalls` calls, storing each page for the compare. */
export const READ_GENESYS_SLICE = defineActivity(
  "readGenesysSlice",
  ReadSliceInputSchema,
).returning<ReadSliceResult>();

/**
 * Compares a slice of the managed employees with the mapped profile, from the shared reads (and per-user
 * reads where they could not show it); records drift, and in fix mode hands each drifted employee's fix
 * to their lifecycle.
 */
export const COMPARE_GENESYS_SLICE = defineActivity(
  "compareGenesysSlice",
  CompareSliceInputSchema,
).returning<CompareSliceResult>();

/**
 * What the Genesys half found, explained: orphans (users whose employee id neither the product nor HR knows)
 * and, from Genesys's audit, who changed each drifted attribute and when.
 */
export const EXPLAIN_GENESYS_FINDINGS = defineActivity(
  "explainGenesysFindings",
  ExplainInputSchema,
).returning<ExplainResult>();

/**
 * Ends a run: the cost, the summary, and each read HR source's new starting point. Then the run's working data
 * is deleted. No Genesys call: the wall time it reports ends where the calls ended.
 */
export const FINISH_RECONCILIATION = defineActivity(
  "finishReconciliation",
  FinishInputSchema,
).returning<FinishResult>();

/** Marks a run failed, with the reason, when it could not go on. */
export const FAIL_RECONCILIATION = defineActivity("failReconciliation", FailInputSchema).returning<void>();
