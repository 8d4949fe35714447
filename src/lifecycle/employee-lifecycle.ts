import type { HrEventType } from "./hr-event";

/**
 * The employee lifecycle as an explicit state machine: the states an employee can be in, what each HR event
 * does in each state and why, the state it leaves behind, and which late event a newer one supersedes.
 * Pure: the employee's orchestration asks this module what to do; nothing else decides. docs/lifecycle.md
 * explains the table to operators.
 */

export const LIFECYCLE_STATES = [
  /** This product has provisioned nothing (a Genesys user made before the product may exist). */
  "not_provisioned",
  /** Provisioned and active. */
  "active",
  /** A leave of absence is being applied, or stopped before deactivation (its event is in quarantine). */
  "starting_leave",
  /** Deactivated for a leave of absence: only `leave_end` (or a rehire) brings the agent back. */
  "on_leave",
  /** A termination is being applied, or stopped before deactivation (its event is in quarantine). */
  "terminating",
  /** Deactivated by a termination; deleted when the retention period ends unless a rehire comes first. */
  "terminated",
  /** Deleted after the retention period; a rehire restores the user. */
  "deleted",
] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

/** What an event does. */
export type LifecycleAction =
  /** Make Genesys match the mapped profile; `reactivate`: a user found inactive or deleted is restored. */
  | { kind: "CONVERGE"; reactivate: boolean }
  /** The graceful leaver; a leave of absence never schedules the deletion. */
  | { kind: "LEAVE"; leaveOfAbsence: boolean }
  /** Store the HR record (a later rehire or return uses it); write nothing to Genesys. */
  | { kind: "RECORD" }
  /** Nothing happens; the reason is recorded. */
  | { kind: "NOTHING" };

export interface Transition {
  action: LifecycleAction;
  /** Why, in words an operator reads in the employee's audit. */
  why: string;
}

const converge = (why: string): Transition => ({ action: { kind: "CONVERGE", reactivate: true }, why });
const update = (why: string): Transition => ({ action: { kind: "CONVERGE", reactivate: false }, why });
const leave = (why: string): Transition => ({ action: { kind: "LEAVE", leaveOfAbsence: false }, why });
const leaveOfAbsence = (why: string): Transition => ({
  action: { kind: "LEAVE", leaveOfAbsence: true },
  why,
});
const record = (why: string): Transition => ({ action: { kind: "RECORD" }, why });
const nothing = (why: string): Transition => ({ action: { kind: "NOTHING" }, why });

const TERMINATION = "termination: the graceful leaver runs, then the account waits for deletion";
const LEAVE_START = "leave of absence: the graceful leaver runs; the account is kept for the return";
const REHIRE_AFTER_TERMINATION =
  "a hire or rehire after a termination brings the worker back: the user is restored and the deletion cancelled";

