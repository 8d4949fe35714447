import { z } from "zod";
import { ErrorSchema } from "./schemas";

// What an entry of the route list (operations.ts) says: who may call, the body, the parameters and the
// responses; and the pieces the areas' entries share.

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
export const BATCH_INTEGRATION_SECURITY: SecurityName[][] = [
  ["entraId"],
  ["functionKey"],
  ["functionKeyQuery"],
];
/** Routes the host lets through so that the message authenticates itself. */
export const HR_PUSH_SECURITY: SecurityName[][] = [["hrBasic"]];
export const EVENTS_SECURITY: SecurityName[][] = [["hrSignature"], ["functionKey"], ["functionKeyQuery"]];

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

export const json = (schema: z.ZodType, example?: unknown): Partial<Record<MediaType, Content>> => ({
  "application/json": example === undefined ? { schema } : { schema, example },
});
export const error = (description: string): ResponseDoc => ({ description, content: json(ErrorSchema) });
export const unauthorized = error("Credentials, key or signature missing or wrong; nothing was stored.");
export const badRequest = error(
  "The body cannot be read (format, size, missing identity); nothing was stored.",
);
export const notConfigured = error("The endpoint's credentials are not configured yet.");
export const location = {
  Location: { description: "Where to poll: GET it until it stops answering 202.", schema: z.string() },
};
export const paging = (maxSize: number, defaultSize: number): ParameterDoc[] => [
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
export const retryAfter = {
  "Retry-After": { description: "Seconds to wait before polling again.", schema: z.string() },
};
