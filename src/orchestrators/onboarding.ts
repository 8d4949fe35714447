import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { defineOrchestration } from "../activities/contract";
import { stateOfOutcome } from "../activities/employee-events.contract";
import {
  COMPLETE_BATCH,
  FINISH_BATCH_SLICE,
  JOIN_BATCH_QUEUES,
  LOOK_UP_BATCH_SLICE,
  RECORD_BATCH_OUTCOMES,
  type BatchRowsFound,
  type BatchSliceInput,
  type BatchTotals,
  type FinishBatchSliceResult,
} from "../activities/onboarding.contract";
import { isRateLimited, type RateLimited } from "../activities/results";
import {
  callActivity,
  callWithBackPressure,
  outputOf,
  startActivity,
  startSubOrchestration,
  waitOut,
  whenAll,
} from "./calls";
import { CONVERGE_ORCHESTRATOR } from "./converge";
import { runInFlight } from "./in-flight";

/** Each hire's state in the batch; kept in the orchestration input, a few bytes per hire. */
export type HireState = "pending" | "created" | "restored" | "updated" | "unchanged" | "failed";

export interface OnboardingBatchInput {
  batchId: string;
  total: number;
  /** Hires converged at once (`ONBOARDING_BATCH_SIZE`, 10 by default). */
  sliceSize: number;
  /** Pause between slices (`ONBOARDING_BATCH_INTERVAL_MS`, 1 s by default). */
  sliceIntervalInMs: number;
  /**
   * 2: only the rows the first slices need are looked up before they start, the rest once they are under way,
   * and the next execution's rows midway through this one's slices. Absent in instances started before that
   * schedule, which replay the one they started with: every row of an execution looked up first, and the next
   * execution's rows with the first slice.
   */
  schedule?: 2;
  /**
   * Set by continueAsNew: where the batch is, every hire's state so far, and (converging) what the lookups of
   * this execution's rows found, looked up while the execution before ran its slices.
   */
  progress?: {
    phase: "converge" | "queues" | "finish";
    next: number;
    hires: HireState[];
    found?: BatchRowsFound;
  };
}

export const ONBOARDING_BATCH_ORCHESTRATOR = defineOrchestration<OnboardingBatchInput, BatchTotals>(
  "onboardingBatch",
);
/** A slice to converge, with what the batch's lookup found for its rows. */
export interface OnboardingSliceInput extends BatchSliceInput {
  found?: BatchRowsFound;
}

/** Each converged row's state, by position. */
export const ONBOARDING_SLICE_ORCHESTRATOR = defineOrchestration<
  OnboardingSliceInput,
  Array<{ row: number; state: HireState }>
>("onboardingSlice");
export const ONBOARDING_FINISH_ORCHESTRATOR = defineOrchestration<
  BatchSliceInput,
  Exclude<FinishBatchSliceResult, RateLimited>
>("onboardingFinishSlice");

/**
 * Rows looked up in Genesys per lookup: a search finds a hundred users in one call, so the batch looks its rows
 * up a hundred at a time and hands each slice its share, instead of a search per slice of ten.
 */
export const LOOKUP_ROWS = 100;

/** Slices per execution before continueAsNew, so history stays a few events per hire however big the batch. */
const SLICES_PER_EXECUTION = 20;

/**
 * Slices converging (or finishing) at once: while one waits on Genesys round trips, the others spend the
 * rate budget, so a batch runs at the budget's pace rather than at the pace of one slice's latency.
 */
export const SLICES_IN_FLIGHT = 3;

/**
 * Rows read back and invited per finishing slice, whatever the converging slice size: the read-back lists a
 * hundred users in one call, so finishing in tens would spend ten times the reads.
 */
export const FINISH_SLICE_SIZE = 100;

/**
 * Slices start at least this far apart, whatever the configured interval. Converging slices started together
 * share the engine and storage evenly, so the batch's first writes wait for thirty hires' preparations instead
 * of ten. Finishing slices started together read back together and their invitations interleave in the rate
 * budget, so they also end together and the next ones read back while nothing is sent; a little apart, each
 * one's invitations queue behind the one before, they end one after another, and the next slice reads back while
 * the others still invite.
 */
export const SLICE_STAGGER_IN_MS = 250;

/** Where this execution's slices start: from `next`, at most SLICES_PER_EXECUTION of them. */
function sliceStarts(next: number, total: number, sliceSize: number): number[] {
  const froms: number[] = [];
  for (let from = next; from < total && froms.length < SLICES_PER_EXECUTION; from += sliceSize)
    froms.push(from);
  return froms;
}

export function tally(hires: readonly HireState[]): BatchTotals {
  const totals: BatchTotals = {
    total: hires.length,
    pending: 0,
    created: 0,
    restored: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
  };
  for (const state of hires) totals[state]++;
  return totals;
}

