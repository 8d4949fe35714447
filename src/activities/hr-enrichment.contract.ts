import { z } from "zod";
import { HR_SOURCES, type HrEventType } from "../lifecycle/hr-event";
import { defineActivity } from "./contract";

export const EnrichHrEventInputSchema = z.object({
  employeeKey: z.string().min(1),
  source: z.enum(HR_SOURCES),
  idempotencyKey: z.string().min(1),
  /** The retry period is over: an HR that still does not answer quarantines the item. */
  finalAttempt: z.boolean(),
});
export type EnrichHrEventInput = z.infer<typeof EnrichHrEventInputSchema>;

/**
 * What reading an item back from HR came to: its event, now in the employee's queue; quarantined (for good, or
 * on the final attempt); or HR did not answer, to be tried again after a wait.
 */
export type EnrichHrEventResult =
  | { kind: "queued"; eventId: string; type: HrEventType; effectiveDate: string }
  | { kind: "quarantined"; reason: string }
  | { kind: "hr_unavailable"; reason: string };

/**
 * Reads a stored, acknowledged HR item back from HR (Workday `Get_Workers`, SuccessFactors OData) and puts its
 * event in the employee's queue, or quarantines it. Idempotent: a settled item answers what it settled as.
 */
export const ENRICH_HR_EVENT = defineActivity(
  "enrichHrEvent",
  EnrichHrEventInputSchema,
).returning<EnrichHrEventResult>();
