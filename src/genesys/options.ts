import type { AxiosInstance } from "axios";
import type { SecretReader } from "../config/secrets";
import type { Telemetry } from "../telemetry";
import type { GenesysAuditSink } from "./audit";
import type { RetryOptions } from "./backoff";

/** Every knob of the client; only the OAuth client and where to reach Genesys are required. */
export interface GenesysCloudClientOptions extends RetryOptions {
  clientId: string;
  /** Read on every token request, so a secret rotated in Key Vault is used at the next authentication. */
  readSecret: SecretReader;
  /** Region key (`eu_west_1`) or domain (`mypurecloud.ie`); not needed when both base URLs are given. */
  region?: string;
  /** Explicit API base (emulator, proxy); overrides the region. */
  apiBaseUrl?: string;
  /** Explicit login base for `POST /oauth/token`; overrides the region. */
  loginBaseUrl?: string;
  /** Budget per token. Default 300 (Genesys's per-token limit). */
  requestsPerMinute?: number;
  /** Tokens from the same OAuth client to spread load over. Default 1. */
  tokenPoolSize?: number;
  /** Cap over the whole pool (the per-OAuth-client limit). Default: no cap beyond pool size × per-token. */
  clientRequestsPerMinute?: number;
  /** Length of Genesys's rate window; only an emulator running on a faster clock changes it. Default 60 000. */
  rateWindowInMs?: number;
  /** Fraction of the limit deliberately left unused. Default 0.02. */
  rateHeadroom?: number;
  /** Pause when a remaining-budget header reports fewer than this many requests. Default 50. */
  pauseBelowRemaining?: number;
  /** How long that pause lasts when the header gives no reset time. Default 60 000 ms. */
  remainingPauseInMs?: number;
  /**
   * Before the first request, read the organisation's limits of the namespaces the client knows (Genesys's
   * `GET /api/v2/organizations/limits/namespaces/{namespace}`), so a namespace tighter than the token budget
   * paces requests from the start. Limits are learned from 429s either way. Default false.
   */
  readNamespaceLimitsAtStart?: boolean;
  /** Longer waits are not slept: a rate-limited `GenesysCloudError` carries them instead. Default 10 000 ms. */
  maxInProcessWaitInMs?: number;
  /** 429s absorbed in-process (each with a short Retry-After) before surfacing. Default 5. */
  maxRateLimitRetries?: number;
  timeoutInMs?: number;
  /** Renew a token this long before it expires. Default 5 min. */
  renewBeforeExpiryInMs?: number;
  /** Receives a record for every write. */
  auditSink?: GenesysAuditSink;
  /** Spans and metrics of every request (see the request pipeline). */
  telemetry?: Telemetry;
  /** How long resolved names and the Offline presence id are cached. Default 30 min. */
  cacheTtlInMs?: number;
  /**
   * Share the token pool and its budgets with every other client in this process built for the same OAuth
   * client and limits. Default true: that is what keeps the budget single per token.
   */
  shareBudgetInProcess?: boolean;
  http?: AxiosInstance;
  now?: () => number;
  random?: () => number;
}

/** Options every operation accepts. */
export interface OperationOptions {
  abortSignal?: AbortSignal;
  timeoutInMs?: number;
}

/** Options of writes where the caller already knows the state before the change, for the audit trail. */
export interface WriteOptions<TBefore = unknown> extends OperationOptions {
  before?: TBefore;
}

export interface ListOptions extends OperationOptions {
  maxPageSize?: number;
}
