import type { HrEventType } from "../lifecycle/hr-event";
import { batchRowKey } from "../storage/inbox";
import { bulkRowCandidate, bulkRowToEvent, parseBulkCsv } from "./csv";
import { normalizedEventIdentity, parseUntrustedJson } from "./json";
import type { MediaKind } from "./media";
import {
  fieldViolations,
  validateHrEvent,
  violationError,
  withoutEmptyValues,
  type NormalizeOutcome,
  type PendingItem,
} from "./normalize";
import { fail, ok, type Parsed } from "./result";

/** The events a batch converges; a termination or a leave needs the employee's own graceful leaver. */
const BATCH_EVENT_TYPES: ReadonlySet<HrEventType> = new Set(["hire", "rehire", "change", "leave_end"]);

/** A termination or a leave in a batch is quarantined: it needs the employee's own graceful leaver. */
function onlyBatchTypes(outcome: NormalizeOutcome, index: number): NormalizeOutcome {
  if (!outcome.ok || BATCH_EVENT_TYPES.has(outcome.event.type)) return outcome;
  return {
    ok: false,
    problem: {
      reason: `a batch provisions (hire, rehire, change, leave_end); send ${outcome.event.type} events to POST /api/hr/events, where the graceful leaver runs`,
      field: `[${index}].type`,
    },
  };
}

/** `POST /api/hr/events`: one normalized event; its `eventId` is the idempotency key. */
export function interpretNormalizedEvent(raw: string, media: MediaKind): Parsed<PendingItem[]> {
  if (media !== "json")
    return fail("unsupported_format", "the normalized event is JSON (Content-Type: application/json)");
  const parsed = parseUntrustedJson(raw);
  if (!parsed.ok) return parsed;
  const identity = normalizedEventIdentity(parsed.value);
  if (!identity.ok) return identity;
  const violations = fieldViolations(parsed.value);
  if (violations.length > 0) return { ok: false, error: violationError(violations) };
  const { eventId, employeeKey } = identity.value;
  return ok([
    {
      idempotencyKey: eventId,
      ...(employeeKey === undefined ? {} : { employeeKey }),
      normalize: async () => validateHrEvent(parsed.value),
    },
  ]);
}

/** Most rows one bulk batch may have (ONBOARDING_BATCH_MAX_ROWS). */
export const DEFAULT_MAX_BATCH_ROWS = 5000;

interface BatchRow {
  /** Its number as people see it: the CSV line (header = line 1), or the JSON item number. */
  row: number;
  employeeKey?: string;
  outcome: NormalizeOutcome;
}

/**
 * `POST /api/onboarding/batches`: a bulk CSV (one hire per row) or a JSON array of normalized events. Every
 * row is checked before anything is stored: over `maxRows` rows, or a value that breaks a field rule, refuses
 * the whole batch naming the row and field. A row that only lacks data is quarantined with its number while
 * the rest goes ahead. A later row for an employee already in the batch is marked as that row's duplicate.
 */
export function interpretBatch(
  raw: string,
  media: MediaKind,
  batchId: string,
  maxRows = DEFAULT_MAX_BATCH_ROWS,
): Parsed<PendingItem[]> {
  const rows = batchRows(raw, media, batchId, maxRows);
  if (!rows.ok) return rows;
  const firstPosition = new Map<string, number>();
  return ok(
    rows.value.map((row, index) => {
      const employeeId = row.outcome.ok ? row.outcome.event.worker.employeeId : undefined;
      const earlier = employeeId === undefined ? undefined : firstPosition.get(employeeId);
      if (employeeId !== undefined && earlier === undefined) firstPosition.set(employeeId, index + 1);
      return {
        idempotencyKey: batchRowKey(batchId, index + 1),
        row: row.row,
        ...(row.employeeKey === undefined ? {} : { employeeKey: row.employeeKey }),
        ...(earlier === undefined ? {} : { duplicateOf: batchRowKey(batchId, earlier) }),
        normalize: async () => row.outcome,
      };
    }),
  );
}

function batchRows(raw: string, media: MediaKind, batchId: string, maxRows: number): Parsed<BatchRow[]> {
  const tooMany = (count: number) =>
    fail("too_large", `a batch may have at most ${maxRows} rows; this one has ${count}`);
  if (media === "csv") {
    const rows = parseBulkCsv(raw, maxRows);
    if (!rows.ok) return rows;
    const result: BatchRow[] = [];
    for (const row of rows.value) {
      const violations = fieldViolations(withoutEmptyValues(bulkRowCandidate(row, batchId)));
      if (violations.length > 0) {
        return { ok: false, error: { ...violationError(violations, `CSV row ${row.row}: `), row: row.row } };
      }
      const outcome = bulkRowToEvent(row, batchId);
      result.push({
        row: row.row,
        ...(row.values.employeeId === "" ? {} : { employeeKey: row.values.employeeId }),
        outcome,
      });
    }
    return ok(result);
  }
  if (media !== "json") {
    return fail(
      "unsupported_format",
      "a batch is CSV (Content-Type: text/csv) or a JSON array (application/json)",
    );
  }
  const parsed = parseUntrustedJson(raw);
  if (!parsed.ok) return parsed;
  if (!Array.isArray(parsed.value))
    return fail("unsupported_format", "a JSON batch must be an array of normalized events");
  if (parsed.value.length === 0) return fail("invalid_field", "the JSON batch is empty", "[0]");
  if (parsed.value.length > maxRows) return tooMany(parsed.value.length);
  const result: BatchRow[] = [];
  for (const [index, element] of (parsed.value as unknown[]).entries()) {
    const identity = normalizedEventIdentity(element, `[${index}].`);
    const violations = fieldViolations(element);
    if (violations.length > 0) {
      const error = violationError(violations, `item ${index + 1}: `);
      return { ok: false, error: { ...error, field: `[${index}].${error.field ?? ""}` } };
    }
    const outcome = onlyBatchTypes(validateHrEvent(element), index);
    result.push({
      row: index + 1,
      ...(identity.ok && identity.value.employeeKey !== undefined
        ? { employeeKey: identity.value.employeeKey }
        : {}),
      outcome: outcome.ok
        ? outcome
        : {
            ok: false,
            problem: { ...outcome.problem, reason: `item ${index + 1}: ${outcome.problem.reason}` },
          },
    });
  }
  return ok(result);
}
