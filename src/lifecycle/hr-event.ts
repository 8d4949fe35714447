import { z } from "zod";

/**
 * The one normalized HR event every source (Workday, SuccessFactors, the generic JSON endpoint, CSV batches)
 * is turned into. Its shape is an external contract (docs/hr-intake.md): Logic Apps send it to `POST /api/hr/events`
 * as is.
 *
 * The field rules live here, in the schema, so every entry point (intake, dry run, batches) and the API
 * description enforce the same ones: identifiers are plain tokens (they become storage keys, orchestration
 * ids and log fields), names carry no control or bidirectional-override characters (they reach Genesys and
 * operators' screens), and every text has a length Genesys accepts.
 */
export const HR_EVENT_TYPES = ["hire", "change", "terminate", "rehire", "leave_start", "leave_end"] as const;
export type HrEventType = (typeof HR_EVENT_TYPES)[number];

/** Letters, digits and `. _ : -`: safe in a Table Storage key, a URL path, a log line and a spreadsheet. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
export const MAX_EMPLOYEE_ID_LENGTH = 64;
/** Event ids are longer: sources prefix the HR id with their own (`wd-<digest>-<Employee_ID>`). */
export const MAX_EVENT_ID_LENGTH = 128;
export const MAX_NAME_LENGTH = 100;
export const MAX_TEXT_LENGTH = 255;
/** RFC 5321: an address that fits a SMTP path. */
export const MAX_EMAIL_LENGTH = 254;

/**
 * C0 and C1 controls (NUL, newline, escape…), and the Unicode bidirectional embedding, override and isolate
 * characters that can make text display differently from what it is ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const required = (issue: { input: unknown }, what: string) =>
  issue.input === undefined ? "is required" : `must be ${what}`;

export const identifier = (maxLength: number) =>
  z
    .string({ error: (issue) => required(issue, "text") })
    .trim()
    .min(1, "is required")
    .max(maxLength, `must be at most ${maxLength} characters`)
    .regex(ID_PATTERN, "may contain only letters, digits and . _ : -");

/** A line break or tab inside a name or address (a multi-line spreadsheet cell) becomes one space. */
const text = (maxLength: number) =>
  z
    .string({ error: (issue) => required(issue, "text") })
    .transform((value) => value.replace(/\s*[\t\r\n]+\s*/g, " ").trim())
    .pipe(
      z
        .string()
        .min(1, "is required")
        .max(maxLength, `must be at most ${maxLength} characters`)
        .refine((value) => !UNSAFE_TEXT.test(value), {
          message: "must not contain control or bidirectional-override characters",
        }),
    );

const email = z
  .email({ error: (issue) => required(issue, "an email address") })
  .max(MAX_EMAIL_LENGTH, `must be at most ${MAX_EMAIL_LENGTH} characters`);

export const EmployeeIdSchema = identifier(MAX_EMPLOYEE_ID_LENGTH);
export const EventIdSchema = identifier(MAX_EVENT_ID_LENGTH);

export const HrWorkerSchema = z.object({
  /** The stable HR id (Workday Employee_ID, SuccessFactors personIdExternal): the employee key. */
  employeeId: EmployeeIdSchema,
  email,
  firstName: text(MAX_NAME_LENGTH),
  lastName: text(MAX_NAME_LENGTH),
  preferredName: text(MAX_NAME_LENGTH).optional(),
  title: text(MAX_TEXT_LENGTH),
  department: text(MAX_TEXT_LENGTH).optional(),
  location: text(MAX_TEXT_LENGTH).optional(),
  country: text(MAX_TEXT_LENGTH).optional(),
  managerEmployeeId: EmployeeIdSchema.optional(),
  managerEmail: email.optional(),
});
export type HrWorker = z.infer<typeof HrWorkerSchema>;

/** The worker fields HR owns besides its id: what this product copies into Genesys or matches the mapping on. */
export const HR_WORKER_FIELDS = [
  "email",
  "firstName",
  "lastName",
  "preferredName",
  "title",
  "department",
  "location",
  "country",
  "managerEmployeeId",
  "managerEmail",
] as const satisfies readonly (keyof HrWorker)[];

export const HrEventSchema = z.object({
  eventId: EventIdSchema,
  type: z.enum(HR_EVENT_TYPES, { error: `must be one of ${HR_EVENT_TYPES.join(", ")}` }),
  effectiveDate: z.iso.date("must be a date (yyyy-MM-dd)"),
  worker: HrWorkerSchema,
});
export type HrEvent = z.infer<typeof HrEventSchema>;

/**
 * Where an event entered the system; part of its idempotency key, so sources never collide. `reconciliation`:
 * found by a reconciliation run (an HR event that never came, or the fix of drift in Genesys).
 */
export const HR_SOURCES = ["workday", "successfactors", "events", "batch", "reconciliation"] as const;
export type HrSource = (typeof HR_SOURCES)[number];
