import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import {
  APPLY_STEP,
  CREATE_STEP_KIND,
  INVITE_STEP_KIND,
  RESTORE_STEP_KIND,
  PREPARE_CONVERGE,
  VERIFY_CONVERGED,
  type HireLookup,
  type PlannedStep,
  type PrepareConvergeResult,
} from "../activities/converge.contract";
import type { DueEvent, EventOutcome } from "../activities/employee-events.contract";
import { USER_INACTIVE } from "../lifecycle/employee-lifecycle";
import { defineOrchestration } from "../activities/contract";
import { callWithBackPressure, gaveUp } from "./calls";

export interface ConvergeInput {
  employeeKey: string;
  event: DueEvent;
  /** Bulk onboarding: queues and the invitation are applied by the batch once every user exists. */
  deferQueuesAndInvite?: boolean;
  /** Bulk onboarding: what the slice's search found for this hire. */
  lookup?: HireLookup;
  /**
   * Whether a user found inactive or deleted is restored (hire, rehire, return from leave). A change never
   * reactivates: it ends as nothing to do. Default true.
   */
  reactivate?: boolean;
  /** Why the lifecycle table chose to converge, recorded with the outcome. */
  why?: string;
}

export const CONVERGE_ORCHESTRATOR = defineOrchestration<ConvergeInput, EventOutcome>("convergeEmployee");

/**
 * Joiner, mover, rehire and return from leave: make the Genesys user match the desired profile (read, plan,
 * apply, verify), then send the invitation, so the agent is production-ready at first login.
 *
 * There is no compensation stack: every step is idempotent and the plan is recomputed from what Genesys holds,
 * so replaying the event finishes a partly applied profile. A user left half-made is never invited, and the
 * outcome names every step that was and was not applied.
 */
export const convergeEmployee: OrchestrationHandler = function* (context: OrchestrationContext) {
  try {
    return yield* converge(context, context.df.getInput<ConvergeInput>());
  } catch (error) {
    return gaveUp(error);
  }
};

function* converge(
  context: OrchestrationContext,
  { employeeKey, event, deferQueuesAndInvite, lookup, reactivate }: ConvergeInput,
) {
  const prepared = yield* callWithBackPressure(context, PREPARE_CONVERGE, {
    employeeKey,
    eventKey: event.key,
    deferQueuesAndInvite,
    lookup,
    ...(reactivate === false ? { reactivate } : {}),
  });
  if (prepared.kind === "USER_INACTIVE")
    return { kind: "NOTHING_TO_DO", summary: prepared.reason, code: USER_INACTIVE } satisfies EventOutcome;
  if (prepared.kind === "UNMAPPED" && prepared.withdraw.length > 0)
    return yield* withdraw(context, employeeKey, event, prepared);
  if (prepared.kind !== "PLANNED")
    return { kind: "QUARANTINED", reason: prepared.reason } satisfies EventOutcome;

  const steps = prepared.steps.filter((s) => s.kind !== INVITE_STEP_KIND);
  const invite = prepared.steps.find((s) => s.kind === INVITE_STEP_KIND);
  // In a batch, a user that needs only what the batch applies (role grants, queues, invitation) is not done.
  if (prepared.steps.length === 0 && !prepared.deferredSteps) {
    return {
      kind: "NOTHING_TO_DO",
      summary: "the Genesys user already matches the profile",
    } satisfies EventOutcome;
  }

  let userId = prepared.userId;
  let version: number | undefined;
  const apply = function* (step: PlannedStep, index: number) {
    context.df.setCustomStatus({
      employeeKey,
      eventId: event.eventId,
      step: index + 1,
      of: prepared.steps.length,
      summary: step.summary,
    });
    const result = yield* callWithBackPressure(context, APPLY_STEP, {
      employeeKey,
      eventId: event.eventId,
      mappingVersion: prepared.mappingVersion,
      userId,
      ...(version === undefined ? {} : { version }),
      step,
    });
    if (result.kind === "DONE") userId = result.userId ?? userId;
    version = result.kind === "DONE" ? result.version : undefined;
    return result;
  };

  for (const [index, step] of steps.entries()) {
    const result = yield* apply(step, index);
    if (result.kind === "FAILED") {
      return {
        kind: "QUARANTINED",
        reason: partialFailure(steps, index, result.reason),
      } satisfies EventOutcome;
    }
  }
  if (userId === undefined) {
    return {
      kind: "QUARANTINED",
      reason: "the plan created no Genesys user (no create or restore step)",
    } satisfies EventOutcome;
  }

  // In a batch the read-back happens once, after the queues are joined, together with the invitation.
  if (!deferQueuesAndInvite) {
    const verified = yield* callWithBackPressure(context, VERIFY_CONVERGED, {
      employeeKey,
      eventKey: event.key,
      userId,
      deferQueuesAndInvite,
    });
    if (verified.kind === "DRIFT") {
      return {
        kind: "QUARANTINED",
        reason: `read-back after applying found differences, invitation not sent: ${verified.remaining.join("; ")}`,
      } satisfies EventOutcome;
    }
  }

  if (invite) {
    const result = yield* apply(invite, steps.length);
    if (result.kind === "FAILED") {
      return {
        kind: "QUARANTINED",
        reason: `profile applied, but the invitation failed: ${result.reason}`,
      } satisfies EventOutcome;
    }
  }
  const kinds = prepared.steps.map((s) => s.kind);
  return {
    kind: "APPLIED",
    summary: `${prepared.steps.length} step(s) applied with mapping version ${prepared.mappingVersion}`,
    userId,
    change: kinds.includes(CREATE_STEP_KIND)
      ? "created"
      : kinds.includes(RESTORE_STEP_KIND)
        ? "restored"
        : "updated",
  } satisfies EventOutcome;
}

/**
 * A mover to a title the mapping does not know: what this product assigned is taken away (off queue, queues,
 * roles, skills, languages) so no work keeps arriving, the account stays, and the event is quarantined naming
 * the title. Replayed after the mapping is fixed, it converges the profile.
 */
function* withdraw(
  context: OrchestrationContext,
  employeeKey: string,
  event: DueEvent,
  prepared: Extract<PrepareConvergeResult, { kind: "UNMAPPED" }>,
) {
  for (const step of prepared.withdraw) {
    const result = yield* callWithBackPressure(context, APPLY_STEP, {
      employeeKey,
      eventId: event.eventId,
      mappingVersion: prepared.mappingVersion,
      userId: prepared.userId,
      step,
    });
    if (result.kind === "FAILED") {
      return {
        kind: "QUARANTINED",
        reason: `${prepared.reason}; taking away the assigned profile stopped at "${step.summary}": ${result.reason}`,
      } satisfies EventOutcome;
    }
  }
  const done = prepared.withdraw.map((s) => s.summary).join(", ");
  return {
    kind: "QUARANTINED",
    reason: `${prepared.reason}. What this product assigned was taken away (${done}); the account stays. Fix the mapping, then replay the event.`,
  } satisfies EventOutcome;
}

function partialFailure(steps: PlannedStep[], failedAt: number, reason: string): string {
  const done = steps.slice(0, failedAt).map((s) => s.summary);
  const notDone = steps.slice(failedAt + 1).map((s) => s.summary);
  return (
    `step ${failedAt + 1} of ${steps.length} (${steps[failedAt]?.summary}) failed: ${reason}. ` +
    `Applied before it: ${done.length ? done.join(", ") : "nothing"}. ` +
    `Not applied: ${notDone.length ? notDone.join(", ") : "nothing else"}; the invitation was not sent.`
  );
}
