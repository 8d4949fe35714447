import { z } from "zod";

/**
 * The normalized HR event every adapter (Workday, SuccessFactors, generic JSON, CSV) produces, exactly as
 * CONTRACTS.md "Normalized HR event" defines it. Wire-format names never reach past this type.
 */
export const HR_EVENT_TYPES = ["hire", "change", "terminate", "rehire", "leave_start", "leave_end"] as const;
export type HrEventType = (typeof HR_EVENT_TYPES)[number];

const text = z.string().trim().min(1, "must not be empty");
const optionalText = z.string().trim().min(1, "must not be empty").optional();
/** ISO calendar date (2026-12-01); a date-time is accepted and its date part kept. */
const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, "must be an ISO-8601 date (YYYY-MM-DD)")
  .transform((v) => v.slice(0, 10));

export const HrWorkerSchema = z.object({
  employeeId: text,
  email: z.email("must be an email address"),
  firstName: text,
  lastName: text,
  preferredName: optionalText,
  title: text,
  department: optionalText,
  location: optionalText,
  country: optionalText,
  managerEmployeeId: optionalText,
  managerEmail: z.email("must be an email address").optional(),
});
export type HrWorker = z.infer<typeof HrWorkerSchema>;

export const HrEventSchema = z.object({
  eventId: text,
  type: z.enum(HR_EVENT_TYPES, { error: `must be one of ${HR_EVENT_TYPES.join(", ")}` }),
  effectiveDate: isoDate,
  worker: HrWorkerSchema,
});
export type HrEvent = z.infer<typeof HrEventSchema>;
