import { z } from "zod";
import { RUN_LIST_PAGE, StartRunSchema } from "../../functions/reconciliation";
import {
  ErrorSchema,
  ReconciliationRunListSchema,
  ReconciliationRunSchema,
  ReconciliationStartedSchema,
} from "../schemas";
import {
  error,
  json,
  location,
  OPERATOR_SECURITY,
  paging,
  retryAfter,
  type OperationDoc,
} from "../operation-doc";

/** Reconciliation runs: started on demand (or by the timer), polled for their report. */
export const RECONCILIATION_OPERATIONS: OperationDoc[] = [
  {
    method: "post",
    route: "reconciliation/runs",
    operationId: "StartReconciliationRun",
    summary: "Start a reconciliation run: HR events that never came, and drift in Genesys",
    description:
      "Reads each configured HR system's changes since the last successful run and hands each difference to the intake, then compares every managed user in Genesys with the mapped profile. `mode` (the setting's by default) says whether drift is only reported or also fixed. One run at a time.",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    body: { required: false, content: json(StartRunSchema, { mode: "report" }) },
    responses: {
      202: { description: "Started.", content: json(ReconciliationStartedSchema), headers: location },
      400: error("The body is not JSON, or mode is not report or fix."),
      409: {
        description: "A run is in progress: Location names it.",
        content: json(ErrorSchema),
        headers: location,
      },
    },
  },
  {
    method: "get",
    route: "reconciliation/runs",
    operationId: "ListReconciliationRuns",
    summary: "List the reconciliation runs, newest first",
    description:
      "Each run's summary: how it was started (on schedule, or on demand and by whom), its mode and status, when it started and ended, what each HR system and the Genesys comparison counted, and its cost once ended. The findings are at each run's statusUrl.",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: paging(RUN_LIST_PAGE.maxSize, RUN_LIST_PAGE.defaultSize),
    responses: {
      200: { description: "One page of runs.", content: json(ReconciliationRunListSchema) },
      400: error("pageSize or continuationToken is not valid."),
    },
  },
  {
    method: "get",
    route: "reconciliation/runs/{id}",
    operationId: "GetReconciliationRun",
    summary: "Poll a reconciliation run; its report once it has ended",
    description:
      "202 with the summary so far while the run goes on; 200 with the summary, its cost and one page of findings once it has completed or failed.",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "id",
        in: "path",
        required: true,
        description: "The run id StartReconciliationRun answered.",
        schema: z.string(),
      },
      ...paging(1000, 100),
    ],
    responses: {
      200: { description: "Ended: the report.", content: json(ReconciliationRunSchema) },
      202: {
        description: "Still running.",
        content: json(ReconciliationRunSchema),
        headers: { ...location, ...retryAfter },
      },
      400: error("pageSize or continuationToken is not valid."),
      404: error("No run with this id."),
    },
  },
];
