/**
 * Which of an employee's accepted HR events to apply now, and in what order (DESIGN.md rule 3: one employee,
 * one writer, effective-date order; an older event arriving late does not undo a newer one).
 * Pure: the orchestration feeds it the pending events and its own clock.
 */

export interface QueuedEvent {
  /** Idempotency key of the stored event. */
  key: string;
  type: "hire" | "change" | "terminate" | "rehire" | "leave_start" | "leave_end";
  /** ISO date (YYYY-MM-DD) or date-time. */
  effectiveDate: string;
  /** When the event was accepted; breaks ties between events with the same effective date. */
  receivedAt: string;
}

export interface QueuePolicy {
  /** How long before its effective date a hire may be provisioned, so the agent is ready on day one. */
  hireLeadTimeInMs: number;
}

export interface QueueDecision<E extends QueuedEvent> {
  /** Apply these now, in this order. */
  due: E[];
  /** Older than what was already applied: recorded, never applied. */
  superseded: E[];
  /** When the first waiting event becomes due (the ones after it wait behind it). */
  nextDueAt?: string;
}

function effectiveTime(event: QueuedEvent): number {
  const effective = Date.parse(event.effectiveDate);
  if (Number.isNaN(effective)) throw new RangeError(`event ${event.key} has an invalid effectiveDate`);
  return effective;
}

/** Time at which an event may be applied: its effective date, minus the lead time for hires. */
export function dueAt(event: QueuedEvent, policy: QueuePolicy): number {
  return effectiveTime(event) - (event.type === "hire" ? policy.hireLeadTimeInMs : 0);
}

function byEffectiveDate(a: QueuedEvent, b: QueuedEvent): number {
  return (
    effectiveTime(a) - effectiveTime(b) ||
    Date.parse(a.receivedAt) - Date.parse(b.receivedAt) ||
    a.key.localeCompare(b.key)
  );
}

/**
 * Sorts pending events into due, superseded and waiting.
 * `lastAppliedEffectiveDate` is the effective date of the newest event already applied for this employee.
 */
export function decideQueue<E extends QueuedEvent>(
  pending: readonly E[],
  lastAppliedEffectiveDate: string | undefined,
  now: Date,
  policy: QueuePolicy,
): QueueDecision<E> {
  const floor = lastAppliedEffectiveDate === undefined ? -Infinity : Date.parse(lastAppliedEffectiveDate);
  const ordered = [...pending].sort(byEffectiveDate);
  const superseded = ordered.filter((e) => effectiveTime(e) < floor);
  const live = ordered.filter((e) => effectiveTime(e) >= floor);

  // Stop at the first event that is not yet due: a later event must never overtake an earlier one.
  const due: E[] = [];
  for (const event of live) {
    if (dueAt(event, policy) > now.getTime()) break;
    due.push(event);
  }
  // Everything after the first waiting event waits for it, so that event alone sets the next wake-up.
  const blocker = live[due.length];
  const nextDueAt = blocker === undefined ? undefined : new Date(dueAt(blocker, policy)).toISOString();
  return { due, superseded, ...(nextDueAt === undefined ? {} : { nextDueAt }) };
}
