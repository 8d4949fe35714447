import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import type { DueEvent, EventOutcome } from "../activities/employee-events.contract";
import {
  APPROVAL_EVENT,
  CHECK_DEACTIVATION_GUARD,
  DEACTIVATE_LEAVER,
  FINISH_LEAVER,
  HAND_OVER_INTERACTIONS,
  PREPARE_LEAVER,
  READ_APPROVAL,
  TAKE_OFF_QUEUE,
  type ReadApprovalResult,
  type HandOverInput,
  type LeaverPlan,
} from "../activities/leaver.contract";
import type { PermanentFailure } from "../activities/results";
import { defineOrchestration } from "../activities/contract";
import { after, callActivity, callWithBackPressure, gaveUp } from "./calls";

export interface LeaverInput {
  employeeKey: string;
  event: DueEvent;
  /** A leave of absence runs phases 1–3 but never schedules the deletion. */
  leaveOfAbsence: boolean;
}

export const LEAVER_ORCHESTRATOR = defineOrchestration<LeaverInput, EventOutcome>("gracefulLeaver");

/**
 * New live work found at deactivation is drained again this many times at most; work that keeps arriving after
 * that means something keeps routing to the leaver, which an operator has to look at.
 */
const MAX_DRAINS_BEFORE_DEACTIVATION = 10;

type Step = { employeeKey: string; eventId: string; userId: string };
type Status = (phase: string, extra?: object) => void;

/**
 * The graceful leaver: off queue first, live interactions handed over before anything is cut, drained again
 * right before the account goes, then deactivated with a snapshot for a rehire; the deletion waits out the
 * retention period in the employee's orchestration, where a rehire can still cancel it. While it runs, the
 * person is marked as leaving, so no other leaver hands them work.
 *
 * Changes to this flow keep in-flight instances replayable: new work is only ever scheduled after what an
 * older version scheduled, or on an activity answer an older version never received.
 */
export const gracefulLeaver: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<LeaverInput>();
  let outcome: EventOutcome;
  try {
    outcome = yield* leave(context, input);
  } catch (error) {
    outcome = gaveUp(error);
  }
  try {
    yield* callActivity(context, FINISH_LEAVER, {
      employeeKey: input.employeeKey,
    });
  } catch {
    // A marker left behind only makes this person look busy to other leavers; the outcome still stands.
  }
  return outcome;
};