/**
 * Bulk onboarding: converges the hires slice by slice (throttled: slices start at most one per interval, a few
 * in flight; each hire its own sub-orchestration so one bad hire never fails the batch), then adds queue
 * members per queue in chunks of 100 once every user exists, then reads each hire back and invites the
 * production-ready ones. Progress is in the custom status.
 */
export const onboardingBatch: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<OnboardingBatchInput>();
  const { batchId, total, sliceSize, sliceIntervalInMs } = input;
  const progress = input.progress ?? {
    phase: "converge",
    next: 0,
    hires: Array<HireState>(total).fill("pending"),
  };
  const hires = progress.hires;
  const report = (phase: string) => context.df.setCustomStatus({ batchId, phase, ...tally(hires) });
  const slice = (from: number, size = sliceSize): BatchSliceInput => ({
    batchId,
    from,
    to: Math.min(from + size, total),
  });
  const continueFrom = (phase: "converge" | "queues" | "finish", next: number, found?: BatchRowsFound) =>
    context.df.continueAsNew({
      ...input,
      progress: { phase, next, hires, ...(found ? { found } : {}) },
    } satisfies OnboardingBatchInput);

  if (progress.phase === "converge") {
    const froms = sliceStarts(progress.next, total, sliceSize);
    report("converging");
    const end = Math.min(progress.next + froms.length * sliceSize, total);
    const lookUpsLater = input.schedule === 2;
    // This execution's rows, unless the execution before looked them up. Only the lookups of the first slices'
    // rows are on the critical path: the others, and the next execution's, start with a later slice, so their
    // record reads do not hold the batch's first writes back.
    const own = progress.found
      ? []
      : startLookUps(
          context,
          batchId,
          progress.next,
          end,
          // The first lookup covers the slices that start before the first one finishes.
          lookUpsLater ? SLICES_IN_FLIGHT * sliceSize : LOOKUP_ROWS,
        );
    const firstSliceEnd = slice(froms[0]).to;
    const upFront = lookUpsLater ? own.filter(({ part }) => part.from < firstSliceEnd) : own;
    const later = own.slice(upFront.length);
    const found = progress.found ?? (yield* collectLookUps(context, upFront, { running: false }));
    let lookedUpTo = upFront.length > 0 ? upFront[upFront.length - 1].part.to : end;
    const nextLookUps = startLookUps(
      context,
      batchId,
      end,
      Math.min(end + SLICES_PER_EXECUTION * sliceSize, total),
    );
    // This execution's other rows are looked up with the slice before the first that needs them (the third, in a
    // first execution), the next execution's midway: spread out, their reads hold the slices back least.
    const firstWaiting = froms.findIndex((from) => slice(from).to > lookedUpTo);
    let awaited = 0;
    const nextAt = lookUpsLater ? Math.floor(froms.length / 2) : 0;
    yield* runInFlight(context, {
      count: froms.length,
      width: SLICES_IN_FLIGHT,
      intervalInMs: Math.max(sliceIntervalInMs, SLICE_STAGGER_IN_MS),
      alongside: (i) =>
        [...(i === firstWaiting - 1 ? later : []), ...(i === nextAt ? nextLookUps : [])].map(
          ({ task }) => task,
        ),
      before: function* (i) {
        // A slice whose rows are not looked up yet waits for the lookups that cover them.
        while (awaited < later.length && slice(froms[i]).to > lookedUpTo) {
          const lookUp = later[awaited++];
          const part = yield* collectLookUps(context, [lookUp], { running: true });
          found.hires.push(...part.hires);
          found.settled.push(...part.settled);
          lookedUpTo = lookUp.part.to;
        }
      },
      start: (i) =>
        startSubOrchestration(
          context,
          ONBOARDING_SLICE_ORCHESTRATOR,
          { ...slice(froms[i]), found: shareOf(found, slice(froms[i])) },
          `${context.df.instanceId}:slice-${froms[i]}`,
        ),
      settle: (_, outcomes) => {
        for (const { row, state } of outcomes) hires[row] = state;
        report("converging");
      },
    });
    if (end >= total) return continueFrom("queues", 0);
    return continueFrom("converge", end, yield* collectLookUps(context, nextLookUps, { running: true }));
  }

  if (progress.phase === "queues") {
    report("joining queues");
    const joined = yield* callWithBackPressure(context, JOIN_BATCH_QUEUES, {
      batchId,
    });
    if (joined.kind === "FAILED") {
      // Without their queues the new users are not production-ready: none is invited, and the report says why.
      for (const [row, state] of hires.entries())
        if (state !== "failed" && state !== "unchanged") hires[row] = "failed";
      yield* callActivity(context, COMPLETE_BATCH, {
        batchId,
        totals: tally(hires),
        reason: joined.reason,
      });
      report("done");
      return tally(hires);
    }
    return continueFrom("finish", 0);
  }

  const finishSize = Math.max(sliceSize, FINISH_SLICE_SIZE);
  const froms = sliceStarts(progress.next, total, finishSize);
  report("inviting");
  yield* runInFlight<FinishBatchSliceResult & { kind: "FINISHED" }>(context, {
    count: froms.length,
    width: SLICES_IN_FLIGHT,
    intervalInMs: SLICE_STAGGER_IN_MS,
    start: (i) =>
      startSubOrchestration(
        context,
        ONBOARDING_FINISH_ORCHESTRATOR,
        slice(froms[i], finishSize),
        `${context.df.instanceId}:finish-${froms[i]}`,
      ),
    settle: (_, finished) => {
      for (const { row, outcome } of finished.outcomes)
        if (outcome.kind === "QUARANTINED") hires[row] = "failed";
      report("inviting");
    },
  });
  const next = progress.next + froms.length * finishSize;
  if (next < total) return continueFrom("finish", next);
  const totals = tally(hires);
  yield* callActivity(context, COMPLETE_BATCH, { batchId, totals });
  report("done");
  return totals;
};