/** Every state × event cell: what happens, and why. */
export const TRANSITIONS: Readonly<Record<LifecycleState, Readonly<Record<HrEventType, Transition>>>> = {
  not_provisioned: {
    hire: converge("joiner: the mapped profile is provisioned, restoring a user that already has the email"),
    change: update(
      "a change for someone this product never provisioned is treated as a hire into the contact centre",
    ),
    rehire: converge("rehire: the user with this employee id or email is restored and profiled"),
    terminate: leave(
      "termination: the graceful leaver runs for any Genesys user with this employee id or email",
    ),
    leave_start: leaveOfAbsence(
      "leave of absence: the graceful leaver runs for any Genesys user with this employee id or email",
    ),
    leave_end: converge("return from leave: the mapped profile is provisioned, restoring an inactive user"),
  },
  active: {
    hire: converge("already provisioned: the profile is converged again"),
    change: update("mover: exactly the mapped difference is added and removed"),
    rehire: converge("rehire of an active worker: the profile is converged"),
    terminate: leave(TERMINATION),
    leave_start: leaveOfAbsence(LEAVE_START),
    leave_end: converge("not on leave: the profile is converged"),
  },
  starting_leave: {
    hire: converge("a hire during a leave brings the worker back"),
    change: record("a leave is being applied: the HR record is updated; nothing is written to Genesys"),
    rehire: converge("a rehire during a leave brings the worker back"),
    terminate: leave(TERMINATION),
    leave_start: leaveOfAbsence("the leave of absence is applied again"),
    leave_end: converge("return from leave: the profile is restored"),
  },
  on_leave: {
    hire: converge("a hire during a leave brings the worker back"),
    change: record("on leave: the HR record is updated and applied on return; nothing is written to Genesys"),
    rehire: converge("a rehire during a leave brings the worker back"),
    terminate: leave(
      "termination during a leave: the account is already inactive and now waits for deletion",
    ),
    leave_start: nothing("already on leave"),
    leave_end: converge("return from leave: the profile is restored"),
  },
  terminating: {
    hire: converge(REHIRE_AFTER_TERMINATION),
    change: record("a termination is in progress: the HR record is updated; nothing is written to Genesys"),
    rehire: converge(REHIRE_AFTER_TERMINATION),
    terminate: leave("the termination is applied again"),
    leave_start: nothing("a termination is in progress: a leave does not apply"),
    leave_end: nothing("a termination is in progress: the end of a leave does not undo it"),
  },
  terminated: {
    hire: converge(REHIRE_AFTER_TERMINATION),
    change: record(
      "terminated: the HR record is updated for a later rehire; nothing is written to Genesys and the deletion stays scheduled",
    ),
    rehire: converge(REHIRE_AFTER_TERMINATION),
    terminate: nothing("already terminated"),
    leave_start: nothing("terminated: a leave does not apply"),
    leave_end: nothing("terminated: only a rehire brings the worker back"),
  },
  deleted: {
    hire: converge("a hire after the deletion brings the worker back: the deleted user is restored"),
    change: record("deleted: the HR record is updated for a later rehire; nothing is written to Genesys"),
    rehire: converge("rehire after the deletion: the deleted user is restored"),
    terminate: nothing("already terminated and deleted"),
    leave_start: nothing("deleted: a leave does not apply"),
    leave_end: nothing("deleted: only a rehire brings the worker back"),
  },
};

export function decide(state: LifecycleState, type: HrEventType): Transition {
  return TRANSITIONS[state][type];
}

/** The state while an action runs: a leaver in progress is visible as such (and stays so if it stops). */
export function stateWhileApplying(state: LifecycleState, action: LifecycleAction): LifecycleState {
  if (action.kind !== "LEAVE") return state;
  return action.leaveOfAbsence ? "starting_leave" : "terminating";
}

/** How an applied event ended, as far as the state machine cares. */
export interface ActionOutcome {
  kind: "APPLIED" | "NOTHING_TO_DO" | "QUARANTINED" | "SUPERSEDED";
  /** `USER_INACTIVE`: a converge found the user inactive and was not allowed to reactivate it. */
  code?: string;
}

/** A converge that found an inactive user it may not reactivate (a `change` is never a rehire). */
export const USER_INACTIVE = "USER_INACTIVE";

/** The state an event leaves behind. A quarantined event leaves the state it was applied in. */
export function stateAfter(
  state: LifecycleState,
  action: LifecycleAction,
  outcome: ActionOutcome,
): LifecycleState {
  if (outcome.kind === "SUPERSEDED") return state;
  switch (action.kind) {
    case "CONVERGE":
      if (outcome.kind === "QUARANTINED" || outcome.code === USER_INACTIVE) return state;
      return "active";
    case "LEAVE":
      if (outcome.kind === "QUARANTINED") return stateWhileApplying(state, action);
      return action.leaveOfAbsence ? "on_leave" : "terminated";
    case "RECORD":
    case "NOTHING":
      return state;
  }
}

/** Termination and the start of a leave: the events that deactivate. */
const DEACTIVATING: ReadonlySet<HrEventType> = new Set(["terminate", "leave_start"]);

export interface TimelineEvent {
  type: HrEventType;
  /** ISO date (YYYY-MM-DD) or date-time. */
  effectiveDate: string;
}

