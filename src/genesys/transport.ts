import { deriveBaseUrls, type GenesysBaseUrls } from "../config/genesys-regions";
import type { GenesysAuditRecord, GenesysAuditSink } from "./audit";
import { OAuthTokenProvider } from "./auth";
import type { GenesysCloudClientOptions, ListOptions, OperationOptions } from "./options";
import { pageNumbered, type ListingPage, type PagedAsyncIterableIterator } from "./paging";
import { NamespaceBudgets } from "./namespace-budgets";
import { RequestPipeline, type GenesysRequest, type GenesysResponse, type QueryValue } from "./pipeline";
import { TokenPool } from "./token-pool";

/** What an audit record adds to the operation, its targets and the response. */
export type AuditDetails = Pick<GenesysAuditRecord, "before" | "after" | "noChange">;

/** An id as one path segment. */
export const pathId = (value: string) => encodeURIComponent(value);

const sharedPools = new Map<string, TokenPool>();

/**
 * What every area of the client shares: where Genesys is, the token pool and its budgets, the request pipeline
 * (pacing, authentication, retries, errors, telemetry) and the audit sink. The areas (users, authorization,
 * routing, presence, conversations) say what to send; this sends it, pages through listings and records writes.
 */
export class GenesysTransport {
  readonly apiBaseUrl: string;
  readonly loginBaseUrl: string;
  /** The pool of tokens and their budgets. */
  readonly tokenPool: TokenPool;
  readonly now: () => number;
  readonly #pipeline: RequestPipeline;
  readonly #audit: GenesysAuditSink | undefined;

  constructor(options: GenesysCloudClientOptions) {
    const { apiBaseUrl, loginBaseUrl } = resolveBaseUrls(options);
    this.apiBaseUrl = apiBaseUrl;
    this.loginBaseUrl = loginBaseUrl;
    this.now = options.now ?? Date.now;
    this.#audit = options.auditSink;
    this.tokenPool = tokenPoolFor(options, { apiBaseUrl, loginBaseUrl });
    this.#pipeline = new RequestPipeline({
      ...options,
      apiBaseUrl,
      pool: this.tokenPool,
      namespaces: namespaceBudgetsFor(this.tokenPool, options),
      readNamespaceLimitsAtStart: options.readNamespaceLimitsAtStart,
    });
  }

  /** Sends one request through the pipeline. The operation's abort signal and timeout win over the request's. */
  async send<T>(request: GenesysRequest, options: OperationOptions): Promise<GenesysResponse<T>> {
    return this.#pipeline.send<T>({
      ...request,
      abortSignal: options.abortSignal ?? request.abortSignal,
      timeoutInMs: options.timeoutInMs ?? request.timeoutInMs,
    });
  }

  /** Pages through a numbered `GET` listing (`pageNumber`, `pageSize`), `defaultPageSize` items at a time. */
  list<T>(
    path: string,
    query: Record<string, QueryValue>,
    options: ListOptions,
    defaultPageSize: number,
  ): PagedAsyncIterableIterator<T> {
    return pageNumbered<T>(
      async (pageNumber, pageSize) =>
        (
          await this.send<ListingPage<T>>(
            { method: "GET", path, query: { ...query, pageNumber, pageSize }, idempotent: true },
            options,
          )
        ).data,
      options.maxPageSize ?? defaultPageSize,
    );
  }

  /** Reports a write (or a write that found nothing to do) to the audit sink, with Genesys's correlation id. */
  async record(
    operation: string,
    targetIds: GenesysAuditRecord["targetIds"],
    response: GenesysResponse<unknown> | undefined,
    details: AuditDetails,
  ): Promise<void> {
    if (!this.#audit) return;
    await this.#audit({
      operation,
      targetIds,
      correlationId: response?.correlationId,
      ...details,
      at: new Date(this.now()).toISOString(),
    });
  }
}

/** API and login base URLs from explicit settings, else from the region. */
export function resolveBaseUrls(
  options: Pick<GenesysCloudClientOptions, "region" | "apiBaseUrl" | "loginBaseUrl">,
): GenesysBaseUrls {
  const derived = deriveBaseUrls(options);
  if ("urls" in derived) return derived.urls;
  throw new RangeError(
    derived.problem === "unknown-region"
      ? `'${options.region}' is not a known Genesys Cloud region key or domain`
      : "Genesys Cloud needs a region, or both apiBaseUrl and loginBaseUrl",
  );
}

/**
 * The token pool for these options: by default the one every client in the process shares for the same OAuth
 * client and limits, so the budget per token stays single.
 */
function tokenPoolFor(options: GenesysCloudClientOptions, urls: GenesysBaseUrls): TokenPool {
  const size = options.tokenPoolSize ?? 1;
  const perToken = options.requestsPerMinute ?? 300;
  const build = () =>
    new TokenPool({
      providers: Array.from(
        { length: size },
        () =>
          new OAuthTokenProvider({
            loginBaseUrl: urls.loginBaseUrl,
            clientId: options.clientId,
            readSecret: options.readSecret,
            renewBeforeExpiryInMs: options.renewBeforeExpiryInMs,
            timeoutInMs: options.timeoutInMs,
            now: options.now,
            http: options.http,
          }),
      ),
      budget: {
        requestsPerWindow: perToken,
        windowInMs: options.rateWindowInMs,
        headroom: options.rateHeadroom,
        pauseBelowRemaining: options.pauseBelowRemaining,
        remainingPauseInMs: options.remainingPauseInMs,
      },
      clientRequestsPerWindow: options.clientRequestsPerMinute,
      now: options.now,
    });
  if (options.shareBudgetInProcess === false) return build();
  const key = JSON.stringify([
    urls.apiBaseUrl,
    urls.loginBaseUrl,
    options.clientId,
    size,
    perToken,
    options.clientRequestsPerMinute,
    options.rateWindowInMs,
  ]);
  let pool = sharedPools.get(key);
  if (!pool) {
    pool = build();
    sharedPools.set(key, pool);
  }
  return pool;
}

/** One set of namespace budgets per token pool: clients sharing a pool share its namespace limits too. */
const namespaceBudgetsByPool = new WeakMap<TokenPool, NamespaceBudgets>();

function namespaceBudgetsFor(pool: TokenPool, options: GenesysCloudClientOptions): NamespaceBudgets {
  let budgets = namespaceBudgetsByPool.get(pool);
  if (!budgets) {
    budgets = new NamespaceBudgets({
      windowInMs: options.rateWindowInMs,
      headroom: options.rateHeadroom,
      now: options.now,
    });
    namespaceBudgetsByPool.set(pool, budgets);
  }
  return budgets;
}
