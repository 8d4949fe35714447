/**
 * Genesys Cloud's `ErrorBody`, as the Platform API sends it on every non-2xx answer. Handlers throw
 * `GenesysApiError`; the server turns it into the body and stamps `contextId` with the correlation id.
 */

export interface ErrorDetail {
  errorCode?: string;
  fieldName?: string;
  entityId?: string;
  entityName?: string;
}

export interface RateLimitInfo {
  key: string;
  namespace: string;
  value: number;
}

export interface ErrorBody {
  message: string;
  code: string;
  status: number;
  contextId: string;
  details: ErrorDetail[];
  errors: ErrorBody[];
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  entityId?: string;
  entityName?: string;
  limit?: RateLimitInfo;
}

export class GenesysApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: {
      details?: ErrorDetail[];
      limit?: RateLimitInfo;
      headers?: Record<string, string>;
      entityId?: string;
    } = {},
  ) {
    super(message);
    this.name = "GenesysApiError";
  }

  toBody(contextId: string): ErrorBody {
    const body: ErrorBody = {
      message: this.message,
      code: this.code,
      status: this.status,
      contextId,
      details: this.extra.details ?? [],
      errors: [],
    };
    if (this.extra.entityId !== undefined) body.entityId = this.extra.entityId;
    if (this.extra.limit) body.limit = this.extra.limit;
    return body;
  }
}

export const notFound = (what: string, id: string): GenesysApiError =>
  new GenesysApiError(404, "not.found", `The requested ${what} ${id} was not found.`, { entityId: id });

export const badRequest = (message: string, code = "bad.request", fieldName?: string): GenesysApiError =>
  new GenesysApiError(400, code, message, fieldName ? { details: [{ fieldName, errorCode: code }] } : {});

/** A required body field is missing (Genesys answers these with `constraint.validation` and a detail per field). */
export const missingField = (fieldName: string): GenesysApiError =>
  new GenesysApiError(400, "constraint.validation", `${fieldName} may not be null`, {
    details: [{ fieldName, errorCode: "NotNull" }],
  });

export const invalidId = (what: string, id: string, fieldName?: string): GenesysApiError =>
  new GenesysApiError(400, "invalid.id", `Invalid ${what} id: ${id}`, {
    entityId: id,
    details: [{ errorCode: "invalid.id", entityId: id, ...(fieldName ? { fieldName } : {}) }],
  });

export const conflict = (message: string): GenesysApiError =>
  new GenesysApiError(409, "general.conflict", message);

/** A caller-supplied value, readable in an error message whatever its type. */
export const show = (value: unknown): string =>
  typeof value === "string" ? value : (JSON.stringify(value) ?? "undefined");
