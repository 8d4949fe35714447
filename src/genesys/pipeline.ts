import axios, { type AxiosInstance, type AxiosResponse } from "axios";
import { GenesysAuthenticationError } from "./auth";
import { backoffDelay, DEFAULT_RETRY, sleep, type RetryOptions } from "./backoff";
import { CLIENT_ERROR_CODES, GenesysCloudError, operatorAdvice, type GenesysErrorBody } from "./errors";
import type { NamespaceBudgets, NamespaceLimit } from "./namespace-budgets";
import { retryAfterFromHeaders, type HeaderBag } from "./rate-budget";
import type { PoolSlot, TokenPool } from "./token-pool";
import { ATTR, NO_TELEMETRY, pathTemplate, SPANS, type SpanScope, type Telemetry } from "../telemetry";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface GenesysRequest {
  method: HttpMethod;
  /** Path under the API base, ids already encoded. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /**
   * Whether sending twice is harmless. A failed non-idempotent request (a user create) is never retried after
   * it may have reached Genesys: the caller searches first and decides.
   */
  idempotent: boolean;
  /** The Genesys permission the call needs, named in a 403's message. */
  permission?: string;
  abortSignal?: AbortSignal;
  timeoutInMs?: number;
}

export interface GenesysResponse<T> {
  data: T;
  statusCode: number;
  correlationId: string | undefined;
}

export interface PipelineOptions extends RetryOptions {
  apiBaseUrl: string;
  pool: TokenPool;
  /** Waits up to this long (pacing, a short Retry-After) are slept in-process; longer ones throw. Default 10 s. */
  maxInProcessWaitInMs?: number;
  /** 429s retried in-process (each within `maxInProcessWaitInMs`) before surfacing. Default 5. */
  maxRateLimitRetries?: number;
  /** Per-request timeout. Default 30 s. */
  timeoutInMs?: number;
  http?: AxiosInstance;
  random?: () => number;
  now?: () => number;
  /** Every request is a span; responses, 429s and rate-budget waits are counted. */
  telemetry?: Telemetry;
  /** Namespace limits learned from 429s (and the limits API), spent from alongside the token budgets. */
  namespaces?: NamespaceBudgets;
  /** Before the first request, read the known namespaces' limits from the organisation's limits API. */
  readNamespaceLimitsAtStart?: boolean;
}

const CORRELATION_HEADER = "inin-correlation-id";
const NAMESPACE_LIMITS_PATH = "/api/v2/organizations/limits/namespaces/";

/**
 * Sends one logical request: paces it through the token pool, authenticates (re-authenticating once on 401 so
 * an expired token or a rotated secret is picked up), retries what is safe to retry, and turns every refusal
 * into a `GenesysCloudError`.
 */
export class RequestPipeline {
  readonly #http: AxiosInstance;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #telemetry: Telemetry;

  constructor(private readonly options: PipelineOptions) {
    this.#http = options.http ?? axios.create();
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#telemetry = options.telemetry ?? NO_TELEMETRY;
  }

  get maxInProcessWaitInMs(): number {
    return this.options.maxInProcessWaitInMs ?? 10_000;
  }

