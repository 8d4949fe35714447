import { z } from "zod";
import { PlanMappingChangeSchema } from "../../functions/plan-input";
import { HrEventSchema, HrWorkerSchema } from "../../lifecycle/hr-event";
import { MappingSchema } from "../../lifecycle/mapping";
import { BULK_CSV_EXAMPLE, NORMALIZED_EVENT_EXAMPLE } from "../examples";
import {
  DocumentSchema,
  MappingImportedSchema,
  MappingVersionsSchema,
  PlanResultSchema,
  TextSchema,
} from "../schemas";
import { error, json, OPERATOR_SECURITY, type OperationDoc } from "../operation-doc";

/** The mapping from HR fields to Genesys, and the plan it would produce. */
export const MAPPING_OPERATIONS: OperationDoc[] = [
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
];
