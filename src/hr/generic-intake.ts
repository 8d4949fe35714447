import type { HrEventType } from "../lifecycle/hr-event";
import { bulkRowToEvent, parseBulkCsv } from "./csv";
import { normalizedEventIdentity, parseUntrustedJson } from "./json";
import type { MediaKind } from "./media";
import { validateHrEvent, type PendingItem } from "./normalize";
import { fail, ok, type Parsed } from "./result";

/** The events a batch converges; a termination or a leave needs the employee's own graceful leaver. */
const BATCH_EVENT_TYPES: ReadonlySet<HrEventType> = new Set(["hire", "rehire", "change", "leave_end"]);

/** `POST /api/hr/events`: one normalized event; its `eventId` is the idempotency key. */
export function interpretNormalizedEvent(raw: string, media: MediaKind): Parsed<PendingItem[]> {
  if (media !== "json")
    return fail("unsupported_format", "the normalized event is JSON (Content-Type: application/json)");
  const parsed = parseUntrustedJson(raw);
  if (!parsed.ok) return parsed;
  const identity = normalizedEventIdentity(parsed.value);
  if (!identity.ok) return identity;
  const { eventId, employeeKey } = identity.value;
  return ok([
    {
      idempotencyKey: eventId,
      ...(employeeKey === undefined ? {} : { employeeKey }),
      normalize: async () => validateHrEvent(parsed.value),
    },
  ]);
}

/**
 * `POST /api/onboarding/batches`: a bulk CSV (one hire per row) or a JSON array of normalized events. Keys are
 * `<batchId>:<row>`; a bad row is quarantined with its row number while the rest of the batch goes ahead.
 */
export function interpretBatch(raw: string, media: MediaKind, batchId: string): Parsed<PendingItem[]> {
  if (media === "csv") {
    const rows = parseBulkCsv(raw);
    if (!rows.ok) return rows;
    return ok(
      rows.value.map((row) => ({
        idempotencyKey: `${batchId}:${row.row}`,
        ...(row.values.employeeId === "" ? {} : { employeeKey: row.values.employeeId }),
        normalize: async () => bulkRowToEvent(row, batchId),
      })),
    );
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
  return ok(
    parsed.value.map((element, index) => {
      const identity = normalizedEventIdentity(element, `[${index}].`);
      return {
        idempotencyKey: `${batchId}:${index + 1}`,
        ...(identity.ok && identity.value.employeeKey !== undefined
          ? { employeeKey: identity.value.employeeKey }
          : {}),
        normalize: async () => {
          const outcome = validateHrEvent(element);
          if (outcome.ok && !BATCH_EVENT_TYPES.has(outcome.event.type)) {
            return {
              ok: false,
              problem: {
                reason: `item ${index + 1}: a batch provisions (hire, rehire, change, leave_end); send ${outcome.event.type} events to POST /api/hr/events, where the graceful leaver runs`,
                field: `[${index}].type`,
              },
            };
          }
          if (outcome.ok) return outcome;
          return {
            ok: false,
            problem: { ...outcome.problem, reason: `item ${index + 1}: ${outcome.problem.reason}` },
          };
        },
      };
    }),
  );
}
