import { BULK_ONBOARDING_OPERATIONS } from "./operations/bulk-onboarding";
import { HR_INTAKE_OPERATIONS } from "./operations/hr-intake";
import { MAPPING_OPERATIONS } from "./operations/mapping";
import { OPERATOR_OPERATIONS } from "./operations/operator";
import { RECONCILIATION_OPERATIONS } from "./operations/reconciliation";
import { SERVICE_OPERATIONS } from "./operations/service";
import type { OperationDoc } from "./operation-doc";

export { OPERATOR_SECURITY, SECURITY_SCHEMES } from "./operation-doc";
export type {
  Content,
  MediaType,
  OperationDoc,
  ParameterDoc,
  ResponseDoc,
  SecurityName,
} from "./operation-doc";

/**
 * Every HTTP route the app registers, described once: the API documents (`GET /api/openapi.json`, OpenAPI 3;
 * `GET /api/openapi/v2.json`, Swagger 2.0 for a Logic Apps custom connector) are generated from this list.
 * test/unit/openapi.test.ts fails when a registered route is missing here, or listed here but not registered.
 * To add a route: append an entry to its area's list in `operations/`, with its method and route exactly as
 * registered, and point `body` and the responses at the zod schemas its handler uses (docs/openapi.md).
 */
export const OPERATIONS: OperationDoc[] = [
  ...SERVICE_OPERATIONS,
  ...HR_INTAKE_OPERATIONS,
  ...BULK_ONBOARDING_OPERATIONS,
  ...MAPPING_OPERATIONS,
  ...RECONCILIATION_OPERATIONS,
  ...OPERATOR_OPERATIONS,
];
