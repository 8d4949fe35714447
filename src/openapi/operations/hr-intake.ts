import { z } from "zod";
import { HrEventSchema } from "../../lifecycle/hr-event";
import {
  NORMALIZED_EVENT_EXAMPLE,
  SF_EXTERNAL_EVENT_EXAMPLE,
  SF_INTEGRATION_CENTER_EXAMPLE,
  WORKDAY_NOTIFICATION_EXAMPLE,
} from "../examples";
import {
  EventAcceptedSchema,
  IntakeSummarySchema,
  QuarantineListSchema,
  ReplayResolvedSchema,
  ReplayStillQuarantinedSchema,
  TextSchema,
  WorkdayAcceptedSchema,
} from "../schemas";
import {
  badRequest,
  error,
  EVENTS_SECURITY,
  HR_PUSH_SECURITY,
  json,
  notConfigured,
  OPERATOR_SECURITY,
  unauthorized,
  type OperationDoc,
} from "../operation-doc";

/** Where HR systems deliver events, and the quarantine of what could not be processed. */
export const HR_INTAKE_OPERATIONS: OperationDoc[] = [
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
        description:
          "SOAP: `ExternalEventResponse` with status 200 once every event is stored; a redelivered event is counted as accepted there, as its idempotency key is checked after the answer (it starts nothing).",
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
      202: {
        description:
          "Stored; what became of each event. An outbound notification is answered once it is stored, before its idempotency key is checked, so a redelivered one is also answered `accepted` (and starts nothing).",
        content: json(WorkdayAcceptedSchema),
      },
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
];
