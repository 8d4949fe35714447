/**
 * The one error the Genesys Cloud client throws for anything the platform (or the client's own rate budget)
 * refuses. Callers branch on the predicates, never on message text; the message is written for an operator.
 */
export interface GenesysErrorBody {
  message?: string;
  code?: string;
  status?: number;
  contextId?: string;
  entityId?: string;
  entityName?: string;
  details?: { errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }[];
  limit?: { key?: string; namespace?: string; value?: number };
}

export interface GenesysCloudErrorInit {
  /** HTTP status; 0 when no response arrived (timeout, dropped connection). */
  statusCode: number;
  code: string;
  message: string;
  method: string;
  path: string;
  correlationId?: string;
  /** How long the caller should wait before trying again (429, or the client's own budget). */
  retryAfterInMs?: number;
  /** The platform's own message, kept apart from the operator advice in `message`. */
  platformMessage?: string;
  body?: GenesysErrorBody;
  /** Set for network failures so `isTransient` can say so. */
  network?: boolean;
  cause?: unknown;
}

/** Codes the client itself produces (the platform's codes pass through unchanged). */
export const CLIENT_ERROR_CODES = {
  rateBudget: "client.rate.budget.exhausted",
  network: "client.network.error",
  timeout: "client.timeout",
  unknownName: "client.name.not.found",
  aborted: "client.aborted",
} as const;

export class GenesysCloudError extends Error {
  override readonly name = "GenesysCloudError";
  readonly statusCode: number;
  readonly code: string;
  readonly method: string;
  readonly path: string;
  readonly correlationId: string | undefined;
  readonly retryAfterInMs: number | undefined;
  readonly platformMessage: string | undefined;
  readonly body: GenesysErrorBody | undefined;
  readonly #network: boolean;

  constructor(init: GenesysCloudErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.statusCode = init.statusCode;
    this.code = init.code;
    this.method = init.method;
    this.path = init.path;
    this.correlationId = init.correlationId;
    this.retryAfterInMs = init.retryAfterInMs;
    this.platformMessage = init.platformMessage;
    this.body = init.body;
    this.#network = init.network ?? false;
  }

  /** The email (username) is already taken by a user in some state, deleted included: search, then restore. */
  get isEmailConflict(): boolean {
    if (
      this.statusCode !== 409 &&
      !(this.statusCode === 400 && /email|username/i.test(this.platformMessage ?? ""))
    ) {
      return false;
    }
    return this.method === "POST" && /^\/api\/v2\/users\/?$/.test(this.path);
  }

  /** The `version` sent is stale: read the object again and re-apply the change. */
  get isVersionConflict(): boolean {
    if (this.isEmailConflict) return false;
    if (this.statusCode === 409) return true;
    return this.statusCode === 400 && /does not match the current version/i.test(this.platformMessage ?? "");
  }

  /** The OAuth client lacks a grant (permission in a division) for this call. */
  get isDivisionAccessDenied(): boolean {
    return this.statusCode === 403;
  }

  get isNotFound(): boolean {
    return this.statusCode === 404;
  }

  /** Wait `retryAfterInMs` (on a durable timer, in an orchestration) and try again. */
  get isRateLimited(): boolean {
    return this.statusCode === 429;
  }

  /** Worth retrying unchanged later: rate limits, 5xx other than 501, timeouts and dropped connections. */
  get isTransient(): boolean {
    return this.isRateLimited || this.#network || (this.statusCode >= 500 && this.statusCode !== 501);
  }

  /** Plain data for logs and activity results; contains no token and no secret. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      statusCode: this.statusCode,
      code: this.code,
      message: this.message,
      method: this.method,
      path: this.path,
      correlationId: this.correlationId,
      retryAfterInMs: this.retryAfterInMs,
    };
  }
}

/** `error.name` check that survives module duplication and serialisation, as the Azure SDK recommends. */
export function isGenesysCloudError(error: unknown): error is GenesysCloudError {
  return error instanceof GenesysCloudError || (error instanceof Error && error.name === "GenesysCloudError");
}

/** What an operator should do about a refusal, by status; prefixed to the platform's own words. */
export function operatorAdvice(
  statusCode: number,
  method: string,
  path: string,
  permission?: string,
): string {
  const call = `${method} ${path}`;
  const needs = permission ? ` (needs ${permission})` : "";
  switch (true) {
    case statusCode === 0:
      return `Genesys Cloud did not answer ${call}. Check network reachability of the API base URL; the call is safe to retry if it was a read.`;
    case statusCode === 400:
      return `Genesys Cloud rejected the request ${call} as invalid. Fix the data named below; retrying unchanged will fail again.`;
    case statusCode === 401:
      return `Genesys Cloud refused the access token for ${call} even after re-authenticating. Check the OAuth client is active and the secret is current.`;
    case statusCode === 403:
      return `The OAuth client is not allowed to ${call}${needs}. Grant its role in the target division (Admin > OAuth > Roles), then retry.`;
    case statusCode === 404:
      return `Genesys Cloud has no such object for ${call}. Check the id, or whether it was deleted.`;
    case statusCode === 409:
      return `Genesys Cloud reports a conflict on ${call}: the object changed or already exists. Read it again, then re-apply.`;
    case statusCode === 429:
      return `Genesys Cloud rate limit reached on ${call}. Wait the indicated time before retrying; lower GENESYS_REQUESTS_PER_MINUTE if this repeats.`;
    case statusCode === 501:
      return `Genesys Cloud does not implement ${call} for this organisation. Retrying will not help.`;
    case statusCode >= 500:
      return `Genesys Cloud failed on ${call} (server error). It is transient: retry later; if it persists, check status.mypurecloud.com.`;
    default:
      return `Genesys Cloud answered ${statusCode} to ${call}.`;
  }
}
