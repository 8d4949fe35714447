import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import {
  COMPARE_GENESYS_SLICE,
  EXPLAIN_GENESYS_FINDINGS,
  FAIL_RECONCILIATION,
  FINISH_RECONCILIATION,
  PLAN_GENESYS_RECONCILIATION,
  PREPARE_HR_RECONCILIATION,
  READ_GENESYS_SLICE,
  RECONCILE_HR_PAGE,
  type ReadCursor,
} from "../activities/reconciliation.contract";
import { defineOrchestration } from "../activities/contract";
import { NO_COMPARE_TOTALS, type CompareTotals } from "../lifecycle/reconcile/report";
import { after, callActivity, callWithBackPressure } from "./calls";

/** How a run ended (absent while it continues as new). */
export type ReconciliationOutput =
  | { runId: string; status: "completed"; genesysCalls: number }
  | { runId: string; status: "failed"; reason: string };

export const RECONCILIATION_ORCHESTRATOR = defineOrchestration<
  ReconciliationInput,
  ReconciliationOutput | undefined
>("reconciliationRun");

export interface ReconciliationInput {
  runId: string;
  mode: "report" | "fix";
  /** Genesys calls per slice, the pause between slices, and employees compared per slice. */
  slice: { calls: number; pauseInMs: number; employees: number };
  /** Set by continueAsNew: where the run is. */
  progress?: ReconciliationProgress;
}

interface ReconciliationProgress {
  phase: "hr" | "plan" | "read" | "compare" | "explain";
  startedAt: string;
  today: string;
  hr: { sources: number; source: number; cursor?: string };
  read: { cursor: ReadCursor; units: number };
  compare: { from: number; managed: number };
  genesysStartedAt?: string;
  totals: CompareTotals;
  calls: Record<string, number>;
  backOffs: number;
}

/** Slices per execution before continueAsNew: history stays short however large the org. */
const SLICES_PER_EXECUTION = 25;

const add = (a: CompareTotals, b: CompareTotals): CompareTotals => ({
  compared: a.compared + b.compared,
  inSync: a.inSync + b.inSync,
  drifted: a.drifted + b.drifted,
  driftItems: a.driftItems + b.driftItems,
  fixesQueued: a.fixesQueued + b.fixesQueued,
  notCompared: a.notCompared + b.notCompared,
});

/**
 * One reconciliation run. The HR half first: each configured HR source's changed workers, a page per slice,
 * each difference handed to the normal intake. Then the Genesys half, in throttled slices: shared listings
 * read a slice of calls at a time (a slice that finds the budget busy with event processing steps back and
 * waits), the managed employees compared a slice at a time, and what was found explained and summed up. The
 * run never holds the budget for long, and never runs two slices at once.
 */
export const reconciliationRun: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ReconciliationInput>();
  try {
    return yield* run(context, input);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    yield* callActivity(context, FAIL_RECONCILIATION, {
      runId: input.runId,
      reason,
      at: context.df.currentUtcDateTime.toISOString(),
    });
    return { runId: input.runId, status: "failed", reason } satisfies ReconciliationOutput;
  }
};