function* leave(context: OrchestrationContext, { employeeKey, event, leaveOfAbsence }: LeaverInput) {
  const prepared = yield* callWithBackPressure(context, PREPARE_LEAVER, {
    employeeKey,
    eventKey: event.key,
  });
  if (prepared.kind === "NO_USER")
    return { kind: "NOTHING_TO_DO", summary: prepared.summary } satisfies EventOutcome;
  if (prepared.kind === "FAILED") return quarantine("preparation", prepared);
  const { plan } = prepared;
  const step: Step = { employeeKey, eventId: event.eventId, userId: plan.userId };
  const status: Status = (phase, extra = {}) =>
    context.df.setCustomStatus({ employeeKey, eventId: event.eventId, phase, ...extra });

  status("off-queue");
  const offQueue = yield* callWithBackPressure(context, TAKE_OFF_QUEUE, step);
  if (offQueue.kind === "FAILED") return quarantine("phase 1 (presence Offline, OFF_QUEUE)", offQueue);

  const drained = yield* drainInteractions(context, plan, { ...step, eventKey: event.key }, status);
  if (drained.kind === "FAILED") return quarantine("phase 2 (hand over live interactions)", drained);

  status("deactivation-guard");
  const guard = yield* callActivity(
    context,
    CHECK_DEACTIVATION_GUARD,
    { ...step, asOf: context.df.currentUtcDateTime.toISOString(), instanceId: context.df.instanceId },
    null,
  );
  if (guard.kind === "APPROVAL_REQUIRED") {
    status("awaiting-approval", { approvalId: guard.approvalId, reason: guard.reason });
    const decision = yield* awaitApproval(context, guard.approvalId, plan.approvalTimeoutInMs);
    if (!decision?.approved) {
      const why = decision
        ? `deactivation rejected by ${decision.by}${decision.comment ? ` (${decision.comment})` : ""}`
        : `no operator decision within ${Math.round(plan.approvalTimeoutInMs / 60_000)} min`;
      return {
        kind: "QUARANTINED",
        reason: `${guard.reason}; ${why}. The agent is off queue but still active; replay the event to retry.`,
      } satisfies EventOutcome;
    }
  }

  // The deactivation itself looks for live work one last time (a guard wait can last days); whatever turned
  // up is handed over, with a deadline of its own, before the account goes.
  for (let drains = 0; ; drains++) {
    status("deactivation");
    const deleteAt =
      leaveOfAbsence || plan.retentionInMs === undefined
        ? undefined
        : after(context, plan.retentionInMs).toISOString();
    const deactivated = yield* callWithBackPressure(context, DEACTIVATE_LEAVER, {
      ...step,
      deleteAt,
    });
    if (deactivated.kind === "FAILED") return quarantine("phase 3 (deactivation)", deactivated);
    if (deactivated.kind === "DEACTIVATED")
      return {
        kind: "APPLIED",
        summary: leaveOfAbsence
          ? "on leave: off queue, interactions handed over, profile saved, account inactive"
          : `left: off queue, interactions handed over, profile saved, account inactive until deletion at ${deleteAt}`,
        userId: plan.userId,
      } satisfies EventOutcome;
    if (drains >= MAX_DRAINS_BEFORE_DEACTIVATION)
      return quarantine("phase 3 (deactivation)", {
        kind: "FAILED",
        reason:
          `new live interactions kept reaching the leaver after ${drains} hand-overs; the agent is off queue ` +
          "but still active: find what routes work to them, then replay the event",
      });
    const again = yield* drainInteractions(context, plan, { ...step, eventKey: event.key }, status);
    if (again.kind === "FAILED") return quarantine("phase 3 (hand over new live interactions)", again);
  }
}

/** Phase 2: hand over, re-check on a durable timer, and at the deadline apply the fallback down to disconnect. */
function* drainInteractions(
  context: OrchestrationContext,
  plan: LeaverPlan,
  step: Omit<HandOverInput, "deadlinePassed">,
  status: Status,
) {
  const deadline = after(context, plan.drainDeadlineInMs);
  for (let deadlinePassed = false; ;) {
    status("hand-over", { deadlinePassed });
    const result = yield* callWithBackPressure(context, HAND_OVER_INTERACTIONS, {
      ...step,
      deadlinePassed,
    });
    if (result.kind === "FAILED" || result.remaining === 0) return result;
    if (deadlinePassed) {
      return {
        kind: "FAILED",
        reason: `${result.remaining} interaction(s) still live after the deadline fallback`,
      } satisfies PermanentFailure;
    }
    const recheckAt = after(context, plan.recheckIntervalInMs);
    deadlinePassed = recheckAt >= deadline;
    yield context.df.createTimer(deadlinePassed ? deadline : recheckAt);
  }
}

/**
 * Waits for an operator's decision, raced with a timer that is cancelled once a decision is in. The event
 * only says "look again": the decision, and who made it, come from the stored approval, so an event raised
 * straight through the Durable API without an approval row behind it is ignored and the wait goes on.
 */
function* awaitApproval(
  context: OrchestrationContext,
  approvalId: string,
  timeoutInMs: number,
): Generator<Task, Extract<ReadApprovalResult, { kind: "DECIDED" }> | undefined, unknown> {
  const deadline = after(context, timeoutInMs);
  for (;;) {
    // A fresh timer per wait, all at the same deadline: a task is never raced twice.
    const timeout = context.df.createTimer(deadline);
    const woken = context.df.waitForExternalEvent(APPROVAL_EVENT);
    const winner: unknown = yield context.df.Task.any([woken, timeout]);
    if (winner !== woken) return undefined;
    timeout.cancel();
    const stored = yield* callActivity(context, READ_APPROVAL, { approvalId }, null);
    if (stored.kind === "DECIDED") return stored;
  }
}

function quarantine(phase: string, failure: PermanentFailure): EventOutcome {
  return { kind: "QUARANTINED", reason: `${phase} failed: ${failure.reason}` };
}
