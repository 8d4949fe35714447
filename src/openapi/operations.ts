import { z } from "zod";
import { ApprovalDecisionSchema, ApprovalStatusQuerySchema } from "../functions/approvals";
import { BATCH_LIST_PAGE } from "../functions/batch-list";
import { EmployeeSearchQuerySchema } from "../functions/employees";
import { PlanMappingChangeSchema } from "../functions/plan-input";
import { StartRunSchema } from "../functions/reconciliation";
import { HrEventSchema, HrWorkerSchema } from "../lifecycle/hr-event";
import { MappingSchema } from "../lifecycle/mapping";
import {
  BULK_CSV_EXAMPLE,
  NORMALIZED_EVENT_EXAMPLE,
  SF_EXTERNAL_EVENT_EXAMPLE,
  SF_INTEGRATION_CENTER_EXAMPLE,
  WORKDAY_NOTIFICATION_EXAMPLE,
} from "./examples";
import {
  ApprovalDecidedSchema,
  ApprovalListSchema,
  AuditSchema,
  BatchAcceptedSchema,
  BatchListSchema,
  BatchReportSchema,
  BatchRetrySchema,
  BatchRunningSchema,
  DocumentSchema,
  EmployeeSchema,
  EmployeeSearchSchema,
  ErrorSchema,
  EventAcceptedSchema,
  HealthSchema,
  HealthStatusSchema,
  IntakeSummarySchema,
  MappingImportedSchema,
  MappingVersionsSchema,
  PlanResultSchema,
  QuarantineListSchema,
  ReplayResolvedSchema,
  ReplayStillQuarantinedSchema,
  SignedInCallerSchema,
  TextSchema,
  WorkdayAcceptedSchema,
  ReconciliationRunSchema,
  ReconciliationStartedSchema,
} from "./schemas";

/**
 * Every HTTP route the app registers, described once: the API documents (`GET /api/openapi.json`, OpenAPI 3;
 * `GET /api/openapi/v2.json`, Swagger 2.0 for a Logic Apps custom connector) are generated from this list.
 * test/unit/openapi.test.ts fails when a registered route is missing here, or listed here but not registered.
 * To add a route: append an entry with its method and route exactly as registered, and point `body` and the
 * responses at the zod schemas its handler uses (docs/openapi.md).
 */

/** The ways a caller proves who it is; an operation lists the alternatives it accepts. */
export const SECURITY_SCHEMES = {
  entraId: {
    kind: "bearer",
    description:
      "An Entra ID access token for the app's registration carrying one of its app roles (Lifecycle.Reader, Lifecycle.Operator, Lifecycle.Approver). App Service authentication validates it; in the browser the console's sign-in session does the same.",
  },
  functionKey: {
    kind: "apiKeyHeader",
    name: "x-functions-key",
    description:
      "An integration's key, checked by the app: ONBOARDING_BATCHES_FUNCTION_KEY on the batch routes the Logic App calls, HR_EVENTS_FUNCTION_KEY on /hr/events.",
  },
  functionKeyQuery: {
    kind: "apiKeyQuery",
    name: "code",
    description: "The integration's key as the `code` query parameter, for callers that cannot set headers.",
  },
  hrSignature: {
    kind: "apiKeyHeader",
    name: "X-HR-Signature",
    description:
      "`sha256=<hex HMAC-SHA256 of the raw request body>`, keyed with HR_EVENTS_HMAC_SECRET. A signature, not a key: compute it per request.",
  },
  hrBasic: {
    kind: "basic",
    description:
      "HTTP Basic with the HR system's notification credentials (SF_NOTIFICATION_USER / _PASSWORD, or WORKDAY_NOTIFICATION_USER / _PASSWORD for pushed Workday documents). Workday's outbound notifications carry the same credentials as a WS-Security UsernameToken in the SOAP header instead.",
  },
} as const;

export type SecurityName = keyof typeof SECURITY_SCHEMES;

/** Operator routes: a signed-in caller with an app role. */
export const OPERATOR_SECURITY: SecurityName[][] = [["entraId"]];
/** The batch routes the Logic App calls: a signed-in caller, or the Logic App's key. */
const BATCH_INTEGRATION_SECURITY: SecurityName[][] = [["entraId"], ["functionKey"], ["functionKeyQuery"]];
/** Routes the host lets through so that the message authenticates itself. */
const HR_PUSH_SECURITY: SecurityName[][] = [["hrBasic"]];
const EVENTS_SECURITY: SecurityName[][] = [["hrSignature"], ["functionKey"], ["functionKeyQuery"]];