function* run(
  context: OrchestrationContext,
  input: ReconciliationInput,
): Generator<Task, ReconciliationOutput | undefined, unknown> {
  const { runId, mode, slice } = input;
  const now = () => context.df.currentUtcDateTime.toISOString();
  let progress = input.progress;
  if (!progress) {
    const startedAt = now();
    const prepared = yield* callActivity(context, PREPARE_HR_RECONCILIATION, { runId, at: startedAt });
    progress = {
      phase: "hr",
      startedAt,
      today: startedAt.slice(0, 10),
      hr: { sources: prepared.sources, source: 0 },
      read: { cursor: { unit: 0, page: 1 }, units: 0 },
      compare: { from: 0, managed: 0 },
      totals: NO_COMPARE_TOTALS,
      calls: {},
      backOffs: 0,
    };
  }
  const p = progress;
  const count = (phase: string, calls: number) => (p.calls[phase] = (p.calls[phase] ?? 0) + calls);
  /** Every wait for the budget counts as a back-off, whichever step made it. */
  const backedOff = () => p.backOffs++;
  const status = () =>
    context.df.setCustomStatus({
      runId,
      phase: p.phase,
      hrSource: p.hr.source,
      read: p.read,
      compared: p.compare.from,
      managed: p.compare.managed,
    });
  let slices = 0;
  const more = function* (pauseInMs: number): Generator<Task, boolean, unknown> {
    if (++slices >= SLICES_PER_EXECUTION) {
      context.df.continueAsNew({ ...input, progress: p } satisfies ReconciliationInput);
      return true;
    }
    if (pauseInMs > 0) yield context.df.createTimer(after(context, pauseInMs));
    return false;
  };

  while (p.phase === "hr") {
    status();
    if (p.hr.source >= p.hr.sources) {
      p.phase = "plan";
      break;
    }
    const page = yield* callActivity(context, RECONCILE_HR_PAGE, {
      runId,
      source: p.hr.source,
      ...(p.hr.cursor === undefined ? {} : { cursor: p.hr.cursor }),
      today: p.today,
    });
    if (page.kind === "PAGE") count("hr", page.calls);
    if (page.kind === "PAGE" && page.next !== undefined) p.hr.cursor = page.next;
    else p.hr = { sources: p.hr.sources, source: p.hr.source + 1 };
    if (yield* more(0)) return undefined;
  }

  if (p.phase === "plan") {
    status();
    p.genesysStartedAt = now();
    const planned = yield* callWithBackPressure(context, PLAN_GENESYS_RECONCILIATION, { runId }, backedOff);
    if (planned.kind === "PLANNED") {
      count("plan", planned.calls);
      p.backOffs += planned.retried ?? 0;
      p.read = { cursor: { unit: 0, page: 1 }, units: planned.units };
      p.compare = { from: 0, managed: planned.managed };
      p.phase = "read";
    } else {
      // No mapping to compare with: the plan recorded why; the run still ends with its HR half reported.
      p.phase = "explain";
    }
  }

  while (p.phase === "read") {
    status();
    if (p.read.cursor.unit >= p.read.units) {
      p.phase = "compare";
      break;
    }
    const read = yield* callActivity(context, READ_GENESYS_SLICE, {
      runId,
      cursor: p.read.cursor,
      maxCalls: slice.calls,
    });
    count("read", read.calls);
    p.backOffs += read.retried ?? 0;
    if (read.next === undefined) p.phase = "compare";
    else p.read.cursor = read.next;
    if (read.backOffInMs !== undefined) p.backOffs++;
    if (yield* more(p.phase === "read" ? Math.max(read.backOffInMs ?? 0, slice.pauseInMs) : 0))
      return undefined;
  }

  while (p.phase === "compare") {
    status();
    if (p.compare.from >= p.compare.managed) {
      p.phase = "explain";
      break;
    }
    const compared = yield* callWithBackPressure(
      context,
      COMPARE_GENESYS_SLICE,
      { runId, from: p.compare.from, count: slice.employees, mode, today: p.today },
      backedOff,
    );
    count("compare", compared.calls);
    p.backOffs += compared.retried ?? 0;
    p.totals = add(p.totals, compared.totals);
    p.compare.from += slice.employees;
    if (compared.done) p.compare.from = Math.max(p.compare.from, p.compare.managed);
    if (yield* more(p.compare.from < p.compare.managed ? slice.pauseInMs : 0)) return undefined;
  }

  status();
  const explained = yield* callWithBackPressure(context, EXPLAIN_GENESYS_FINDINGS, { runId }, backedOff);
  count("explain", explained.calls);
  p.backOffs += explained.retried ?? 0;
  const finished = yield* callActivity(context, FINISH_RECONCILIATION, {
    runId,
    totals: p.totals,
    orphans: explained.orphans,
    calls: p.calls,
    backOffs: p.backOffs,
    genesysStartedAt: p.genesysStartedAt ?? p.startedAt,
    at: now(),
  });
  context.df.setCustomStatus({ runId, phase: "done" });
  return { runId, ...finished };
}