/**
 * The lookups of rows `from` to `end`, a hundred rows each (the first `firstRows`), to schedule side by side: before
 * an execution's first slice, or alongside its slices.
 */
function startLookUps(
  context: OrchestrationContext,
  batchId: string,
  from: number,
  end: number,
  firstRows = LOOKUP_ROWS,
) {
  const lookUps = [];
  for (let start = from, rows = Math.min(firstRows, LOOKUP_ROWS); start < end; rows = LOOKUP_ROWS) {
    const part = { batchId, from: start, to: Math.min(start + rows, end) };
    lookUps.push({ part, ...startActivity(context, LOOK_UP_BATCH_SLICE, part) });
    start = part.to;
  }
  return lookUps;
}

/**
 * What started lookups found, together; one that was rate limited is called again after the wait. Lookups not
 * scheduled yet are scheduled together; ones already running are awaited one by one, because a `Task.all` over
 * running tasks would schedule them again (see `runInFlight`).
 */
function* collectLookUps(
  context: OrchestrationContext,
  lookUps: ReturnType<typeof startLookUps>,
  { running }: { running: boolean },
) {
  const outputs = running ? undefined : yield* whenAll(context, lookUps);
  const found: BatchRowsFound = { kind: "FOUND", hires: [], settled: [] };
  for (const [i, lookUp] of lookUps.entries()) {
    let part = outputs ? outputs[i] : yield* outputOf(lookUp);
    if (isRateLimited(part)) {
      yield waitOut(context, part);
      part = yield* callWithBackPressure(context, LOOK_UP_BATCH_SLICE, lookUp.part);
    }
    found.hires.push(...part.hires);
    found.settled.push(...part.settled);
  }
  return found;
}

/** A slice's share of a lookup. */
function shareOf(found: BatchRowsFound, { from, to }: BatchSliceInput): BatchRowsFound {
  const inSlice = ({ row }: { row: number }) => row >= from && row < to;
  return { kind: "FOUND", hires: found.hires.filter(inSlice), settled: found.settled.filter(inSlice) };
}

/** One slice of a batch: its hires as the batch looked them up (or one lookup here), every hire converged at once. */
export const onboardingSlice: OrchestrationHandler = function* (context: OrchestrationContext) {
  const { batchId, from, to, found } = context.df.getInput<OnboardingSliceInput>();
  const lookup =
    found ??
    (yield* callWithBackPressure(context, LOOK_UP_BATCH_SLICE, {
      batchId,
      from,
      to,
    }));
  const tasks = lookup.hires.map((hire) =>
    startSubOrchestration(
      context,
      CONVERGE_ORCHESTRATOR,
      {
        employeeKey: hire.employeeKey,
        event: hire.event,
        deferQueuesAndInvite: true,
        ...(hire.transition.action.kind === "CONVERGE" && !hire.transition.action.reactivate
          ? { reactivate: false }
          : {}),
        ...(hire.lookup ? { lookup: hire.lookup } : {}),
      },
      `${context.df.instanceId}:row-${hire.row}`,
    ),
  );
  const outcomes = yield* whenAll(context, tasks);
  const rows = [
    ...lookup.settled,
    ...lookup.hires.map((hire, i) => ({
      row: hire.row,
      line: hire.line,
      employeeKey: hire.employeeKey,
      event: hire.event,
      transition: hire.transition,
      outcome: outcomes[i],
    })),
  ];
  yield* callActivity(context, RECORD_BATCH_OUTCOMES, { batchId, outcomes: rows });
  return rows.map(({ row, outcome }) => ({ row, state: stateOfOutcome(outcome) }));
};

/** One slice of a batch once its queues are joined: read each hire back and invite the production-ready ones. */
export const onboardingFinishSlice: OrchestrationHandler = function* (context: OrchestrationContext) {
  return yield* callWithBackPressure(context, FINISH_BATCH_SLICE, context.df.getInput<BatchSliceInput>());
};
