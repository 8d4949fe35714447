/**
 * Genesys's request-rate limits: a fixed one-minute window per token (`client.credentials.token.rate.per.minute`)
 * and per OAuth client (`org.app.user.rate.per.minute`). `timeScale` shortens the minute for benchmarks: with
 * timeScale 60 a "minute" lasts one second, and `Retry-After` is given in real seconds.
 */
import { GenesysApiError } from "./errors";

export interface RateLimitSettings {
  /** Requests per minute per access token. Default 300. */
  perTokenPerMinute: number;
  /** Requests per minute per OAuth client, over all its tokens. Default 3000. */
  perClientPerMinute: number;
  /** How many times faster than real time the minute passes. Default 1. */
  timeScale: number;
  /** Also send the retired `inin-ratelimit-allowed/-count/-reset` headers on every API response. */
  legacyHeaders: boolean;
  /**
   * Limits of a service's namespace, counted per OAuth client over the requests under `pathPrefix` (for example
   * `directory` `user.rate.per.minute` 180 over `/api/v2/users`). A 429 names the one crossed in its `limit`,
   * and `GET /api/v2/organizations/limits/namespaces/{namespace}` lists them. Default: none.
   */
  namespaceLimits: NamespaceLimit[];
}

export interface NamespaceLimit {
  namespace: string;
  key: string;
  /** Requests per minute. */
  value: number;
  pathPrefix: string;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  perTokenPerMinute: 300,
  perClientPerMinute: 3000,
  timeScale: 1,
  legacyHeaders: false,
  namespaceLimits: [],
};

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(public settings: RateLimitSettings) {}

  private get windowMs(): number {
    return 60_000 / Math.max(this.settings.timeScale, 1e-9);
  }

  private window(key: string, now: number): Window {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  /**
   * Counts one request against the token and the client, or throws the 429 Genesys sends. Returns the legacy
   * headers when they are switched on.
   */
  take(token: string, clientId: string, now = Date.now(), path = ""): Record<string, string> {
    const checks = [
      {
        key: `token:${token}`,
        limit: this.settings.perTokenPerMinute,
        name: "client.credentials.token.rate.per.minute",
        namespace: "platform.api",
      },
      {
        key: `client:${clientId}`,
        limit: this.settings.perClientPerMinute,
        name: "org.app.user.rate.per.minute",
        namespace: "platform.api",
      },
      ...(this.settings.namespaceLimits ?? [])
        .filter((n) => path.startsWith(n.pathPrefix))
        .map((n) => ({
          key: `namespace:${clientId}:${n.namespace}:${n.key}`,
          limit: n.value,
          name: n.key,
          namespace: n.namespace,
        })),
    ];
    for (const check of checks) {
      const w = this.window(check.key, now);
      if (w.count >= check.limit) {
        const retryAfter = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
        throw new GenesysApiError(
          429,
          "too.many.requests.retry.after",
          `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
          {
            limit: { key: check.name, namespace: check.namespace, value: check.limit },
            headers: { "Retry-After": String(retryAfter), ...this.legacy(check.limit, w.count, w, now) },
          },
        );
      }
    }
    const windows = checks.map((c) => this.window(c.key, now));
    // windows[0] is the token's, whose count the legacy headers report.
    for (const w of windows) w.count += 1;
    return this.legacy(this.settings.perTokenPerMinute, windows[0].count, windows[0], now);
  }

  private legacy(allowed: number, count: number, w: Window, now: number): Record<string, string> {
    if (!this.settings.legacyHeaders) return {};
    return {
      "inin-ratelimit-allowed": String(allowed),
      "inin-ratelimit-count": String(count),
      "inin-ratelimit-reset": String(Math.max(0, Math.ceil((w.start + this.windowMs - now) / 1000))),
    };
  }

  reset(): void {
    this.windows.clear();
  }
}