export type MediaType = "application/json" | "application/yaml" | "text/csv" | "text/xml" | "text/html";

export interface Content {
  /** A zod schema (the one that validates the request, for bodies). */
  schema: z.ZodType;
  example?: unknown;
}

export interface ResponseDoc {
  description: string;
  content?: Partial<Record<MediaType, Content>>;
  headers?: Record<string, { description: string; schema: z.ZodType }>;
}

export interface ParameterDoc {
  name: string;
  in: "query" | "header" | "path";
  description: string;
  required?: boolean;
  schema: z.ZodType;
}

export interface OperationDoc {
  method: "get" | "post" | "put" | "delete" | "patch";
  /** As registered, without the `api/` prefix: `onboarding/batches/{id}`. */
  route: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Alternatives; an empty list means anonymous. */
  security: SecurityName[][];
  /** Path parameters are derived from the route; describe them here to say more than "the id". */
  parameters?: ParameterDoc[];
  /** The first content type is the one the Swagger 2.0 document describes (it allows one body schema). */
  body?: { required: boolean; description?: string; content: Partial<Record<MediaType, Content>> };
  responses: Record<number, ResponseDoc>;
}

const json = (schema: z.ZodType, example?: unknown): Partial<Record<MediaType, Content>> => ({
  "application/json": example === undefined ? { schema } : { schema, example },
});
const error = (description: string): ResponseDoc => ({ description, content: json(ErrorSchema) });
const unauthorized = error("Credentials, key or signature missing or wrong; nothing was stored.");
const badRequest = error("The body cannot be read (format, size, missing identity); nothing was stored.");
const notConfigured = error("The endpoint's credentials are not configured yet.");
const location = {
  Location: { description: "Where to poll: GET it until it stops answering 202.", schema: z.string() },
};
const paging = (maxSize: number, defaultSize: number): ParameterDoc[] => [
  {
    name: "pageSize",
    in: "query",
    description: `Items per page (${defaultSize} by default).`,
    schema: z.number().int().min(1).max(maxSize).optional(),
  },
  {
    name: "continuationToken",
    in: "query",
    description: "The token the previous page answered with.",
    schema: z.string().optional(),
  },
];
const retryAfter = {
  "Retry-After": { description: "Seconds to wait before polling again.", schema: z.string() },
};