export function effectiveTime(event: Pick<TimelineEvent, "effectiveDate">): number {
  const time = Date.parse(event.effectiveDate);
  if (Number.isNaN(time)) throw new RangeError(`effectiveDate '${event.effectiveDate}' is not a date`);
  return time;
}

/**
 * The order events take effect in: by effective date, and on the same date a termination or the start of a
 * leave after everything else (a same-day hire and termination leave the worker terminated).
 */
export function timelineOrder(a: TimelineEvent, b: TimelineEvent): number {
  return (
    effectiveTime(a) - effectiveTime(b) || Number(DEACTIVATING.has(a.type)) - Number(DEACTIVATING.has(b.type))
  );
}

/**
 * The employee's timeline as far as late arrivals need it: the latest event of each type that has taken its
 * place (applied, or superseded by one that was: it still happened in HR, and a backdated termination that
 * arrives later is compared with it too).
 */
export type AppliedEvents = Partial<Record<HrEventType, { eventId: string; effectiveDate: string }>>;

export interface AppliedEvent extends TimelineEvent {
  eventId: string;
}

/** Which applied events end a late event of each type, when dated after it. */
const ENDED_BY: Partial<Record<HrEventType, readonly HrEventType[]>> = {
  terminate: ["hire", "rehire"],
  leave_start: ["hire", "rehire", "leave_end", "terminate"],
};

/** Hire, rehire and the end of a leave: the events that bring a worker back. */
const REACTIVATING: ReadonlySet<HrEventType> = new Set(["hire", "rehire", "leave_end"]);

/** The applied events that take effect after `event`, latest last. */
export function appliedAfter(event: TimelineEvent, applied: AppliedEvents): AppliedEvent[] {
  return Object.entries(applied)
    .map(([type, e]) => ({ ...e, type: type as HrEventType }))
    .filter((e) => timelineOrder(e, event) > 0)
    .sort(timelineOrder);
}

/**
 * The already applied event that makes a late arrival moot, if any (the latest such). `state` is where the
 * employee is now; without it, what depends on the state is left undecided (not superseded yet).
 * - A termination is never superseded by a change, whatever their dates: only a hire or rehire dated after it.
 *   The start of a leave likewise only by a later return, hire, rehire or termination.
 * - A hire, rehire or return is superseded by a later event that deactivates the worker. When only changes,
 *   returns, hires or rehires came after it, it is moot for an active worker; for one who is not (a backdated
 *   termination took effect after them) it brings the worker back, with the newest HR record. In the queue,
 *   where the state is not known, a later return, hire or rehire makes it moot, and later changes leave it
 *   undecided.
 * - A change is superseded by any applied event that takes effect after it: an older event arriving late does
 *   not undo a newer one.
 */
export function supersededBy(
  event: TimelineEvent,
  applied: AppliedEvents,
  state?: LifecycleState,
): AppliedEvent | undefined {
  const later = appliedAfter(event, applied);
  const endedBy = ENDED_BY[event.type];
  if (endedBy) {
    return later.filter((e) => endedBy.includes(e.type) && effectiveTime(e) > effectiveTime(event)).at(-1);
  }
  if (REACTIVATING.has(event.type) && later.every((e) => e.type === "change" || REACTIVATING.has(e.type))) {
    if (state === "active") return later.at(-1);
    // Known and not active: a backdated termination took effect after the later events, and this brings the
    // worker back. Not known yet (in the queue): a later return or rehire still makes it moot.
    if (state !== undefined || later.every((e) => e.type === "change")) return undefined;
  }
  return later.at(-1);
}

/** Adds an applied event to the timeline, keeping the latest of its type. */
export function withApplied(applied: AppliedEvents, event: AppliedEvent): AppliedEvents {
  const current = applied[event.type];
  if (current && effectiveTime(current) > effectiveTime(event)) return applied;
  return { ...applied, [event.type]: { eventId: event.eventId, effectiveDate: event.effectiveDate } };
}
