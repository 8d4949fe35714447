import { RateBudget } from "./rate-budget";

/** Limit keys that are the per-token and per-client budgets themselves, not a service namespace's. */
const TOKEN_AND_CLIENT_KEYS = new Set([
  "client.credentials.token.rate.per.minute",
  "token.rate.per.minute",
  "org.app.user.rate.per.minute",
]);

/**
 * Which namespace a request path counts against, before any 429 has said so: Genesys's own example of a
 * namespace limit is `directory` `user.rate.per.minute`, over the users API.
 */
const KNOWN_NAMESPACES: ReadonlyArray<readonly [pathPrefix: string, namespace: string]> = [
  ["/api/v2/users", "directory"],
];

/** A limit as Genesys reports it: in a 429 body's `limit`, or listed by the organisation's limits API. */
export interface NamespaceLimit {
  key?: string;
  namespace?: string;
  value?: number;
}

export interface NamespaceBudgetsOptions {
  /** Length of a limit's window (60 000 ms: Genesys's limits are per minute). */
  windowInMs?: number;
  /** Fraction of each limit left unused, as for the token budgets. */
  headroom?: number;
  now?: () => number;
}

/**
 * Request budgets per Genesys namespace (a service's own limit, such as 180 directory requests a minute), shared
 * by every token of the OAuth client. The client learns them from a 429's `limit` and from the organisation's
 * limits API, and a request then leaves only when both its token and its namespace allow it.
 */
export class NamespaceBudgets {
  readonly #budgets = new Map<string, { value: number; budget: RateBudget }>();
  readonly #pathPrefixes = new Map<string, string>(KNOWN_NAMESPACES);
  readonly #options: NamespaceBudgetsOptions;

  constructor(options: NamespaceBudgetsOptions = {}) {
    this.#options = options;
  }

  /** The namespaces to ask the limits API about at start. */
  get knownNamespaces(): string[] {
    return [...new Set(this.#pathPrefixes.values())];
  }

  /**
   * Takes a per-minute limit of a namespace into account; the tightest one known wins. Limits that are the
   * token's or the client's own, or not a rate per minute, are left to the token pool.
   */
  learn(limit: NamespaceLimit, pathPrefix?: string): void {
    const { key, namespace, value } = limit;
    if (!key || !namespace || typeof value !== "number" || !(value > 0)) return;
    if (TOKEN_AND_CLIENT_KEYS.has(key) || !key.endsWith(".rate.per.minute")) return;
    if (pathPrefix && !this.#pathPrefixes.has(pathPrefix)) this.#pathPrefixes.set(pathPrefix, namespace);
    const known = this.#budgets.get(namespace);
    if (known && known.value <= value) return;
    this.#budgets.set(namespace, {
      value,
      budget: new RateBudget({
        requestsPerWindow: value,
        windowInMs: this.#options.windowInMs,
        headroom: this.#options.headroom,
        now: this.#options.now,
      }),
    });
  }

  /**
   * A 429 on a request to `path`: when its `limit` is a namespace's, that limit is learned for the request's
   * area of the API and the namespace pauses for `retryAfterInMs`. Returns whether it was a namespace's.
   */
  observeRateLimited(path: string, limit: NamespaceLimit | undefined, retryAfterInMs: number): boolean {
    if (!limit) return false;
    this.learn(limit, apiAreaOf(path));
    const budget = limit.namespace ? this.#budgets.get(limit.namespace)?.budget : undefined;
    budget?.pauseFor(retryAfterInMs);
    return budget !== undefined;
  }

  /** The budget a request to `path` also spends from, when its namespace has a known limit. */
  budgetFor(path: string): RateBudget | undefined {
    const namespace = this.namespaceOf(path);
    return namespace === undefined ? undefined : this.#budgets.get(namespace)?.budget;
  }

  namespaceOf(path: string): string | undefined {
    for (const [prefix, namespace] of this.#pathPrefixes) if (path.startsWith(prefix)) return namespace;
    return undefined;
  }

  /** The limit known for a namespace, requests per minute. */
  limitOf(namespace: string): number | undefined {
    return this.#budgets.get(namespace)?.value;
  }
}

/** The area of the API a path belongs to (`/api/v2/users`, `/api/v2/routing`): what a namespace limit covers. */
export function apiAreaOf(path: string): string {
  return path.split("/").slice(0, 4).join("/");
}
