import { createHash } from "node:crypto";
import {
  EmployeeIdSchema,
  HrEventSchema,
  identifier,
  type HrEvent,
  type HrEventType,
} from "../lifecycle/hr-event";
import type { HrInputError, HrUnprocessable } from "./result";

/** One event a message carries, before or after normalization. */
export type NormalizeOutcome = { ok: true; event: HrEvent } | { ok: false; problem: HrUnprocessable };

/**
 * An identified event waiting to be normalized. `normalize` may call back into the HR system (a thin Workday
 * notification, a SuccessFactors event), which is why it is deferred: the raw message is stored first.
 */
export interface PendingItem {
  idempotencyKey: string;
  /** The stable HR id when the message names it; the only personal datum that may be logged. */
  employeeKey?: string;
  /** The idempotency key of an earlier item of the same message for the same employee (bulk batches). */
  duplicateOf?: string;
  /** A bulk row's number as people see it: the CSV line (header = line 1), or a JSON batch's item number. */
  row?: number;
  /**
   * The event is only known once the HR system is asked back (a thin Workday notification, a SuccessFactors
   * event read through OData). With the employee known, the intake stores it and acknowledges at once; the
   * employee's orchestration asks HR (`enrichDeferred`), retrying through an HR outage.
   */
  readsBackFromHr?: boolean;
  normalize(): Promise<NormalizeOutcome>;
}

/** The outcome for an identified message that cannot become an event. */
export const unprocessable = (reason: string, field?: string): NormalizeOutcome => ({
  ok: false,
  problem: field === undefined ? { reason } : { field, reason },
});

/** A candidate event with whatever the source provided; validated against the contract schema. */
export interface EventCandidate {
  eventId: string;
  type: HrEventType | undefined;
  effectiveDate: string | undefined;
  worker: Record<string, string | undefined>;
}

/** Validates a candidate; the first failing field becomes the quarantine reason, named by its contract path. */
export function toHrEvent(candidate: EventCandidate): NormalizeOutcome {
  return validateHrEvent(withoutEmptyValues(candidate));
}

/** A candidate whose empty worker fields are absent, as the schema expects a field that was not given. */
export function withoutEmptyValues(candidate: EventCandidate): EventCandidate {
  const worker = Object.fromEntries(
    Object.entries(candidate.worker).filter(([, v]) => v !== undefined && v !== ""),
  );
  return { ...candidate, worker };
}

/** Validates anything against the contract schema, naming the first failing field. */
export function validateHrEvent(value: unknown): NormalizeOutcome {
  const parsed = HrEventSchema.safeParse(value);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue.path.join(".");
  const missing = issue.code === "invalid_type" && issue.input === undefined;
  return { ok: false, problem: { field, reason: `${field} ${missing ? "is missing" : issue.message}` } };
}

/** A field that is present but breaks the contract's rules (as opposed to one that is missing). */
export interface FieldViolation {
  field: string;
  message: string;
}

/**
 * Values the schema refuses although they were given: a malformed id, a name with control characters, an
 * email that is not one. Such a message is refused at the door (400) instead of being stored; a missing field
 * stays a quarantine reason, because the rest of the message may still be completed later.
 */
export function fieldViolations(value: unknown): FieldViolation[] {
  // reportInput: zod leaves the offending value out of an issue unless asked, and "missing" is "no value".
  const parsed = HrEventSchema.safeParse(value, { reportInput: true });
  if (parsed.success) return [];
  return parsed.error.issues
    .filter((issue) => issue.input !== undefined)
    .map((issue) => ({ field: issue.path.join("."), message: issue.message }));
}

/** The first violation as the 400 answer's error, with how many more there are. */
export function violationError(violations: FieldViolation[], prefix = ""): HrInputError {
  const [first] = violations;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : "";
  return {
    kind: "invalid_field",
    field: first.field,
    message: `${prefix}${first.field} ${first.message}${more}`,
  };
}

/** Built once per length: building a schema costs more than checking a value with it. */
const identifierSchemas = new Map<number, ReturnType<typeof identifier>>();

/**
 * An identifier an HR message uses as (part of) a storage key: a WID, an event id, an employee id. One that
 * breaks the rule refuses the message (400) before anything is stored; a raw storage error never results.
 */
export function identifierError(value: string, field: string, maxLength = 64): HrInputError | undefined {
  let schema = identifierSchemas.get(maxLength);
  if (!schema) identifierSchemas.set(maxLength, (schema = identifier(maxLength)));
  const parsed = schema.safeParse(value);
  return parsed.success
    ? undefined
    : { kind: "invalid_field", field, message: `${field} ${parsed.error.issues[0].message}` };
}

/** The employee key a message names, when it is a valid one; anything else is not used as a key. */
export const validEmployeeKey = (value: string | undefined): string | undefined =>
  value !== undefined && EmployeeIdSchema.safeParse(value).success ? value.trim() : undefined;

/** `2015-07-28-07:00`, `2015-07-28T10:00:00Z`, `/Date(1587072082000+0000)/` or epoch ms → `yyyy-MM-dd`. */
export function toIsoDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const plain = /^(\d{4}-\d{2}-\d{2})/.exec(trimmed);
  if (plain) return plain[1];
  const odata = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(trimmed);
  const epoch = odata?.[1] ?? (/^\d{11,14}$/.test(trimmed) ? trimmed : undefined);
  if (epoch === undefined) return undefined;
  const date = new Date(Number(epoch));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

export const sha256Hex = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex");

/**
 * Classifies a business-process or event-type name (Workday `Hire Employee` / `Hire_Employee`, SuccessFactors
 * `...AssignmentInformation.ReHire`). Unknown names are changes: re-reading the record converges either way.
 */
export function classifyProcess(name: string | undefined): HrEventType | undefined {
  if (!name) return undefined;
  const n = name.replace(/[_.]/g, " ").toLowerCase();
  if (/\bre ?hire/.test(n)) return "rehire";
  if (/\bhire\b|contract contingent worker/.test(n)) return "hire";
  if (/terminat|end contingent worker contract|end employment/.test(n)) return "terminate";
  if (/return.*leave|leave.*(end|return)/.test(n)) return "leave_end";
  if (/leave/.test(n)) return "leave_start";
  const direct = n.trim().replace(/ /g, "_");
  if (["change", "leave_start", "leave_end"].includes(direct)) return direct as HrEventType;
  return "change";
}
