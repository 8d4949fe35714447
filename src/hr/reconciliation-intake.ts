import type { HrEvent, HrEventType, HrWorker } from "../lifecycle/hr-event";
import { isRecord, parseUntrustedJson } from "./json";
import { sha256Hex, validateHrEvent, type PendingItem } from "./normalize";
import { fail, ok, type Parsed } from "./result";

/**
 * How reconciliation hands what it found to the normal intake: one stored message per slice, listing the
 * events it found with why, under the `reconciliation` source. Each event's idempotency key is derived from
 * the HR data it carries, so the same finding made twice (a run repeated before the first one's events were
 * applied) is a duplicate and starts nothing. A replay from quarantine reads the same message again.
 */

export interface FoundEvent {
  idempotencyKey: string;
  event: HrEvent;
  /** Why reconciliation sent it, in words an operator reads in the audit. */
  why: string;
}

export interface ReconciliationMessage {
  reconciliationRun: string;
  /** Where the truth came from: `workday` or `successfactors` (HR side), `genesys` (a fix of drift). */
  foundIn: string;
  events: FoundEvent[];
}

/** Letters and digits of the HR data the event carries, stable however the properties are ordered. */
function digestOf(parts: { type: HrEventType; effectiveDate: string; worker: HrWorker }): string {
  const worker = Object.fromEntries(
    Object.entries(parts.worker)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return sha256Hex(JSON.stringify([parts.type, parts.effectiveDate, worker])).slice(0, 24);
}

/** The event an HR difference becomes: its id and idempotency key come from the HR data it carries. */
export function foundInHr(
  foundIn: "workday" | "successfactors",
  found: { type: HrEventType; effectiveDate: string; worker: HrWorker },
  why: string,
): FoundEvent {
  const digest = digestOf(found);
  const { employeeId } = found.worker;
  return {
    idempotencyKey: `${foundIn}:${employeeId}:${digest}`,
    event: { eventId: `rc-${digest.slice(0, 12)}-${employeeId}`, ...found },
    why,
  };
}

/**
 * The event that puts drift right in fix mode: a `change` carrying the HR record last applied, so the
 * employee's own orchestration converges the profile. Keyed by the run: a later run that finds the same
 * drift again (an administrator undid the fix) fixes it again.
 */
export function fixOfDrift(
  runId: string,
  found: { effectiveDate: string; worker: HrWorker },
  why: string,
): FoundEvent {
  const { employeeId } = found.worker;
  return {
    idempotencyKey: `genesys:${employeeId}:${runId}`,
    event: { eventId: `rc-fix-${sha256Hex(runId).slice(0, 12)}-${employeeId}`, type: "change", ...found },
    why,
  };
}

/** The pending items of a reconciliation message, as the intake takes them. */
export function reconciliationItems(message: ReconciliationMessage): PendingItem[] {
  return message.events.map((found) => ({
    idempotencyKey: found.idempotencyKey,
    employeeKey: found.event.worker.employeeId,
    normalize: async () => validateHrEvent(found.event),
  }));
}

/** Reads a stored reconciliation message back into its items (a replay from quarantine). */
export function interpretReconciliationMessage(raw: string): Parsed<PendingItem[]> {
  const parsed = parseUntrustedJson(raw);
  if (!parsed.ok) return parsed;
  const message = parsed.value;
  if (!isRecord(message) || !Array.isArray(message.events) || typeof message.reconciliationRun !== "string")
    return fail(
      "unsupported_format",
      "not a reconciliation message ({ reconciliationRun, foundIn, events })",
    );
  const events: FoundEvent[] = [];
  for (const found of message.events as unknown[]) {
    if (!isRecord(found) || typeof found.idempotencyKey !== "string" || !isRecord(found.event))
      return fail("invalid_field", "a reconciliation event has no idempotencyKey or event", "events");
    events.push({
      idempotencyKey: found.idempotencyKey,
      event: found.event as unknown as HrEvent,
      why: typeof found.why === "string" ? found.why : "",
    });
  }
  return ok(
    reconciliationItems({
      reconciliationRun: message.reconciliationRun,
      foundIn: String(message.foundIn),
      events,
    }),
  );
}
