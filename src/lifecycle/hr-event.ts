import { z } from "zod";

/**
 * The one normalized HR event every source (Workday, SuccessFactors, the generic JSON endpoint, CSV batches)
 * is turned into. Its shape is an external contract (CONTRACTS.md, "Normalized HR event"): Logic Apps send it
 * to `POST /api/hr/events` as is.
 */
export const HR_EVENT_TYPES = ["hire", "change", "terminate", "rehire", "leave_start", "leave_end"] as const;
export type HrEventType = (typeof HR_EVENT_TYPES)[number];

const text = z.string().trim().min(1, "is required");

export const HrWorkerSchema = z.object({
  /** The stable HR id (Workday Employee_ID, SuccessFactors personIdExternal): the employee key. */
  employeeId: text,
  email: z.email("must be an email address"),
  firstName: text,
  lastName: text,
  preferredName: text.optional(),
  title: text,
  department: text.optional(),
  location: text.optional(),
  country: text.optional(),
  managerEmployeeId: text.optional(),
  managerEmail: z.email("must be an email address").optional(),
});
export type HrWorker = z.infer<typeof HrWorkerSchema>;

export const HrEventSchema = z.object({
  eventId: text,
  type: z.enum(HR_EVENT_TYPES, { error: `must be one of ${HR_EVENT_TYPES.join(", ")}` }),
  effectiveDate: z.iso.date("must be a date (yyyy-MM-dd)"),
  worker: HrWorkerSchema,
});
export type HrEvent = z.infer<typeof HrEventSchema>;

/** Where an event entered the system; part of its idempotency key, so sources never collide. */
export const HR_SOURCES = ["workday", "successfactors", "events", "batch"] as const;
export type HrSource = (typeof HR_SOURCES)[number];
