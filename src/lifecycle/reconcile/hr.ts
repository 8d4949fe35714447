import type { AppliedEvents, LifecycleState } from "../employee-lifecycle";
import { HR_WORKER_FIELDS, type HrEventType, type HrWorker } from "../hr-event";

/**
 * The HR half of reconciliation, as a pure decision: what HR says about one worker now, against what this
 * product last applied for them. A difference becomes the one normal HR event that brings the product up to
 * date; no difference, or a difference the lifecycle is already dealing with, becomes nothing.
 */

/** One worker as HR reports it now, read into the normalized event shape (the type says the worker's status). */
export interface HrObservation {
  type: HrEventType;
  /** The date the status took effect when HR says (a termination or hire date); otherwise the read's day. */
  effectiveDate: string;
  worker: HrWorker;
}

/** Where HR has the worker, as far as the lifecycle cares. */
export type HrStatus = "active" | "on_leave" | "terminated";

/** What the product remembers about the worker (absent: it has never heard of them). */
export interface AppliedView {
  state: LifecycleState;
  /** The HR worker as last applied or recorded. */
  worker?: HrWorker;
  /** The effective date of the HR record `worker` came from. */
  workerAsOf?: string;
  applied: AppliedEvents;
  /** Accepted events not applied yet: the lifecycle gets to them first. */
  pendingEvents: number;
}

export type HrDecision =
  | { kind: "EVENT"; type: HrEventType; effectiveDate: string; why: string }
  | { kind: "IN_SYNC" }
  /** Nothing to send, for a reason a report should count (and, unless `quiet`, list). */
  | { kind: "SKIPPED"; why: string; quiet?: boolean };

export interface HrDecisionInput {
  observed: HrObservation;
  applied: AppliedView | undefined;
  /** Whether the mapping has a profile for the worker's title: only then is a new worker the product's to hire. */
  inScope: boolean;
  /** yyyy-MM-dd, the day of the run. */
  today: string;
}

/** HR's own account of the worker: a termination or a leave says so; anything else is a worker at work. */
export function hrStatusOf(type: HrEventType): HrStatus {
  if (type === "terminate") return "terminated";
  if (type === "leave_start") return "on_leave";
  return "active";
}

/**
 * The fields HR now gives differently from the record last applied. A field HR leaves empty is "no opinion"
 * (as in a plan), so a read that does not carry, say, the manager's email never counts as a change.
 */
export function changedWorkerFields(observed: HrWorker, applied: HrWorker | undefined): string[] {
  const same = (field: (typeof HR_WORKER_FIELDS)[number], a: string | undefined, b: string | undefined) =>
    field === "email" || field === "managerEmail"
      ? a?.trim().toLowerCase() === b?.trim().toLowerCase()
      : a?.trim() === b?.trim();
  return HR_WORKER_FIELDS.filter(
    (field) => observed[field] !== undefined && !same(field, observed[field], applied?.[field]),
  );
}

const day = (date: string) => date.slice(0, 10);
const latest = (...dates: (string | undefined)[]) =>
  dates
    .filter((d): d is string => d !== undefined)
    .map(day)
    .sort()
    .at(-1)!;

/** The latest effective date among the applied events; a new event dated before it would be superseded. */
function lastApplied(
  applied: AppliedEvents,
): { type: HrEventType; eventId: string; effectiveDate: string } | undefined {
  return Object.entries(applied)
    .map(([type, e]) => ({ type: type as HrEventType, ...e }))
    .sort((a, b) => day(a.effectiveDate).localeCompare(day(b.effectiveDate)))
    .at(-1);
}

/**
 * A return dated on or after the applied events: on the very day of a termination or leave it would count as
 * before it (on one date, leaving comes last), so it moves to the next day.
 */
function afterLeaving(date: string, applied: AppliedEvents): string {
  const last = lastApplied(applied);
  const candidate = latest(date, last?.effectiveDate);
  if (
    last &&
    (last.type === "terminate" || last.type === "leave_start") &&
    day(last.effectiveDate) === candidate
  ) {
    const next = new Date(`${candidate}T00:00:00.000Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return next.toISOString().slice(0, 10);
  }
  return candidate;
}

function describeApplied(view: AppliedView): string {
  const last = lastApplied(view.applied);
  return last
    ? `this product last applied ${last.type} ${last.eventId} effective ${day(last.effectiveDate)} (${view.state})`
    : `this product has the worker as ${view.state}`;
}

/**
 * Decides what one worker's HR state means for the product. The event it asks for is dated so the lifecycle
 * applies it: never before an event already applied (it would be superseded), and a hire or a termination
 * on the date HR gives.
 */
export function decideHrReconciliation({ observed, applied, inScope, today }: HrDecisionInput): HrDecision {
  const status = hrStatusOf(observed.type);
  const state = applied?.state ?? "not_provisioned";
  if (applied !== undefined && applied.pendingEvents > 0) {
    return { kind: "SKIPPED", why: `${applied.pendingEvents} accepted event(s) are still to be applied` };
  }
  const hrSays =
    status === "terminated"
      ? `HR has the worker terminated effective ${day(observed.effectiveDate)}`
      : status === "on_leave"
        ? `HR has the worker on leave from ${day(observed.effectiveDate)}`
        : `HR has the worker active`;
  const event = (type: HrEventType, effectiveDate: string, why: string): HrDecision => ({
    kind: "EVENT",
    type,
    effectiveDate: day(effectiveDate),
    why,
  });
  // A hire or rehire keeps the date HR gives it (a future one is provisioned on time); anything else is today's.
  const startDate = observed.type === "hire" || observed.type === "rehire" ? observed.effectiveDate : today;

  switch (state) {
    case "not_provisioned":
      if (status !== "active")
        return { kind: "SKIPPED", why: `${hrSays}, and this product never provisioned them`, quiet: true };
      if (!inScope)
        return {
          kind: "SKIPPED",
          why: `no profile in the mapping matches the title "${observed.worker.title}"`,
          quiet: true,
        };
      return event(
        "hire",
        startDate,
        `${hrSays} with a mapped title, and this product never provisioned them: the hire was never delivered`,
      );
    case "active": {
      if (status === "terminated")
        return event("terminate", observed.effectiveDate, `${hrSays}; ${describeApplied(applied!)}`);
      if (status === "on_leave")
        return event("leave_start", observed.effectiveDate, `${hrSays}; ${describeApplied(applied!)}`);
      const changed = changedWorkerFields(observed.worker, applied!.worker);
      if (changed.length === 0) return { kind: "IN_SYNC" };
      const last = lastApplied(applied!.applied);
      return event(
        "change",
        latest(today, last?.effectiveDate, applied!.workerAsOf),
        `HR's record differs from the one last applied in ${changed.join(", ")}`,
      );
    }
    case "starting_leave":
    case "on_leave":
      if (status === "terminated")
        return event("terminate", observed.effectiveDate, `${hrSays}; ${describeApplied(applied!)}`);
      if (status === "on_leave") return { kind: "IN_SYNC" };
      return event(
        "leave_end",
        afterLeaving(today, applied!.applied),
        `${hrSays} again; ${describeApplied(applied!)}`,
      );
    case "terminating":
      return {
        kind: "SKIPPED",
        why: "a termination is being applied, or stopped before deactivation (see the quarantine)",
      };
    case "terminated":
    case "deleted":
      if (status !== "active") return { kind: "IN_SYNC" };
      return event(
        "rehire",
        afterLeaving(startDate, applied!.applied),
        `${hrSays}; ${describeApplied(applied!)}`,
      );
  }
}
