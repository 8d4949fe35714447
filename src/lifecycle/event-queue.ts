import type { HrEventType } from "./hr-event";
import {
  effectiveTime,
  supersededBy,
  timelineOrder,
  withApplied,
  type AppliedEvent,
  type AppliedEvents,
  type LifecycleState,
} from "./employee-lifecycle";

/**
 * Which of an employee's accepted HR events to apply now, and in what order: one employee, one writer, in
 * timeline order (`timelineOrder`); a late event that an applied one makes moot is superseded (`supersededBy`).
 * Pure: the orchestration feeds it the pending events, what was applied, and its own clock.
 */

export interface QueuedEvent {
  /** Idempotency key of the stored event. */
  key: string;
  eventId: string;
  type: HrEventType;
  /** ISO date (YYYY-MM-DD) or date-time. */
  effectiveDate: string;
  /** When the event was accepted; breaks ties between events of the same effective date. */
  receivedAt: string;
}

export interface QueuePolicy {
  /** How long before its effective date a hire may be provisioned, so the agent is ready on day one. */
  hireLeadTimeInMs: number;
}

export interface QueueDecision<E extends QueuedEvent> {
  /** Apply these now, in this order. */
  due: E[];
  /** Made moot by an applied event: recorded, never applied. */
  superseded: Array<{ event: E; by: AppliedEvent }>;
  /** Not due yet, each with the time it waits for; `behind` names the earlier event it waits behind. */
  waiting: Array<{ event: E; until: string; behind?: E }>;
  /** When the first waiting event becomes due (the ones after it wait behind it). */
  nextDueAt?: string;
}

/** Time at which an event may be applied: its effective date, minus the lead time for hires. */
export function dueAt(event: QueuedEvent, policy: QueuePolicy): number {
  return effectiveTime(event) - (event.type === "hire" ? policy.hireLeadTimeInMs : 0);
}

function byTimeline(a: QueuedEvent, b: QueuedEvent): number {
  return (
    timelineOrder(a, b) || Date.parse(a.receivedAt) - Date.parse(b.receivedAt) || a.key.localeCompare(b.key)
  );
}

/**
 * Sorts pending events into due, superseded and waiting. `state` is the employee's now: what the earliest pending
 * event meets when it is applied (the later ones meet what the earlier ones leave, not known yet).
 */
export function decideQueue<E extends QueuedEvent>(
  pending: readonly E[],
  applied: AppliedEvents,
  now: Date,
  policy: QueuePolicy,
  state?: LifecycleState,
): QueueDecision<E> {
  for (const event of pending) {
    if (Number.isNaN(Date.parse(event.effectiveDate)))
      throw new RangeError(`event ${event.key} has an invalid effectiveDate`);
  }
  const superseded: QueueDecision<E>["superseded"] = [];
  const live: E[] = [];
  // Latest first: an event superseded here still takes its place in the timeline, and may in turn make an
  // earlier one moot (a hire after a backdated termination, itself covered by a later return).
  let timeline = applied;
  const inOrder = [...pending].sort(byTimeline);
  for (const event of [...inOrder].reverse()) {
    const by = supersededBy(event, timeline, event === inOrder[0] ? state : undefined);
    if (by) {
      superseded.unshift({ event, by });
      timeline = withApplied(timeline, event);
    } else live.unshift(event);
  }

  // Stop at the first event that is not yet due: a later event must never overtake an earlier one.
  const due: E[] = [];
  for (const event of live) {
    if (dueAt(event, policy) > now.getTime()) break;
    due.push(event);
  }
  // Everything after the first waiting event waits for it, so that event alone sets the next wake-up.
  const blocker = live[due.length];
  const waiting = live.slice(due.length).map((event) => {
    const until = new Date(Math.max(dueAt(event, policy), dueAt(blocker, policy))).toISOString();
    return { event, until, ...(event === blocker ? {} : { behind: blocker }) };
  });
  const nextDueAt = blocker === undefined ? undefined : new Date(dueAt(blocker, policy)).toISOString();
  return { due, superseded, waiting, ...(nextDueAt === undefined ? {} : { nextDueAt }) };
}
