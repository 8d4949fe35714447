import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import type { DueEvent, EventOutcome } from "../activities/employee-events.contract";
import {
  APPROVAL_EVENT,
  CHECK_DEACTIVATION_GUARD,
  DEACTIVATE_LEAVER,
  HAND_OVER_INTERACTIONS,
  PREPARE_LEAVER,
  READ_APPROVAL,
  TAKE_OFF_QUEUE,
  type ReadApprovalResult,
  type DeactivateResult,
  type GuardResult,
  type HandOverResult,
  type LeaverPlan,
  type PrepareLeaverResult,
} from "../activities/leaver.contract";
import type { PermanentFailure } from "../activities/results";
import { after, callWithBackPressure, gaveUp } from "./back-pressure";

export const LEAVER_ORCHESTRATOR = "gracefulLeaver";

export interface LeaverInput {
  employeeKey: string;
  event: DueEvent;
  /** A leave of absence runs phases 1–3 but never schedules the deletion. */
  leaveOfAbsence: boolean;
}

/**
 * The graceful leaver: off queue first, live interactions handed over before anything is cut, then
 * deactivated with a snapshot for a rehire; the deletion waits out the retention period in the employee's
 * orchestration, where a rehire can still cancel it.
 */
export const gracefulLeaver: OrchestrationHandler = function* (context: OrchestrationContext) {
  try {
    return yield* leave(context, context.df.getInput<LeaverInput>());
  } catch (error) {
    return gaveUp(error);
  }
};

function* leave(context: OrchestrationContext, { employeeKey, event, leaveOfAbsence }: LeaverInput) {
  const prepared = yield* callWithBackPressure<PrepareLeaverResult>(context, PREPARE_LEAVER, {
    employeeKey,
    eventKey: event.key,
  });
  if (prepared.kind === "NO_USER")
    return { kind: "NOTHING_TO_DO", summary: prepared.summary } satisfies EventOutcome;
  if (prepared.kind === "FAILED") return quarantine("preparation", prepared);
  const { plan } = prepared;
  const step = { employeeKey, eventId: event.eventId, userId: plan.userId };
  const status = (phase: string, extra: object = {}) =>
    context.df.setCustomStatus({ employeeKey, eventId: event.eventId, phase, ...extra });

  status("off-queue");
  const offQueue = yield* callWithBackPressure<DeactivateResult>(context, TAKE_OFF_QUEUE, step);
  if (offQueue.kind === "FAILED") return quarantine("phase 1 (presence Offline, OFF_QUEUE)", offQueue);

  const drained = yield* drainInteractions(context, plan, step, status);
  if (drained.kind === "FAILED") return quarantine("phase 2 (hand over live interactions)", drained);

  status("deactivation-guard");
  const guard = (yield context.df.callActivity(CHECK_DEACTIVATION_GUARD, {
    ...step,
    asOf: context.df.currentUtcDateTime.toISOString(),
    instanceId: context.df.instanceId,
  })) as GuardResult;
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

  status("deactivation");
  const deleteAt =
    leaveOfAbsence || plan.retentionInMs === undefined
      ? undefined
      : after(context, plan.retentionInMs).toISOString();
  const deactivated = yield* callWithBackPressure<DeactivateResult>(context, DEACTIVATE_LEAVER, {
    ...step,
    deleteAt,
  });
  if (deactivated.kind === "FAILED") return quarantine("phase 3 (deactivation)", deactivated);

  return {
    kind: "APPLIED",
    summary: leaveOfAbsence
      ? "on leave: off queue, interactions handed over, profile saved, account inactive"
      : `left: off queue, interactions handed over, profile saved, account inactive until deletion at ${deleteAt}`,
    userId: plan.userId,
  } satisfies EventOutcome;
}

/** Phase 2: hand over, re-check on a durable timer, and at the deadline apply the fallback down to disconnect. */
function* drainInteractions(
  context: OrchestrationContext,
  plan: LeaverPlan,
  step: { employeeKey: string; eventId: string; userId: string },
  status: (phase: string, extra?: object) => void,
) {
  const deadline = after(context, plan.drainDeadlineInMs);
  for (let deadlinePassed = false; ;) {
    status("hand-over", { deadlinePassed });
    const result = yield* callWithBackPressure<HandOverResult>(context, HAND_OVER_INTERACTIONS, {
      ...step,
      policy: plan.policy,
      candidates: plan.candidates,
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
    const stored = (yield context.df.callActivity(READ_APPROVAL, { approvalId })) as ReadApprovalResult;
    if (stored.kind === "DECIDED") return stored;
  }
}

function quarantine(phase: string, failure: PermanentFailure): EventOutcome {
  return { kind: "QUARANTINED", reason: `${phase} failed: ${failure.reason}` };
}
