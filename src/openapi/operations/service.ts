import { DocumentSchema, HealthSchema, HealthStatusSchema } from "../schemas";
import { json, OPERATOR_SECURITY, type OperationDoc } from "../operation-doc";

/** Health probes and the API documents themselves. */
export const SERVICE_OPERATIONS: OperationDoc[] = [
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
