import { z } from "zod";
import { bulkRowToEvent, parseBulkCsv } from "../hr/csv";
import { HrEventSchema, HrWorkerSchema, type HrWorker } from "../lifecycle/hr-event";
import type { PlanInput } from "../lifecycle/plan";

/**
 * What `POST /api/plan` accepts: one normalized HR event, a batch (a JSON array of events or workers, or the
 * bulk CSV), or a mapping change (`{ "mapping": "<YAML or JSON text>", "workers": [...]? }`).
 */
export type PlanRequest =
  { kind: "EVENTS"; events: PlanInput[] } | { kind: "MAPPING_CHANGE"; source: string; workers?: HrWorker[] };

export interface InputProblem {
  /** `body`, `item 3`, or `row 7` (CSV rows count the header as row 1). */
  item: string;
  path: string;
  message: string;
}

export type PlanRequestResult = { ok: true; request: PlanRequest } | { ok: false; errors: InputProblem[] };

/** A mapping change to dry-run: the candidate mapping and, optionally, the workers to plan it for. */
export const PlanMappingChangeSchema = z.strictObject({
  mapping: z.union([z.string().min(1), z.record(z.string(), z.unknown())], {
    error: "must be the mapping file's text, or the mapping as a JSON object",
  }),
  workers: z.array(HrWorkerSchema).optional(),
});

export function parsePlanRequest(body: string, contentType: string | undefined): PlanRequestResult {
  if (body.trim() === "") return fail("body", "", "the request body is empty");
  if (contentType !== undefined && /csv/i.test(contentType)) return parseCsvBatch(body);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    return fail("body", "", `not JSON (${(error as Error).message}); send text/csv for the bulk CSV`);
  }
  if (Array.isArray(data)) return parseBatch(data);
  if (typeof data === "object" && data !== null && "mapping" in data) {
    const parsed = PlanMappingChangeSchema.safeParse(data);
    if (!parsed.success) return { ok: false, errors: issuesOf("body", parsed.error) };
    const { mapping, workers } = parsed.data;
    return {
      ok: true,
      request: {
        kind: "MAPPING_CHANGE",
        source: typeof mapping === "string" ? mapping : JSON.stringify(mapping, null, 2),
        workers,
      },
    };
  }
  const event = HrEventSchema.safeParse(data);
  if (!event.success) return { ok: false, errors: issuesOf("body", event.error) };
  return { ok: true, request: { kind: "EVENTS", events: [event.data] } };
}

/** Items with a `worker` are events; the rest are workers, planned as "make Genesys match" (type hire). */
function parseBatch(items: unknown[]): PlanRequestResult {
  const events: PlanInput[] = [];
  const errors: InputProblem[] = [];
  items.forEach((item, i) => {
    const isEvent = typeof item === "object" && item !== null && "worker" in item;
    if (isEvent) {
      const parsed = HrEventSchema.safeParse(item);
      if (parsed.success) events.push(parsed.data);
      else errors.push(...issuesOf(`item ${i}`, parsed.error));
    } else {
      const parsed = HrWorkerSchema.safeParse(item);
      if (parsed.success) events.push({ type: "hire", worker: parsed.data });
      else errors.push(...issuesOf(`item ${i}`, parsed.error));
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, request: { kind: "EVENTS", events } };
}

/** The same bulk CSV the intake takes (`POST /api/onboarding/batches`), read by the same parser. */
function parseCsvBatch(text: string): PlanRequestResult {
  const rows = parseBulkCsv(text);
  if (!rows.ok) return fail(`row ${rows.error.row ?? 1}`, rows.error.field ?? "", rows.error.message);
  const events: PlanInput[] = [];
  const errors: InputProblem[] = [];
  for (const row of rows.value) {
    const outcome = bulkRowToEvent(row, "csv");
    if (outcome.ok)
      events.push({ eventId: outcome.event.eventId, type: "hire", worker: outcome.event.worker });
    else
      errors.push({
        item: `row ${row.row}`,
        path: outcome.problem.field ?? "",
        message: outcome.problem.reason,
      });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, request: { kind: "EVENTS", events } };
}

function issuesOf(item: string, error: z.ZodError): InputProblem[] {
  return error.issues.map((issue) => ({
    item,
    path: issue.path.map(String).join("."),
    message: issue.input === undefined && issue.code === "invalid_type" ? "is required" : issue.message,
  }));
}

function fail(item: string, path: string, message: string): PlanRequestResult {
  return { ok: false, errors: [{ item, path, message }] };
}
