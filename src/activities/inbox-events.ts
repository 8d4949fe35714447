import type { HrEvent, HrSource } from "../lifecycle/hr-event";
import type { InboxRepository } from "../storage/inbox";

/** An event's key in the employee queue: where it sits in the inbox, unique across sources. */
export function eventKeyOf(source: HrSource, idempotencyKey: string): string {
  return `${source}:${idempotencyKey}`;
}

/** Splits an event key back into its inbox location. */
export function inboxLocation(eventKey: string): { source: HrSource; idempotencyKey: string } {
  const at = eventKey.indexOf(":");
  return { source: eventKey.slice(0, at) as HrSource, idempotencyKey: eventKey.slice(at + 1) };
}

/** The normalized event behind an event key, as the intake stored it. */
export async function loadInboxEvent(
  inbox: Pick<InboxRepository, "get">,
  eventKey: string,
): Promise<HrEvent | undefined> {
  const { source, idempotencyKey } = inboxLocation(eventKey);
  return (await inbox.get(source, idempotencyKey))?.event;
}