  /** Sends one logical request, as one span: its retries and waits are inside it. */
  send<T>(request: GenesysRequest): Promise<GenesysResponse<T>> {
    return this.#telemetry.inSpan(
      SPANS.genesysRequest,
      { [ATTR.httpMethod]: request.method, [ATTR.genesysOperation]: operationOf(request) },
      (span) => this.#send<T>(request, span),
      { kind: "client" },
    );
  }

  async #send<T>(request: GenesysRequest, span: SpanScope): Promise<GenesysResponse<T>> {
    const maxRetries = this.options.maxRetries ?? DEFAULT_RETRY.maxRetries;
    const maxRateLimitRetries = this.options.maxRateLimitRetries ?? 5;
    let retries = 0;
    let rateLimitRetries = 0;
    let reauthenticated = false;
    for (;;) {
      const slot = await this.#acquire(request);
      let token: string;
      try {
        token = await this.#token(slot, request);
      } catch (error) {
        // Nothing reached the API yet, so even a create may go round again.
        if (error instanceof GenesysCloudError && error.isTransient && retries < maxRetries) {
          retries++;
          await this.#backoff(retries, request);
          continue;
        }
        throw error;
      }
      let response: AxiosResponse<unknown>;
      try {
        response = await this.#http.request({
          baseURL: this.options.apiBaseUrl,
          url: request.path,
          method: request.method,
          params: request.query ? stripUndefined(request.query) : undefined,
          paramsSerializer: { indexes: null },
          data: request.body,
          headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
          timeout: request.timeoutInMs ?? this.options.timeoutInMs ?? 30_000,
          signal: request.abortSignal,
          validateStatus: () => true,
        });
      } catch (cause) {
        const error = this.#networkError(request, cause);
        this.#observeResponse(request, 0, span);
        if (request.idempotent && error.code !== CLIENT_ERROR_CODES.aborted && retries < maxRetries) {
          retries++;
          await this.#backoff(retries, request);
          continue;
        }
        throw error;
      }

      const headers = response.headers as HeaderBag;
      slot.budget.observeHeaders(headers);
      this.#observeResponse(request, response.status, span);
      const correlationId = stringHeader(headers, CORRELATION_HEADER);
      if (response.status >= 200 && response.status < 300) {
        return { data: response.data as T, statusCode: response.status, correlationId };
      }
      if (response.status === 401 && !reauthenticated) {
        // The request never ran: safe to resend, even a create.
        reauthenticated = true;
        slot.tokens.invalidate(token);
        continue;
      }
      if (response.status === 429) {
        const retryAfter =
          retryAfterFromHeaders(headers, this.#now()) ??
          backoffDelay(rateLimitRetries + 1, this.options, this.#random);
        // A per-client limit holds every token of the pool; a namespace's every request to that namespace;
        // a per-token one only this token.
        const limit = (response.data as GenesysErrorBody | undefined)?.limit;
        if (PER_CLIENT_LIMIT_KEYS.has(limitKey(response.data) ?? "")) this.options.pool.pauseAll(retryAfter);
        else if (!this.options.namespaces?.observeRateLimited(request.path, limit, retryAfter))
          slot.budget.pauseFor(retryAfter);
        // A 429 was refused before running, so resending is safe for every method.
        if (rateLimitRetries < maxRateLimitRetries && retryAfter <= this.maxInProcessWaitInMs) {
          rateLimitRetries++;
          continue;
        }
        throw this.#responseError(request, response, retryAfter);
      }
      const transient = response.status >= 500 && response.status !== 501;
      if (transient && request.idempotent && retries < maxRetries) {
        retries++;
        await this.#backoff(retries, request);
        continue;
      }
      throw this.#responseError(request, response);
    }
  }

  #observeResponse(request: GenesysRequest, status: number, span: SpanScope): void {
    span.set({ [ATTR.statusCode]: status });
    this.#telemetry.count("genesysRequests", {
      [ATTR.httpMethod]: request.method,
      [ATTR.statusCode]: status,
    });
  }

  #namespaceLimitsRead: Promise<void> | undefined;

  /**
   * Once, before the first request: the known namespaces' limits, where this client may read them. A refusal
   * (no `limits:organization:view`, an unknown namespace) leaves them to be learned from 429s.
   */
  #readNamespaceLimits(): Promise<void> {
    const namespaces = this.options.namespaces;
    if (!namespaces || !this.options.readNamespaceLimitsAtStart) return Promise.resolve();
    this.#namespaceLimitsRead ??= (async () => {
      for (const namespace of namespaces.knownNamespaces) {
        try {
          const listing = await this.send<{ entities?: NamespaceLimit[] }>({
            method: "GET",
            path: `${NAMESPACE_LIMITS_PATH}${encodeURIComponent(namespace)}`,
            idempotent: true,
          });
          for (const limit of listing.data.entities ?? []) namespaces.learn(limit);
        } catch {
          // Not readable here: the namespace's limit is learned from its first 429 instead.
        }
      }
    })();
    return this.#namespaceLimitsRead;
  }

  /** Budget waits are counted: slept here, or deferred to the orchestrator's durable timer. */
  #observeWait(outcome: "slept" | "deferred", waitInMs: number): void {
    if (waitInMs <= 0) return;
    this.#telemetry.count("genesysBudgetWaits", { [ATTR.outcome]: outcome });
    this.#telemetry.record("genesysBudgetWaitTime", waitInMs, { [ATTR.outcome]: outcome });
  }

  /** Waits for a budget slot when it is near; surfaces a rate-limited error when it is not. */
  async #acquire(request: GenesysRequest): Promise<PoolSlot> {
    // The limits read itself goes first, unpaced by what it is about to learn.
    if (!request.path.startsWith(NAMESPACE_LIMITS_PATH)) await this.#readNamespaceLimits();
    const reservation = this.options.pool.reserve(
      this.maxInProcessWaitInMs,
      this.options.namespaces?.budgetFor(request.path),
    );
    this.#observeWait(
      reservation.granted ? "slept" : "deferred",
      reservation.granted ? reservation.waitInMs : reservation.retryAfterInMs,
    );
    if (!reservation.granted) {
      throw new GenesysCloudError({
        statusCode: 429,
        code: CLIENT_ERROR_CODES.rateBudget,
        method: request.method,
        path: request.path,
        retryAfterInMs: Math.ceil(reservation.retryAfterInMs),
        message:
          `The Genesys Cloud rate budget is spent for the next ${Math.ceil(reservation.retryAfterInMs / 1000)} s ` +
          `(${request.method} ${request.path} was not sent). Wait that long, on a durable timer in an orchestration, and retry.`,
      });
    }
    await this.#sleep(reservation.waitInMs, request);
    return reservation.slot;
  }

  /** The slot's token, or a `GenesysCloudError` saying why none could be had. */
  async #token(slot: PoolSlot, request: GenesysRequest): Promise<string> {
    try {
      return (await slot.tokens.getToken()).token;
    } catch (cause) {
      if (cause instanceof GenesysAuthenticationError) {
        const status = cause.statusCode ?? 0;
        throw new GenesysCloudError({
          statusCode: status === 400 ? 401 : status,
          code: "oauth.client.refused",
          method: request.method,
          path: request.path,
          message: `${cause.message} (${request.method} ${request.path} was not sent.)`,
          network: status === 0 || status >= 500 || status === 429,
          cause,
        });
      }
      throw this.#networkError({ ...request, method: "POST", path: "/oauth/token" }, cause);
    }
  }

  async #backoff(retry: number, request: GenesysRequest): Promise<void> {
    await this.#sleep(backoffDelay(retry, this.options, this.#random), request);
  }

  /** Sleeps, turning a caller's abort into the client's error type. */
  async #sleep(ms: number, request: GenesysRequest): Promise<void> {
    try {
      await sleep(ms, request.abortSignal);
    } catch (cause) {
      throw this.#networkError(request, cause);
    }
  }

  #networkError(request: GenesysRequest, cause: unknown): GenesysCloudError {
    const code = (cause as { code?: string }).code;
    if (request.abortSignal?.aborted || code === "ERR_CANCELED") {
      return new GenesysCloudError({
        statusCode: 0,
        code: CLIENT_ERROR_CODES.aborted,
        method: request.method,
        path: request.path,
        message: `${request.method} ${request.path} was cancelled by the caller.`,
        cause,
      });
    }
    const timeout = code === "ECONNABORTED" || code === "ETIMEDOUT";
    const unsure = request.idempotent
      ? ""
      : " It may or may not have been applied: look the object up before sending it again.";
    return new GenesysCloudError({
      statusCode: 0,
      code: timeout ? CLIENT_ERROR_CODES.timeout : CLIENT_ERROR_CODES.network,
      method: request.method,
      path: request.path,
      network: true,
      message: `${operatorAdvice(0, request.method, request.path)} (${code ?? "no response"}).${unsure}`,
      cause,
    });
  }

  #responseError(
    request: GenesysRequest,
    response: AxiosResponse<unknown>,
    retryAfterInMs?: number,
  ): GenesysCloudError {
    const body = (
      typeof response.data === "object" && response.data !== null ? response.data : {}
    ) as GenesysErrorBody;
    const platformMessage = typeof body.message === "string" ? body.message : undefined;
    const headers = response.headers as HeaderBag;
    const correlationId = stringHeader(headers, CORRELATION_HEADER) ?? body.contextId;
    const transientUnsure =
      !request.idempotent && response.status >= 500 && response.status !== 501
        ? " It may or may not have been applied: look the object up before sending it again."
        : "";
    const wait = retryAfterInMs !== undefined ? ` Retry after ${Math.ceil(retryAfterInMs / 1000)} s.` : "";
    return new GenesysCloudError({
      statusCode: response.status,
      code: typeof body.code === "string" ? body.code : `http.${response.status}`,
      method: request.method,
      path: request.path,
      correlationId,
      retryAfterInMs,
      platformMessage,
      body,
      message:
        operatorAdvice(response.status, request.method, request.path, request.permission) +
        transientUnsure +
        wait +
        (platformMessage ? ` Genesys said: "${platformMessage}"` : "") +
        (correlationId ? ` (correlation id ${correlationId})` : ""),
    });
  }
}

/** The request as a path template, so ids stay out of span attributes and metric dimensions. */
function operationOf(request: GenesysRequest): string {
  return `${request.method} ${pathTemplate(request.path)}`;
}

/** Genesys limit keys (the 429 body's `limit.key`) counted per OAuth client rather than per token. */
const PER_CLIENT_LIMIT_KEYS = new Set(["org.app.user.rate.per.minute"]);

function limitKey(body: unknown): string | undefined {
  const limit = (body as GenesysErrorBody | undefined)?.limit;
  return typeof limit?.key === "string" ? limit.key : undefined;
}

function stringHeader(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function stripUndefined(
  query: Record<string, QueryValue>,
): Record<string, string | number | boolean | readonly string[]> {
  const out: Record<string, string | number | boolean | readonly string[]> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) out[key] = value;
  return out;
}
