import { z } from "zod";
import { BATCH_LIST_PAGE } from "../../functions/batch-list";
import { HrEventSchema } from "../../lifecycle/hr-event";
import { BULK_CSV_EXAMPLE, NORMALIZED_EVENT_EXAMPLE } from "../examples";
import {
  BatchAcceptedSchema,
  BatchListSchema,
  BatchReportSchema,
  BatchRetrySchema,
  BatchRunningSchema,
  TextSchema,
} from "../schemas";
import {
  BATCH_INTEGRATION_SECURITY,
  badRequest,
  error,
  json,
  location,
  OPERATOR_SECURITY,
  paging,
  retryAfter,
  unauthorized,
  type OperationDoc,
} from "../operation-doc";

/** Bulk onboarding: batches of hires started, followed and retried. */
export const BULK_ONBOARDING_OPERATIONS: OperationDoc[] = [
  {
    method: "post",
    route: "onboarding/batches",
    operationId: "StartOnboardingBatch",
    summary: "Start a bulk onboarding batch",
    description:
      "A JSON array of normalized events, or the bulk CSV (`employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate`). " +
      "Every row is stored, then the batch runs in throttled slices. Asynchronous: 202 with `Location`; poll GetOnboardingBatch until it answers 200.",
    tag: "Bulk onboarding",
    security: BATCH_INTEGRATION_SECURITY,
    body: {
      required: true,
      content: {
        "application/json": { schema: z.array(HrEventSchema).min(1), example: [NORMALIZED_EVENT_EXAMPLE] },
        "text/csv": { schema: TextSchema, example: BULK_CSV_EXAMPLE },
      },
    },
    responses: {
      202: {
        description: "Stored; the batch is running.",
        content: json(BatchAcceptedSchema),
        headers: location,
      },
      400: badRequest,
      401: unauthorized,
    },
  },
  {
    method: "get",
    route: "onboarding/batches/{id}",
    operationId: "GetOnboardingBatch",
    summary: "Poll a bulk onboarding batch",
    description:
      "202 with progress while the batch runs; 200 with the per-hire report (JSON, or CSV with `Accept: text/csv`) when done.",
    tag: "Bulk onboarding",
    security: BATCH_INTEGRATION_SECURITY,
    parameters: [
      {
        name: "id",
        in: "path",
        required: true,
        description: "The batch id StartOnboardingBatch answered.",
        schema: z.string(),
      },
    ],
    responses: {
      200: {
        description: "Completed: the report.",
        content: { "application/json": { schema: BatchReportSchema }, "text/csv": { schema: TextSchema } },
      },
      202: {
        description: "Still running.",
        content: json(BatchRunningSchema),
        headers: { ...location, ...retryAfter },
      },
      404: error("No batch with this id."),
      500: error("The batch failed."),
    },
  },
  {
    method: "get",
    route: "onboarding/batches",
    operationId: "ListOnboardingBatches",
    summary: "List the bulk onboarding batches submitted, newest first",
    description:
      "Who submitted each batch and when, its status and totals: the progress so far while it runs, each row's latest outcome once done.",
    tag: "Bulk onboarding",
    security: OPERATOR_SECURITY,
    parameters: paging(BATCH_LIST_PAGE.maxSize, BATCH_LIST_PAGE.defaultSize),
    responses: {
      200: { description: "One page of batches.", content: json(BatchListSchema) },
      400: error("pageSize or continuationToken is not valid."),
    },
  },
  {
    method: "post",
    route: "onboarding/batches/{id}/retry",
    operationId: "RetryOnboardingBatch",
    summary: "Retry every failed row of a finished batch",
    description:
      "Each failed row is replayed from quarantine as a new attempt, in the employee's own lifecycle; poll GetOnboardingBatch for the latest outcome per row.",
    tag: "Bulk onboarding",
    security: OPERATOR_SECURITY,
    parameters: [
      { name: "id", in: "path", required: true, description: "The batch id.", schema: z.string() },
    ],
    responses: {
      202: { description: "Retrying.", content: json(BatchRetrySchema), headers: location },
      404: error("No batch with this id."),
      409: error("The batch is still running."),
    },
  },
];
