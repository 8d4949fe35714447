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

  const base = { employeeKey, eventId: event.eventId, mappingVersion: prepared.mappingVersion };
  const status = (index: number, step: PlannedStep) =>
    context.df.setCustomStatus({
      employeeKey,
      eventId: event.eventId,
      step: index + 1,
      of: prepared.steps.length,
      summary: step.summary,
    });
  const applied = yield* applyInOrder(context, base, steps, { userId: prepared.userId }, status);
  if (applied.kind === "FAILED") {
    return {
      kind: "QUARANTINED",
      reason: partialFailure(steps, applied.at, applied.reason),
    } satisfies EventOutcome;
  }
  const { userId } = applied;
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
    const result = yield* applyInOrder(context, base, [invite], applied, (_, step) =>
      status(steps.length, step),
    );
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
  const base = { employeeKey, eventId: event.eventId, mappingVersion: prepared.mappingVersion };
  const taken = yield* applyInOrder(context, base, prepared.withdraw, { userId: prepared.userId });
  if (taken.kind === "FAILED") {
    return {
      kind: "QUARANTINED",
      reason: `${prepared.reason}; taking away the assigned profile stopped at "${prepared.withdraw[taken.at].summary}": ${taken.reason}`,
    } satisfies EventOutcome;
  }
  const done = prepared.withdraw.map((s) => s.summary).join(", ");
  return {
    kind: "QUARANTINED",
    reason: `${prepared.reason}. What this product assigned was taken away (${done}); the account stays. Fix the mapping, then replay the event.`,
  } satisfies EventOutcome;
}

/**
 * Applies steps in order in as few activity calls as the activity allows: each call is handed every step left
 * and says how many it applied (one, in results recorded before a call took several), so a call stopped by a
 * rate limit or a transient fault is followed by one that starts where it stopped.
 */
function* applyInOrder(
  context: OrchestrationContext,
  base: { employeeKey: string; eventId: string; mappingVersion: number },
  steps: PlannedStep[],
  from: { userId?: string; version?: number },
  onCall?: (index: number, step: PlannedStep) => void,
) {
  let { userId, version } = from;
  for (let index = 0; index < steps.length;) {
    onCall?.(index, steps[index]);
    const result = yield* callWithBackPressure(context, APPLY_STEP, {
      ...base,
      ...(userId === undefined ? {} : { userId }),
      ...(version === undefined ? {} : { version }),
      step: steps[index],
      ...(index + 1 < steps.length ? { then: steps.slice(index + 1) } : {}),
    });
    if (result.kind === "FAILED")
      return { kind: "FAILED", at: index + (result.applied ?? 0), reason: result.reason } as const;
    userId = result.userId ?? userId;
    version = result.version;
    index += result.applied ?? 1;
  }
  return { kind: "DONE", userId, version } as const;
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
