/**
 * One running emulator: the organisation state, the tokens it issued, its limits and faults, and what it was
 * asked. Handlers reach everything through this object; the admin API and `GenesysEmulatorAdmin` change it.
 */
import { DEFAULT_FAULTS, mergeFaults, seededRandom, type FaultSettings } from "./faults";
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimitSettings } from "./rate-limit";
import { SearchIndex } from "./search-index";
import { buildState, type SeedDocument } from "./seed";
import type { EmulatorState, UserRecord } from "./state";

export interface IssuedToken {
  token: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
  invalidated: boolean;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  query: string;
  /** The route as the SDK names it, e.g. `GET /api/v2/users/{userId}`; `unmatched` when none. */
  endpoint: string;
  status: number;
  clientId?: string;
  correlationId: string;
  durationMs: number;
  /** What the emulator did on purpose: `error`, `drop`, `storm`, `latency`. */
  fault?: string;
  /** The JSON body sent, for writes (tests assert on what a client sent). */
  requestBody?: unknown;
}

export interface EmulatorOptions {
  seed: SeedDocument;
  limits?: Partial<RateLimitSettings> | undefined;
  faults?: Partial<FaultSettings> | undefined;
  tokenLifetimeSeconds?: number | undefined;
  /** Cap on kept request-log entries (oldest dropped first). */
  requestLogLimit?: number | undefined;
}

export class Emulator {
  state!: EmulatorState;
  /** The seed the organisation was last built from; `reset` rebuilds from it. */
  seed: SeedDocument;
  /** The seed given at start. */
  readonly startSeed: SeedDocument;
  readonly tokens = new Map<string, IssuedToken>();
  readonly limiter: RateLimiter;
  faults: FaultSettings;
  random: () => number;
  readonly index: SearchIndex;
  tokenLifetimeSeconds: number;
  requestLog: RequestLogEntry[] = [];
  counters = new Map<string, number>();
  statusCounters = new Map<number, number>();
  /** One-shot actions run after the next API request matching them (see `GenesysEmulatorAdmin.afterNextRequest`). */
  afterRequest: { method?: string; path: RegExp; action: () => void }[] = [];
  private readonly requestLogLimit: number;

  constructor(options: EmulatorOptions) {
    this.seed = options.seed;
    this.startSeed = options.seed;
    this.limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, ...options.limits });
    this.faults = mergeFaults(DEFAULT_FAULTS, options.faults ?? {});
    this.random = seededRandom(this.faults.seed);
    this.index = new SearchIndex(this.faults.searchIndexLagMs);
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 86_400;
    this.requestLogLimit = options.requestLogLimit ?? 20_000;
    this.loadSeed(options.seed);
  }

  /** Replaces the organisation with a fresh one built from `seed`. Tokens stay valid. */
  loadSeed(seed: SeedDocument): void {
    this.state = buildState(seed);
    this.seed = seed;
    this.index.recordSettled(this.state.users.values());
  }

  /** Call after every change to a user: bumps its modification time and feeds the search index. */
  userChanged(user: UserRecord, options: { bumpVersion?: boolean } = {}): void {
    if (options.bumpVersion !== false) user.version += 1;
    user.dateModified = new Date().toISOString();
    this.index.record(user);
  }

  setFaults(update: Partial<FaultSettings>): FaultSettings {
    this.faults = mergeFaults(this.faults, update);
    if (update.seed !== undefined) this.random = seededRandom(this.faults.seed);
    this.index.lagMs = this.faults.searchIndexLagMs;
    return this.faults;
  }

  clearFaults(): FaultSettings {
    this.faults = { ...DEFAULT_FAULTS };
    this.random = seededRandom(this.faults.seed);
    this.index.lagMs = 0;
    return this.faults;
  }

  setLimits(update: Partial<RateLimitSettings>): RateLimitSettings {
    const next = { ...this.limiter.settings, ...update };
    for (const key of ["perTokenPerMinute", "perClientPerMinute", "timeScale"] as const)
      if (!(Number.isFinite(next[key]) && next[key] > 0)) throw new Error(`${key} must be a number > 0`);
    this.limiter.settings = next;
    this.limiter.reset();
    return next;
  }

  /** Makes every issued token (or every token of one client) fail with 401 from now on. */
  invalidateTokens(clientId?: string): number {
    let count = 0;
    for (const token of this.tokens.values()) {
      if (clientId !== undefined && token.clientId !== clientId) continue;
      if (!token.invalidated) count += 1;
      token.invalidated = true;
    }
    return count;
  }

  logRequest(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
    if (this.requestLog.length > this.requestLogLimit)
      this.requestLog.splice(0, this.requestLog.length - this.requestLogLimit);
    this.counters.set(entry.endpoint, (this.counters.get(entry.endpoint) ?? 0) + 1);
    this.statusCounters.set(entry.status, (this.statusCounters.get(entry.status) ?? 0) + 1);
  }

  /** Runs, and forgets, the one-shot actions waiting for this request. */
  answered(method: string, path: string): void {
    const due = this.afterRequest.filter((h) => (!h.method || h.method === method) && h.path.test(path));
    if (due.length === 0) return;
    this.afterRequest = this.afterRequest.filter((h) => !due.includes(h));
    for (const hook of due) hook.action();
  }

  clearRequestLog(): void {
    this.requestLog = [];
    this.counters = new Map();
    this.statusCounters = new Map();
  }

  /** Back to the last loaded seed, with no faults, an empty log and fresh rate windows (limits are kept). */
  reset(): void {
    this.loadSeed(this.seed);
    this.clearFaults();
    this.limiter.reset();
    this.clearRequestLog();
    this.afterRequest = [];
  }
}