export const OPERATIONS: OperationDoc[] = [
  {
    method: "get",
    route: "health",
    operationId: "GetHealth",
    summary: "Is the app healthy (storage, the Genesys token, the configuration)?",
    description: "Anonymous, for probes: the status only. GetHealthDetails names what fails.",
    tag: "Operations",
    security: [],
    responses: {
      200: { description: "Every part is healthy.", content: json(HealthStatusSchema) },
      503: { description: "A part is not.", content: json(HealthStatusSchema) },
    },
  },
  {
    method: "get",
    route: "health/details",
    operationId: "GetHealthDetails",
    summary: "Check storage, the Genesys token and the configuration, each named",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    responses: {
      200: { description: "Every part is healthy.", content: json(HealthSchema) },
      503: {
        description: "The parts named in `failing` are not; the configuration report says why.",
        content: json(HealthSchema),
      },
    },
  },
  {
    method: "post",
    route: "hr/events",
    operationId: "SubmitHrEvent",
    summary: "Submit a normalized HR event",
    description:
      "The event is stored before the answer, deduplicated on its eventId, then applied to Genesys by the employee's orchestration (or quarantined with the reason).",
    tag: "HR intake",
    security: EVENTS_SECURITY,
    body: { required: true, content: json(HrEventSchema, NORMALIZED_EVENT_EXAMPLE) },
    responses: {
      202: {
        description: "Stored and handed over (or quarantined: see `items`).",
        content: json(EventAcceptedSchema),
      },
      200: {
        description: "A duplicate of an event already received; nothing started.",
        content: json(EventAcceptedSchema),
      },
      400: badRequest,
      401: unauthorized,
      503: notConfigured,
    },
  },
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
    route: "hr/successfactors",
    operationId: "ReceiveSuccessFactorsEvent",
    summary: "Receive a SuccessFactors event notification or Integration Center record",
    description:
      "A SOAP `ExternalEvent` (each event is read back through OData, with the app's OAuth token) is answered with an `ExternalEventResponse`; Integration Center JSON is read through the configured field map.",
    tag: "HR intake",
    security: HR_PUSH_SECURITY,
    body: {
      required: true,
      content: {
        "text/xml": { schema: TextSchema, example: SF_EXTERNAL_EVENT_EXAMPLE },
        "application/json": {
          schema: z.record(z.string(), z.unknown()),
          example: SF_INTEGRATION_CENTER_EXAMPLE,
        },
      },
    },
    responses: {
      200: {
        description: "SOAP: `ExternalEventResponse` with status 200 once every event is stored.",
        content: { "text/xml": { schema: TextSchema } },
      },
      202: { description: "Integration Center JSON stored.", content: json(IntakeSummarySchema) },
      400: badRequest,
      401: unauthorized,
      503: notConfigured,
    },
  },
  {
    method: "post",
    route: "hr/workday",
    operationId: "ReceiveWorkdayNotification",
    summary: "Receive a Workday outbound notification or pushed worker document",
    description:
      "Outbound notifications (read back with Get_Workers), Get_Workers responses, Worker_Sync documents and RaaS reports (XML or JSON).",
    tag: "HR intake",
    security: HR_PUSH_SECURITY,
    body: {
      required: true,
      content: {
        "text/xml": { schema: TextSchema, example: WORKDAY_NOTIFICATION_EXAMPLE },
        "application/json": { schema: z.record(z.string(), z.unknown()) },
      },
    },
    responses: {
      202: { description: "Stored; what became of each event.", content: json(WorkdayAcceptedSchema) },
      400: badRequest,
      401: unauthorized,
      503: notConfigured,
    },
  },
  {
    method: "get",
    route: "hr/quarantine",
    operationId: "ListQuarantine",
    summary: "List what could not be processed, and why",
    tag: "HR intake",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "status",
        in: "query",
        description: "`all` includes replayed entries.",
        schema: z.enum(["all"]).optional(),
      },
    ],
    responses: { 200: { description: "Quarantined events.", content: json(QuarantineListSchema) } },
  },
  {
    method: "post",
    route: "hr/quarantine/{id}/replay",
    operationId: "ReplayQuarantinedEvent",
    summary: "Replay a quarantined event from its stored message",
    tag: "HR intake",
    security: OPERATOR_SECURITY,
    responses: {
      200: { description: "It went through this time.", content: json(ReplayResolvedSchema) },
      422: {
        description: "Still not processable: the new reason.",
        content: json(ReplayStillQuarantinedSchema),
      },
      404: error("No quarantine entry with this id."),
    },
  },
  {
    method: "get",
    route: "mappings",
    operationId: "GetMapping",
    summary: "Read the active mapping (or a version)",
    tag: "Mapping",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "version",
        in: "query",
        description: "A version number; the active one when omitted.",
        schema: z.number().int().min(1).optional(),
      },
    ],
    responses: {
      200: {
        description:
          "The mapping file as imported, in YAML or JSON by `Accept`; `X-Mapping-Version` names the version.",
        content: {
          "application/yaml": { schema: TextSchema },
          "application/json": { schema: DocumentSchema },
        },
        headers: { "X-Mapping-Version": { description: "The version served.", schema: z.string() } },
      },
      400: error("The version is not a positive whole number."),
      404: error("No mapping is active yet, or no such version."),
    },
  },
  {
    method: "put",
    route: "mappings",
    operationId: "ImportMapping",
    summary: "Import a new mapping version (YAML or JSON)",
    tag: "Mapping",
    security: OPERATOR_SECURITY,
    body: {
      required: true,
      content: { "application/yaml": { schema: TextSchema }, "application/json": { schema: MappingSchema } },
    },
    responses: {
      201: {
        description: "Imported and active.",
        content: json(MappingImportedSchema),
        headers: { Location: { description: "The new version.", schema: z.string() } },
      },
      400: error("Schema errors, each with its line and field; nothing stored."),
      413: error("The file is too large."),
      422: error("Stored but not activated: the org validation report."),
    },
  },
  {
    method: "get",
    route: "mappings/versions",
    operationId: "ListMappingVersions",
    summary: "List every mapping version",
    tag: "Mapping",
    security: OPERATOR_SECURITY,
    responses: { 200: { description: "Versions, oldest first.", content: json(MappingVersionsSchema) } },
  },
  {
    method: "post",
    route: "plan",
    operationId: "PlanDryRun",
    summary: "Dry run: what an event, a batch or a mapping change would do",
    description:
      "Writes nothing. The body is one normalized event, a JSON array of events or workers, a mapping change, or the bulk CSV.",
    tag: "Mapping",
    security: OPERATOR_SECURITY,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.union([
            HrEventSchema,
            z.array(z.union([HrEventSchema, HrWorkerSchema])),
            PlanMappingChangeSchema,
          ]),
          example: NORMALIZED_EVENT_EXAMPLE,
        },
        "text/csv": { schema: TextSchema, example: BULK_CSV_EXAMPLE },
      },
    },
    responses: {
      200: { description: "Per-employee steps and totals.", content: json(PlanResultSchema) },
      400: error("The request is not valid; each problem with its item and path."),
      409: error("No mapping is active yet."),
      413: error("Too many employees for one dry run."),
    },
  },
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
  {
    method: "get",
    route: "approvals",
    operationId: "ListApprovals",
    summary: "List leavers paused for an operator's approval",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "status",
        in: "query",
        description: "Which approvals (pending by default).",
        schema: ApprovalStatusQuerySchema,
      },
    ],
    responses: {
      200: { description: "Approvals.", content: json(ApprovalListSchema) },
      400: error("Unknown status."),
    },
  },
  {
    method: "post",
    route: "approvals/{id}",
    operationId: "DecideApproval",
    summary: "Approve or reject a paused leaver",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    body: { required: true, content: json(ApprovalDecisionSchema) },
    responses: {
      200: { description: "Decided; the leaver goes on or stops.", content: json(ApprovalDecidedSchema) },
      400: error("Not a valid decision."),
      404: error("No approval with this id."),
      409: error("Already decided otherwise."),
    },
  },
  {
    method: "get",
    route: "employees",
    operationId: "FindEmployees",
    summary: "Find employees by email",
    description: "The employees whose HR record (as last applied or recorded) has this email, ignoring case.",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "email",
        in: "query",
        required: true,
        description: "The email address to look for.",
        schema: EmployeeSearchQuerySchema,
      },
    ],
    responses: {
      200: {
        description: "The employees found (none, one, or several over the years).",
        content: json(EmployeeSearchSchema),
      },
      400: error("email is missing or not an email address."),
    },
  },
  {
    method: "get",
    route: "employees/{employeeId}",
    operationId: "GetEmployee",
    summary: "Look an employee up: lifecycle state, pending events, manager link",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "employeeId",
        in: "path",
        required: true,
        description: "The stable HR id.",
        schema: z.string(),
      },
    ],
    responses: {
      200: { description: "The employee as this product knows them.", content: json(EmployeeSchema) },
      404: error("No event was ever accepted for this employee."),
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
  {
    method: "get",
    route: "employees/{employeeId}/audit",
    operationId: "GetEmployeeAudit",
    summary: "Read an employee's audit trail",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "employeeId",
        in: "path",
        required: true,
        description: "The stable HR id.",
        schema: z.string(),
      },
    ],
    responses: {
      200: {
        description: "Every Genesys write and lifecycle step, oldest first.",
        content: json(AuditSchema),
      },
    },
  },
  {
    method: "get",
    route: "console/{path}",
    operationId: "GetConsole",
    summary: "The operations console (a web page for people, in a browser)",
    description:
      "Open `/api/console/` in a browser. Its files (HTML, ES modules, CSS) are served from the app package; a person without a session or a Lifecycle role gets a page with the sign-in link.",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    parameters: [
      {
        name: "path",
        in: "path",
        required: true,
        description: "A file of the console; empty for the page itself.",
        schema: z.string(),
      },
    ],
    responses: {
      200: { description: "The file.", content: { "text/html": { schema: TextSchema } } },
      301: { description: "`/api/console` redirects to `/api/console/`." },
      304: { description: "The file has not changed (ETag)." },
      401: {
        description: "Not signed in: a page with the sign-in link.",
        content: { "text/html": { schema: TextSchema } },
      },
      403: {
        description: "No Lifecycle role: a page that says so.",
        content: { "text/html": { schema: TextSchema } },
      },
      404: error("The console has no such file."),
    },
  },
  {
    method: "get",
    route: "me",
    operationId: "GetSignedInCaller",
    summary: "Who is signed in, and their Lifecycle roles",
    tag: "Operations",
    security: OPERATOR_SECURITY,
    responses: { 200: { description: "The verified caller.", content: json(SignedInCallerSchema) } },
  },
  {
    method: "get",
    route: "openapi.json",
    operationId: "GetOpenApiDocument",
    summary: "This API as an OpenAPI 3 document",
    tag: "Operations",
    security: [],
    responses: { 200: { description: "OpenAPI 3.0.", content: json(DocumentSchema) } },
  },
  {
    method: "get",
    route: "openapi/v2.json",
    operationId: "GetSwaggerDocument",
    summary: "This API as a Swagger 2.0 document (Logic Apps and Power Automate custom connectors)",
    tag: "Operations",
    security: [],
    responses: { 200: { description: "Swagger 2.0.", content: json(DocumentSchema) } },
  },
];
