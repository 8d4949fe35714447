import type { AxiosInstance } from "axios";
import type { SecretReader } from "../config/secrets";
import { regionDomain } from "../config/genesys-regions";
import type { GenesysAuditRecord, GenesysAuditSink } from "./audit";
import { OAuthTokenProvider } from "./auth";
import { chunk, type RetryOptions } from "./backoff";
import { GenesysCloudError, isGenesysCloudError } from "./errors";
import type {
  ActiveInteraction,
  AuthzGrant,
  AuthzSubject,
  ConversationMedia,
  CreateUserInput,
  Division,
  DivisionsPermitted,
  PresenceDefinition,
  ProficiencyAssignment,
  Queue,
  QueueMember,
  Role,
  RoleDivisionGrant,
  RoutingLanguage,
  RoutingSkill,
  RoutingStatus,
  RoutingStatusValue,
  TransferTarget,
  UpdateUserInput,
  User,
  UserPresence,
  UserQueue,
  UserRoutingSkill,
  UserState,
} from "./models";
import { NAMED_LISTING_PATHS, NameResolver, type NamedKind } from "./names";
import { collect, pageNumbered, type ListingPage, type PagedAsyncIterableIterator } from "./paging";
import { RequestPipeline, type GenesysRequest, type GenesysResponse, type QueryValue } from "./pipeline";
import { TokenPool } from "./token-pool";
import type { Telemetry } from "../telemetry";

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

export interface GetUserOptions extends OperationOptions {
  /** `deleted` to read a deleted user (only then is it returned). */
  state?: "active" | "deleted";
  expand?: string[];
}

export interface ListUsersOptions extends OperationOptions {
  state?: UserState | "any";
  /** Only these users (up to a page's worth per call). */
  ids?: readonly string[];
  /** Expansions, as for `getUser` (resolved with a best effort by Genesys). */
  expand?: readonly string[];
  maxPageSize?: number;
}

export interface SearchUsersOptions extends OperationOptions {
  /** States to search in. Default: all three, so an inactive or deleted holder of the email is found. */
  states?: readonly UserState[];
  /** Values per search call. Default 50. */
  valuesPerCall?: number;
}

export interface ActiveInteractionsOptions extends OperationOptions {
  /** Conversations are found by start day: look back this far for long-lived emails and messages. Default 14. */
  lookbackDays?: number;
}

export interface ListOptions extends OperationOptions {
  maxPageSize?: number;
}

const ALL_STATES: readonly UserState[] = ["active", "inactive", "deleted"];
const QUEUE_MEMBERS_PER_CALL = 100;
const SKILLS_PER_CALL = 50;
/** Genesys documents no maximum for division moves; 100 keeps each call as small as a queue-member call. */
const DIVISION_MOVES_PER_CALL = 100;
const MEDIA_PATHS: Record<string, ConversationMedia> = {
  voice: "calls",
  call: "calls",
  email: "emails",
  message: "messages",
  callback: "callbacks",
};

const sharedPools = new Map<string, TokenPool>();

const id = (value: string) => encodeURIComponent(value);

/**
 * The only way the product talks to Genesys Cloud: OAuth client credentials, one paced rate budget per token
 * shared by every caller in the process, bounded retries of what is safe to retry, typed operations and one
 * error type (`GenesysCloudError`).
 *
 * @example
 * ```ts
 * const genesys = new GenesysCloudClient({ region: "eu_west_1", clientId, readSecret, auditSink });
 * const [existing] = await genesys.findUsersByEmail(["ada@example.com"]);
 * const user = existing ?? (await genesys.createUser({ name: "Ada", email: "ada@example.com", divisionId }));
 * ```
 */
export class GenesysCloudClient {
  readonly apiBaseUrl: string;
  readonly loginBaseUrl: string;
  readonly #pipeline: RequestPipeline;
  readonly #pool: TokenPool;
  readonly #names: NameResolver;
  readonly #audit: GenesysAuditSink | undefined;
  readonly #now: () => number;
  readonly #cacheTtlInMs: number;
  #offline: { definition: PresenceDefinition; at: number } | undefined;

  constructor(options: GenesysCloudClientOptions) {
    const { apiBaseUrl, loginBaseUrl } = resolveBaseUrls(options);
    this.apiBaseUrl = apiBaseUrl;
    this.loginBaseUrl = loginBaseUrl;
    this.#now = options.now ?? Date.now;
    this.#audit = options.auditSink;
    this.#cacheTtlInMs = options.cacheTtlInMs ?? 30 * 60_000;
    this.#pool = this.#tokenPool(options);
    this.#pipeline = new RequestPipeline({ ...options, apiBaseUrl, pool: this.#pool });
    this.#names = new NameResolver(
      (kind, name) => this.#lookupName(kind, name),
      this.#cacheTtlInMs,
      this.#now,
    );
  }

  /** The pool of tokens and their budgets (exposed for health checks and benchmarks). */
  get tokenPool(): TokenPool {
    return this.#pool;
  }

  // ---------------------------------------------------------------- users

  /**
   * Creates a user. Never retried after it may have reached Genesys: on a transient failure, search by email
   * (`findUsersByEmail`) before creating again. An email held by any user, deleted ones included, fails with
   * `isEmailConflict`.
   *
   * Permission: `directory:user:add`.
   */
  async createUser(input: CreateUserInput, options: OperationOptions = {}): Promise<User> {
    const response = await this.#send<User>(
      {
        method: "POST",
        path: "/api/v2/users",
        body: input,
        idempotent: false,
        permission: "directory:user:add",
      },
      options,
    );
    await this.#record("createUser", { userId: response.data.id }, response, { after: response.data });
    return response.data;
  }

  /**
   * Reads a user. Inactive users are returned by default; a deleted one only with `state: "deleted"`.
   *
   * Permission: none beyond a valid token (`directory:user:view` for expansions).
   */
  async getUser(userId: string, options: GetUserOptions = {}): Promise<User> {
    return (
      await this.#send<User>(
        {
          method: "GET",
          path: `/api/v2/users/${id(userId)}`,
          query: { state: options.state, expand: options.expand },
          idempotent: true,
        },
        options,
      )
    ).data;
  }

  /**
   * Updates profile fields. `version` must be the user's current version; a stale one fails with
   * `isVersionConflict` (read again, re-apply).
   *
   * Permission: `directory:user:edit`.
   */
  async updateUser(userId: string, patch: UpdateUserInput, options: WriteOptions<User> = {}): Promise<User> {
    const response = await this.#send<User>(
      {
        method: "PATCH",
        path: `/api/v2/users/${id(userId)}`,
        body: patch,
        idempotent: true,
        permission: "directory:user:edit",
      },
      options,
    );
    await this.#record("updateUser", { userId }, response, { before: options.before, after: response.data });
    return response.data;
  }

  /**
   * Moves a user between `active` and `inactive` (deactivating strips directly granted roles: snapshot first).
   * With `state` set, it is the only field Genesys changes.
   *
   * Permission: `directory:user:edit`.
   */
  async setUserState(
    userId: string,
    state: Exclude<UserState, "deleted">,
    version: number,
    options: WriteOptions<User> = {},
  ): Promise<User> {
    const response = await this.#send<User>(
      {
        method: "PATCH",
        path: `/api/v2/users/${id(userId)}`,
        body: { state, version },
        idempotent: true,
        permission: "directory:user:edit",
      },
      options,
    );
    await this.#record("setUserState", { userId }, response, {
      before: options.before ?? { state: undefined, version },
      after: response.data,
    });
    return response.data;
  }

  /**
   * Restores a deleted user to `active` (reads it with `state=deleted` for the version first). The user comes
   * back in the Home division with no roles: re-apply the whole profile. Restoring a user who is not deleted
   * returns it unchanged.
   *
   * Permission: `directory:user:edit`.
   */
  async restoreUser(userId: string, options: OperationOptions = {}): Promise<User> {
    let before: User;
    try {
      before = await this.getUser(userId, { ...options, state: "deleted" });
    } catch (error) {
      if (!(isGenesysCloudError(error) && error.isNotFound)) throw error;
      before = await this.getUser(userId, options);
    }
    if (before.state !== "deleted") {
      await this.#record("restoreUser", { userId }, undefined, { before, after: before, noChange: true });
      return before;
    }
    const response = await this.#send<User>(
      {
        method: "PATCH",
        path: `/api/v2/users/${id(userId)}`,
        body: { state: "active", version: before.version },
        idempotent: true,
        permission: "directory:user:edit",
      },
      options,
    );
    await this.#record("restoreUser", { userId }, response, { before, after: response.data });
    return response.data;
  }

  /**
   * Deletes (soft-deletes) a user. Succeeds when the user is already gone.
   *
   * Permission: `directory:user:delete`.
   */
  async deleteUser(userId: string, options: WriteOptions<User> = {}): Promise<void> {
    try {
      const response = await this.#send<unknown>(
        {
          method: "DELETE",
          path: `/api/v2/users/${id(userId)}`,
          idempotent: true,
          permission: "directory:user:delete",
        },
        options,
      );
      await this.#record("deleteUser", { userId }, response, {
        before: options.before,
        after: { state: "deleted" },
      });
    } catch (error) {
      if (!(isGenesysCloudError(error) && error.isNotFound)) throw error;
      await this.#record("deleteUser", { userId }, undefined, { before: options.before, noChange: true });
    }
  }

  /**
   * Sends the activation email. Not retried blindly (a retry would send a second email).
   *
   * Permission: `directory:user:add` (or `directory:user:edit`).
   */
  async inviteUser(userId: string, options: OperationOptions & { force?: boolean } = {}): Promise<void> {
    const response = await this.#send<unknown>(
      {
        method: "POST",
        path: `/api/v2/users/${id(userId)}/invite`,
        query: { force: options.force ?? false },
        idempotent: false,
        permission: "directory:user:add",
      },
      options,
    );
    await this.#record("inviteUser", { userId }, response, { after: { invited: true } });
  }

  /**
   * Lists users page by page.
   *
   * Permission: `directory:user:view`.
   */
  listUsers(options: ListUsersOptions = {}): PagedAsyncIterableIterator<User> {
    return this.#list<User>(
      "/api/v2/users",
      { state: options.state, id: options.ids, expand: options.expand },
      options,
      100,
    );
  }

  /**
   * Finds users holding any of `emails`, in every state by default (an email stays taken by inactive and
   * deleted users). Many emails go in one search call.
   *
   * Permission: `directory:user:view`.
   */
  async findUsersByEmail(emails: readonly string[], options: SearchUsersOptions = {}): Promise<User[]> {
    return this.#searchByField("email", emails, options);
  }

  /**
   * Finds users by HR employee id (`employerInfo.employeeId`), in every state by default.
   *
   * Permission: `directory:user:view`.
   */
  async findUsersByEmployeeId(
    employeeIds: readonly string[],
    options: SearchUsersOptions = {},
  ): Promise<User[]> {
    return this.#searchByField("employerInfo.employeeId", employeeIds, options);
  }

  /**
   * Revokes every OAuth token issued to a user, ending their sessions at once.
   *
   * Permission: `oauth:token:delete`.
   */
  async revokeUserTokens(userId: string, options: OperationOptions = {}): Promise<void> {
    const response = await this.#send<unknown>(
      {
        method: "DELETE",
        path: `/api/v2/tokens/${id(userId)}`,
        idempotent: true,
        permission: "oauth:token:delete",
      },
      options,
    );
    await this.#record("revokeUserTokens", { userId }, response, { after: { tokensRevoked: true } });
  }

  // ---------------------------------------------------------------- roles, grants, divisions

  /**
   * Lists every subject's grants in one division, up to 500 a page. Grants in all divisions (`*`) are not to be
   * expected here: Genesys does not document whether it lists them under each division.
   *
   * Permission: `authorization:grant:view`.
   */
  listDivisionGrants(divisionId: string, options: ListOptions = {}): PagedAsyncIterableIterator<AuthzGrant> {
    return this.#list<AuthzGrant>(
      `/api/v2/authorization/divisions/${id(divisionId)}/grants`,
      {},
      options,
      500,
    );
  }

  /**
   * Reads a subject's role grants (role × division).
   *
   * Permission: `authorization:grant:view`.
   */
  async getSubject(subjectId: string, options: OperationOptions = {}): Promise<AuthzSubject> {
    const subject = (
      await this.#send<AuthzSubject>(
        {
          method: "GET",
          path: `/api/v2/authorization/subjects/${id(subjectId)}`,
          idempotent: true,
          permission: "authorization:grant:view",
        },
        options,
      )
    ).data;
    return { ...subject, grants: subject.grants ?? [] };
  }

  /**
   * Grants roles per division (`divisionId` `*` for all divisions). Granting what is already granted is harmless.
   *
   * Permission: `authorization:grant:add`.
   */
  async addRoleGrants(
    subjectId: string,
    grants: readonly RoleDivisionGrant[],
    options: WriteOptions<AuthzSubject> = {},
  ): Promise<void> {
    await this.#grants("addRoleGrants", "bulkadd", subjectId, grants, "authorization:grant:add", options);
  }

  /**
   * Removes role grants per division.
   *
   * Permission: `authorization:grant:delete`.
   */
  async removeRoleGrants(
    subjectId: string,
    grants: readonly RoleDivisionGrant[],
    options: WriteOptions<AuthzSubject> = {},
  ): Promise<void> {
    await this.#grants(
      "removeRoleGrants",
      "bulkremove",
      subjectId,
      grants,
      "authorization:grant:delete",
      options,
    );
  }

  /**
   * Replaces all direct grants with `grants` (grants inherited from groups stay).
   *
   * Permission: `authorization:grant:add` and `authorization:grant:delete`.
   */
  async replaceRoleGrants(
    subjectId: string,
    grants: readonly RoleDivisionGrant[],
    options: WriteOptions<AuthzSubject> = {},
  ): Promise<void> {
    await this.#grants(
      "replaceRoleGrants",
      "bulkreplace",
      subjectId,
      grants,
      "authorization:grant:add and authorization:grant:delete",
      options,
    );
  }

  /**
   * Lists roles.
   *
   * Permission: `authorization:role:view`.
   */
  listRoles(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<Role> {
    return this.#list<Role>("/api/v2/authorization/roles", { name: options.name }, options, 100);
  }

  /**
   * Lists divisions.
   *
   * Permission: none beyond a valid token.
   */
  listDivisions(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<Division> {
    return this.#list<Division>("/api/v2/authorization/divisions", { name: options.name }, options, 100);
  }

  /**
   * The organisation's Home division (where users go by default, and where restored users come back).
   *
   * Permission: none beyond a valid token.
   */
  async getHomeDivision(options: OperationOptions = {}): Promise<Division> {
    return (
      await this.#send<Division>(
        { method: "GET", path: "/api/v2/authorization/divisions/home", idempotent: true },
        options,
      )
    ).data;
  }

  /**
   * Divisions where this OAuth client holds `permission`: the pre-flight check before the first write.
   *
   * Permission: none beyond a valid token.
   */
  async getDivisionsPermitted(
    permission: string,
    options: OperationOptions = {},
  ): Promise<DivisionsPermitted> {
    let all = false;
    const pages = pageNumbered<Division>(async (pageNumber, pageSize) => {
      const listing = (
        await this.#send<ListingPage<Division> & { allDivsPermitted?: boolean }>(
          {
            method: "GET",
            path: "/api/v2/authorization/divisionspermitted/paged/me",
            query: { permission, pageNumber, pageSize },
            idempotent: true,
          },
          options,
        )
      ).data;
      all ||= listing.allDivsPermitted === true;
      return listing;
    }, 100);
    const divisions = await collect(pages);
    return { allDivisionsPermitted: all, divisions };
  }

  /**
   * Moves users to a division (the only way to change a user's division; PATCH cannot).
   *
   * Permission: `authorization:division:edit` and `directory:user:edit` in both divisions.
   */
  async moveUsersToDivision(
    divisionId: string,
    userIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    for (const ids of chunk(userIds, DIVISION_MOVES_PER_CALL)) {
      const response = await this.#send<unknown>(
        {
          method: "POST",
          path: `/api/v2/authorization/divisions/${id(divisionId)}/objects/USER`,
          body: ids,
          idempotent: true,
          permission: "authorization:division:edit",
        },
        options,
      );
      await this.#record("moveUsersToDivision", { divisionId, userIds: ids }, response, {
        after: { divisionId },
      });
    }
  }

  // ---------------------------------------------------------------- queues

  /**
   * Lists queues; `name` matches exactly (asterisks allowed at either end).
   *
   * Permission: `routing:queue:view`.
   */
  listQueues(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<Queue> {
    return this.#list<Queue>("/api/v2/routing/queues", { name: options.name }, options, 100);
  }

  /**
   * Lists a queue's members.
   *
   * Permission: `routing:queue:view`.
   */
  listQueueMembers(queueId: string, options: ListOptions = {}): PagedAsyncIterableIterator<QueueMember> {
    return this.#list<QueueMember>(`/api/v2/routing/queues/${id(queueId)}/members`, {}, options, 100);
  }

  /**
   * Lists the queues a user is a member of.
   *
   * Permission: `routing:queue:view`.
   */
  listUserQueues(userId: string, options: ListOptions = {}): PagedAsyncIterableIterator<UserQueue> {
    return this.#list<UserQueue>(`/api/v2/users/${id(userId)}/queues`, {}, options, 100);
  }

  /**
   * Adds users to a queue, 100 per call. Adding a member twice is harmless.
   *
   * Permission: `routing:queue:edit` or `routing:queueMember:manage`.
   */
  async addQueueMembers(
    queueId: string,
    userIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    await this.#queueMembers("addQueueMembers", queueId, userIds, false, options);
  }

  /**
   * Removes users from a queue, 100 per call.
   *
   * Permission: `routing:queue:edit` or `routing:queueMember:manage`.
   */
  async removeQueueMembers(
    queueId: string,
    userIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    await this.#queueMembers("removeQueueMembers", queueId, userIds, true, options);
  }

  // ---------------------------------------------------------------- skills and languages

  /**
   * Lists routing skills (`name` is a prefix filter).
   *
   * Permission: `routing:skill:view`.
   */
  listSkills(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<RoutingSkill> {
    return this.#list<RoutingSkill>("/api/v2/routing/skills", { name: options.name }, options, 100);
  }

  /**
   * Lists routing languages.
   *
   * Permission: none beyond a valid token.
   */
  listLanguages(options: ListOptions & { name?: string } = {}): PagedAsyncIterableIterator<RoutingLanguage> {
    return this.#list<RoutingLanguage>("/api/v2/routing/languages", { name: options.name }, options, 100);
  }

  /**
   * A user's skills with proficiency.
   *
   * Permission: `routing:skill:assign` (read).
   */
  listUserSkills(userId: string, options: ListOptions = {}): PagedAsyncIterableIterator<UserRoutingSkill> {
    return this.#list<UserRoutingSkill>(`/api/v2/users/${id(userId)}/routingskills`, {}, options, 100);
  }

  /**
   * A user's languages with proficiency.
   *
   * Permission: `routing:language:assign` (read).
   */
  listUserLanguages(userId: string, options: ListOptions = {}): PagedAsyncIterableIterator<UserRoutingSkill> {
    return this.#list<UserRoutingSkill>(`/api/v2/users/${id(userId)}/routinglanguages`, {}, options, 100);
  }

  /**
   * Adds or updates skills (others stay), 50 per call.
   *
   * Permission: `routing:skill:assign`.
   */
  async addUserSkills(
    userId: string,
    skills: readonly ProficiencyAssignment[],
    options: OperationOptions = {},
  ): Promise<void> {
    for (const part of chunk(skills, SKILLS_PER_CALL)) {
      await this.#bulkProficiency("addUserSkills", "PATCH", "routingskills", userId, part, options);
    }
  }

  /**
   * Makes `skills` the user's whole skill set. Beyond 50, the first call replaces and the rest add.
   *
   * Permission: `routing:skill:assign`.
   */
  async replaceUserSkills(
    userId: string,
    skills: readonly ProficiencyAssignment[],
    options: OperationOptions = {},
  ): Promise<void> {
    const [first = [], ...rest] = chunk(skills, SKILLS_PER_CALL);
    await this.#bulkProficiency("replaceUserSkills", "PUT", "routingskills", userId, first, options);
    for (const part of rest) {
      await this.#bulkProficiency("replaceUserSkills", "PATCH", "routingskills", userId, part, options);
    }
  }

  /**
   * Removes skills one by one; a skill the user no longer has is skipped.
   *
   * Permission: `routing:skill:assign`.
   */
  async removeUserSkills(
    userId: string,
    skillIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    for (const skillId of skillIds) {
      await this.#removeOne(
        "removeUserSkills",
        `/api/v2/users/${id(userId)}/routingskills/${id(skillId)}`,
        {
          userId,
          skillId,
        },
        "routing:skill:assign",
        options,
      );
    }
  }

  /**
   * Adds or updates languages (others stay), 50 per call.
   *
   * Permission: `routing:language:assign` or `routing:skill:assign`.
   */
  async addUserLanguages(
    userId: string,
    languages: readonly ProficiencyAssignment[],
    options: OperationOptions = {},
  ): Promise<void> {
    for (const part of chunk(languages, SKILLS_PER_CALL)) {
      await this.#bulkProficiency("addUserLanguages", "PATCH", "routinglanguages", userId, part, options);
    }
  }

  /**
   * Removes languages one by one; a language the user no longer has is skipped.
   *
   * Permission: `routing:language:assign` or `routing:skill:assign`.
   */
  async removeUserLanguages(
    userId: string,
    languageIds: readonly string[],
    options: OperationOptions = {},
  ): Promise<void> {
    for (const languageId of languageIds) {
      await this.#removeOne(
        "removeUserLanguages",
        `/api/v2/users/${id(userId)}/routinglanguages/${id(languageId)}`,
        { userId, languageId },
        "routing:language:assign",
        options,
      );
    }
  }

  // ---------------------------------------------------------------- routing status, presence

  /**
   * The user's routing status (`OFF_QUEUE` also for unknown users, as Genesys answers).
   *
   * Permission: none listed by Genesys.
   */
  async getRoutingStatus(userId: string, options: OperationOptions = {}): Promise<RoutingStatus> {
    return (
      await this.#send<RoutingStatus>(
        { method: "GET", path: `/api/v2/users/${id(userId)}/routingstatus`, idempotent: true },
        options,
      )
    ).data;
  }

  /**
   * Sets the routing status; `OFF_QUEUE` takes a leaver out of routing.
   *
   * Permission: none listed by Genesys (`routing:agent:manage` in practice).
   */
  async setRoutingStatus(
    userId: string,
    status: RoutingStatusValue,
    options: WriteOptions<RoutingStatus> = {},
  ): Promise<RoutingStatus> {
    const response = await this.#send<RoutingStatus>(
      {
        method: "PUT",
        path: `/api/v2/users/${id(userId)}/routingstatus`,
        body: { status },
        idempotent: true,
        permission: "routing:agent:manage",
      },
      options,
    );
    await this.#record("setRoutingStatus", { userId }, response, {
      before: options.before,
      after: response.data,
    });
    return response.data;
  }

  /**
   * The organisation's system Offline presence definition, looked up once and cached (its id differs per org).
   *
   * Permission: `presence:presenceDefinition:view`.
   */
  async getOfflinePresenceDefinition(options: OperationOptions = {}): Promise<PresenceDefinition> {
    if (this.#offline && this.#now() - this.#offline.at < this.#cacheTtlInMs) return this.#offline.definition;
    const listing = (
      await this.#send<{ entities?: PresenceDefinition[] }>(
        {
          method: "GET",
          path: "/api/v2/presence/definitions",
          query: { deactivated: false },
          idempotent: true,
          permission: "presence:presenceDefinition:view",
        },
        options,
      )
    ).data;
    const offline = (listing.entities ?? []).filter((d) => d.systemPresence?.toLowerCase() === "offline");
    const definition = offline.find((d) => d.type === "System") ?? offline[0];
    if (!definition) {
      throw new GenesysCloudError({
        statusCode: 404,
        code: "presence.offline.not.found",
        method: "GET",
        path: "/api/v2/presence/definitions",
        message:
          "Genesys Cloud lists no active presence definition with systemPresence Offline. Reactivate the system Offline presence in Admin > Presence.",
      });
    }
    this.#offline = { definition, at: this.#now() };
    return definition;
  }

  /**
   * Sets a user's Genesys Cloud presence to a definition.
   *
   * Permission: none listed by Genesys (`user:presence:edit` in practice).
   */
  async setUserPresence(
    userId: string,
    presenceDefinitionId: string,
    options: WriteOptions<UserPresence> = {},
  ): Promise<UserPresence> {
    const response = await this.#send<UserPresence>(
      {
        method: "PATCH",
        path: `/api/v2/users/${id(userId)}/presences/purecloud`,
        body: { presenceDefinition: { id: presenceDefinitionId } },
        idempotent: true,
      },
      options,
    );
    await this.#record("setUserPresence", { userId, presenceDefinitionId }, response, {
      before: options.before,
      after: response.data,
    });
    return response.data;
  }

  /**
   * Sets a user Offline (the org's Offline definition, looked up and cached).
   *
   * Permission: `presence:presenceDefinition:view`.
   */
  async setUserOffline(userId: string, options: WriteOptions<UserPresence> = {}): Promise<UserPresence> {
    const offline = await this.getOfflinePresenceDefinition(options);
    return this.setUserPresence(userId, offline.id, options);
  }

  // ---------------------------------------------------------------- interactions

  /**
   * A user's live conversations (analytics details, `conversationEnd notExists`), with the user's participant
   * id in each, ready for transfer or disconnect, and the queue each came through; plus the scheduled callbacks
   * the user owns (agent-owned callbacks name their owner as the scored agent), with the participant they wait
   * in, ready to be reassigned.
   *
   * Permission: `analytics:conversationDetail:view`.
   */
  async getActiveInteractions(
    userId: string,
    options: ActiveInteractionsOptions = {},
  ): Promise<ActiveInteraction[]> {
    const now = this.#now();
    const from = new Date(now - (options.lookbackDays ?? 14) * 86_400_000).toISOString();
    const to = new Date(now + 3_600_000).toISOString();
    const found: ActiveInteraction[] = [];
    const seen = new Set<string>();
    for (let pageNumber = 1; ; pageNumber++) {
      const pageSize = 100;
      const response = await this.#send<AnalyticsDetailsResponse>(
        {
          method: "POST",
          path: "/api/v2/analytics/conversations/details/query",
          body: {
            interval: `${from}/${to}`,
            order: "asc",
            orderBy: "conversationStart",
            paging: { pageSize, pageNumber },
            conversationFilters: [
              {
                type: "and",
                predicates: [{ type: "dimension", dimension: "conversationEnd", operator: "notExists" }],
              },
            ],
            segmentFilters: [
              {
                type: "or",
                predicates: [
                  { type: "dimension", dimension: "userId", operator: "matches", value: userId },
                  { type: "dimension", dimension: "scoredAgentId", operator: "matches", value: userId },
                ],
              },
            ],
          },
          idempotent: true,
          permission: "analytics:conversationDetail:view",
        },
        options,
      );
      const conversations = response.data.conversations ?? [];
      for (const conversation of conversations) {
        if (conversation.conversationEnd) continue;
        for (const interaction of interactionsOf(conversation, userId)) {
          const key = `${interaction.conversationId}/${interaction.participantId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          found.push(interaction);
        }
      }
      const total = response.data.totalHits ?? 0;
      if (conversations.length < pageSize || pageNumber * pageSize >= total) return found;
    }
  }

  /**
   * Blind-transfers a participant's interaction to a user, queue or address. Not retried blindly: a repeated
   * transfer could move the interaction twice; re-read the interactions instead.
   *
   * Permission: `conversation:communication:blindTransfer`.
   */
  async transferInteraction(
    interaction: Pick<ActiveInteraction, "conversationId" | "participantId" | "media">,
    target: TransferTarget,
    options: OperationOptions = {},
  ): Promise<void> {
    const media = requireMedia(interaction, "transfer");
    const response = await this.#send<unknown>(
      {
        method: "POST",
        path: `/api/v2/conversations/${media}/${id(interaction.conversationId)}/participants/${id(interaction.participantId)}/replace`,
        body: { ...target, transferType: "Unattended" },
        idempotent: false,
        permission: "conversation:communication:blindTransfer",
      },
      options,
    );
    await this.#record(
      "transferInteraction",
      { conversationId: interaction.conversationId, participantId: interaction.participantId },
      response,
      { after: { transferredTo: target } },
    );
  }

  /**
   * Gives a scheduled, agent-owned callback to another owner (`PATCH /api/v2/conversations/callbacks`, "Update a
   * scheduled callback"): routing then waits for that agent at the scheduled time. The callback API takes an
   * agent, so a scheduled callback goes to a person, optionally in another queue.
   *
   * Permission: `conversation:callback:edit`.
   */
  async reassignScheduledCallback(
    interaction: Pick<ActiveInteraction, "conversationId" | "participantId">,
    target: { agentId: string; queueId?: string },
    options: OperationOptions = {},
  ): Promise<void> {
    const response = await this.#send<unknown>(
      {
        method: "PATCH",
        path: "/api/v2/conversations/callbacks",
        body: { conversationId: interaction.conversationId, ...target },
        idempotent: true,
        permission: "conversation:callback:edit",
      },
      options,
    );
    await this.#record(
      "reassignScheduledCallback",
      { conversationId: interaction.conversationId, participantId: interaction.participantId },
      response,
      { after: { owner: target.agentId, ...(target.queueId ? { queueId: target.queueId } : {}) } },
    );
  }

  /**
   * Disconnects a participant (the last resort for a leaver's interaction).
   *
   * Permission: `conversation:communication:disconnect`.
   */
  async disconnectInteraction(
    interaction: Pick<ActiveInteraction, "conversationId" | "participantId" | "media">,
    options: OperationOptions = {},
  ): Promise<void> {
    const media = requireMedia(interaction, "disconnect");
    const response = await this.#send<unknown>(
      {
        method: "PATCH",
        path: `/api/v2/conversations/${media}/${id(interaction.conversationId)}/participants/${id(interaction.participantId)}`,
        body: { state: "disconnected" },
        idempotent: true,
        permission: "conversation:communication:disconnect",
      },
      options,
    );
    await this.#record(
      "disconnectInteraction",
      { conversationId: interaction.conversationId, participantId: interaction.participantId },
      response,
      { after: { state: "disconnected" } },
    );
  }

  // ---------------------------------------------------------------- names

  /**
   * Resolves names to ids (cached). Throws one `GenesysCloudError` (`isNotFound`) naming every unknown name.
   *
   * Permission: the view permission of the kind (`authorization:role:view`, `routing:queue:view`, …).
   */
  async resolveIds(kind: NamedKind, names: readonly string[]): Promise<Map<string, string>> {
    return this.#names.resolve(kind, names);
  }

  /** Resolves one name to its id; see `resolveIds`. */
  async resolveId(kind: NamedKind, name: string): Promise<string> {
    return (await this.#names.resolve(kind, [name])).get(name) as string;
  }

  // ---------------------------------------------------------------- internals

  async #send<T>(request: GenesysRequest, options: OperationOptions): Promise<GenesysResponse<T>> {
    return this.#pipeline.send<T>({
      ...request,
      abortSignal: options.abortSignal ?? request.abortSignal,
      timeoutInMs: options.timeoutInMs ?? request.timeoutInMs,
    });
  }

  #list<T>(
    path: string,
    query: Record<string, QueryValue>,
    options: ListOptions,
    defaultPageSize: number,
  ): PagedAsyncIterableIterator<T> {
    return pageNumbered<T>(
      async (pageNumber, pageSize) =>
        (
          await this.#send<ListingPage<T>>(
            { method: "GET", path, query: { ...query, pageNumber, pageSize }, idempotent: true },
            options,
          )
        ).data,
      options.maxPageSize ?? defaultPageSize,
    );
  }

  async #searchByField(
    field: string,
    values: readonly string[],
    options: SearchUsersOptions,
  ): Promise<User[]> {
    const states = options.states ?? ALL_STATES;
    const users = new Map<string, User>();
    for (const part of chunk([...new Set(values)], options.valuesPerCall ?? 50)) {
      const pages = pageNumbered<User>(
        async (pageNumber, pageSize) =>
          (
            await this.#send<ListingPage<User>>(
              {
                method: "POST",
                path: "/api/v2/users/search",
                body: {
                  pageSize,
                  pageNumber,
                  query: [
                    { type: "EXACT", fields: [field], values: part },
                    { type: "EXACT", fields: ["state"], values: states },
                  ],
                  // employerInfo is an expansion: without it a user found by employee id cannot be told apart.
                  expand: ["employerInfo"],
                },
                idempotent: true,
                permission: "directory:user:view",
              },
              options,
            )
          ).data,
        100,
      );
      for await (const user of pages) users.set(user.id, user);
    }
    return [...users.values()];
  }

  async #grants(
    operation: string,
    verb: "bulkadd" | "bulkremove" | "bulkreplace",
    subjectId: string,
    grants: readonly RoleDivisionGrant[],
    permission: string,
    options: WriteOptions<AuthzSubject>,
  ): Promise<void> {
    const response = await this.#send<unknown>(
      {
        method: "POST",
        path: `/api/v2/authorization/subjects/${id(subjectId)}/${verb}`,
        query: verb === "bulkremove" ? undefined : { subjectType: "PC_USER" },
        body: { grants },
        idempotent: true,
        permission,
      },
      options,
    );
    await this.#record(operation, { userId: subjectId }, response, {
      before: options.before,
      after: { grants },
    });
  }

  async #queueMembers(
    operation: string,
    queueId: string,
    userIds: readonly string[],
    remove: boolean,
    options: OperationOptions,
  ): Promise<void> {
    for (const ids of chunk(userIds, QUEUE_MEMBERS_PER_CALL)) {
      const response = await this.#send<unknown>(
        {
          method: "POST",
          path: `/api/v2/routing/queues/${id(queueId)}/members`,
          query: { delete: remove },
          body: ids.map((userId) => ({ id: userId })),
          idempotent: true,
          permission: "routing:queue:edit or routing:queueMember:manage",
        },
        options,
      );
      await this.#record(operation, { queueId, userIds: ids }, response, {
        after: { members: remove ? "removed" : "added" },
      });
    }
  }

  async #bulkProficiency(
    operation: string,
    method: "PUT" | "PATCH",
    collection: "routingskills" | "routinglanguages",
    userId: string,
    items: readonly ProficiencyAssignment[],
    options: OperationOptions,
  ): Promise<void> {
    const response = await this.#send<unknown>(
      {
        method,
        path: `/api/v2/users/${id(userId)}/${collection}/bulk`,
        body: items.map(({ id: itemId, proficiency }) => ({ id: itemId, proficiency })),
        idempotent: true,
        permission: collection === "routingskills" ? "routing:skill:assign" : "routing:language:assign",
      },
      options,
    );
    await this.#record(
      operation,
      { userId, [collection === "routingskills" ? "skillIds" : "languageIds"]: items.map((i) => i.id) },
      response,
      {
        after: items,
      },
    );
  }

  async #removeOne(
    operation: string,
    path: string,
    targetIds: Record<string, string>,
    permission: string,
    options: OperationOptions,
  ): Promise<void> {
    try {
      const response = await this.#send<unknown>(
        { method: "DELETE", path, idempotent: true, permission },
        options,
      );
      await this.#record(operation, targetIds, response, { after: { removed: true } });
    } catch (error) {
      if (!(isGenesysCloudError(error) && error.isNotFound)) throw error;
      await this.#record(operation, targetIds, undefined, { noChange: true });
    }
  }

  async #lookupName(kind: NamedKind, name: string): Promise<{ id: string; name?: string }[]> {
    const pages = this.#list<{ id: string; name?: string }>(NAMED_LISTING_PATHS[kind], { name }, {}, 100);
    return collect(pages);
  }

  async #record(
    operation: string,
    targetIds: GenesysAuditRecord["targetIds"],
    response: GenesysResponse<unknown> | undefined,
    extra: Pick<GenesysAuditRecord, "before" | "after" | "noChange">,
  ): Promise<void> {
    if (!this.#audit) return;
    await this.#audit({
      operation,
      targetIds,
      correlationId: response?.correlationId,
      ...extra,
      at: new Date(this.#now()).toISOString(),
    });
  }

  #tokenPool(options: GenesysCloudClientOptions): TokenPool {
    const size = options.tokenPoolSize ?? 1;
    const perToken = options.requestsPerMinute ?? 300;
    const build = () =>
      new TokenPool({
        providers: Array.from(
          { length: size },
          () =>
            new OAuthTokenProvider({
              loginBaseUrl: this.loginBaseUrl,
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
      this.apiBaseUrl,
      this.loginBaseUrl,
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
}

interface AnalyticsSegment {
  segmentEnd?: string;
  segmentType?: string;
  queueId?: string;
  scoredAgents?: { scoredAgentId?: string }[];
}

interface AnalyticsParticipant {
  participantId?: string;
  userId?: string;
  purpose?: string;
  sessions?: {
    sessionId?: string;
    mediaType?: string;
    agentOwned?: boolean;
    callbackScheduledTime?: string;
    segments?: AnalyticsSegment[];
  }[];
}

interface AnalyticsConversation {
  conversationId: string;
  conversationStart?: string;
  conversationEnd?: string;
  participants?: AnalyticsParticipant[];
}

interface AnalyticsDetailsResponse {
  totalHits?: number;
  conversations?: AnalyticsConversation[];
}

const segmentsOf = (participant: AnalyticsParticipant) =>
  (participant.sessions ?? []).flatMap((session) => session.segments ?? []);

const lastQueueId = (segments: readonly AnalyticsSegment[]) =>
  segments.filter((s) => s.queueId).at(-1)?.queueId;

/** The queue a conversation came through: the participant's own routed segment, else the latest ACD leg's. */
function queueOf(
  conversation: AnalyticsConversation,
  participant?: AnalyticsParticipant,
): string | undefined {
  const own = participant ? lastQueueId(segmentsOf(participant)) : undefined;
  if (own) return own;
  return lastQueueId(
    (conversation.participants ?? []).filter((p) => p.purpose === "acd").flatMap(segmentsOf),
  );
}

/**
 * What of one open conversation is the user's: the user's own legs that are still open (after a transfer the
 * conversation lives on, but the user's segments have ended), else a scheduled callback the user owns.
 */
function interactionsOf(conversation: AnalyticsConversation, userId: string): ActiveInteraction[] {
  const base = {
    conversationId: conversation.conversationId,
    conversationStart: conversation.conversationStart,
  };
  const legs: ActiveInteraction[] = [];
  for (const participant of conversation.participants ?? []) {
    if (participant.userId !== userId || !participant.participantId) continue;
    const segments = segmentsOf(participant);
    if (segments.length > 0 && segments.every((segment) => segment.segmentEnd)) continue;
    const mediaType = participant.sessions?.[0]?.mediaType ?? "unknown";
    const queueId = queueOf(conversation, participant);
    legs.push({
      ...base,
      participantId: participant.participantId,
      mediaType,
      media: MEDIA_PATHS[mediaType],
      ...(queueId ? { queueId } : {}),
    });
  }
  if (legs.length > 0) return legs;
  for (const participant of conversation.participants ?? []) {
    if (participant.purpose !== "acd" || !participant.participantId) continue;
    for (const session of participant.sessions ?? []) {
      const waiting = (session.segments ?? []).find(
        (s) => !s.segmentEnd && s.scoredAgents?.some((a) => a.scoredAgentId === userId),
      );
      if (session.mediaType !== "callback" || session.agentOwned !== true || !waiting) continue;
      const queueId = waiting.queueId ?? queueOf(conversation);
      legs.push({
        ...base,
        participantId: participant.participantId,
        mediaType: "callback",
        media: "callbacks",
        ...(queueId ? { queueId } : {}),
        scheduledCallback: session.callbackScheduledTime
          ? { scheduledTime: session.callbackScheduledTime }
          : {},
      });
    }
  }
  return legs;
}

function requireMedia(
  interaction: Pick<ActiveInteraction, "conversationId" | "media">,
  action: string,
): ConversationMedia {
  if (interaction.media) return interaction.media;
  throw new GenesysCloudError({
    statusCode: 400,
    code: "client.media.unsupported",
    method: "POST",
    path: `/api/v2/conversations/${interaction.conversationId}`,
    message: `Cannot ${action} conversation ${interaction.conversationId}: its media type has no ${action} endpoint. Handle it in Genesys Cloud by hand.`,
  });
}

/** API and login base URLs from explicit settings, else from the region. */
export function resolveBaseUrls(
  options: Pick<GenesysCloudClientOptions, "region" | "apiBaseUrl" | "loginBaseUrl">,
): {
  apiBaseUrl: string;
  loginBaseUrl: string;
} {
  const domain = options.region === undefined ? undefined : regionDomain(options.region);
  if (options.region !== undefined && domain === undefined) {
    throw new RangeError(`'${options.region}' is not a known Genesys Cloud region key or domain`);
  }
  const apiBaseUrl = options.apiBaseUrl ?? (domain ? `https://api.${domain}` : undefined);
  const loginBaseUrl = options.loginBaseUrl ?? (domain ? `https://login.${domain}` : undefined);
  if (!apiBaseUrl || !loginBaseUrl) {
    throw new RangeError("Genesys Cloud needs a region, or both apiBaseUrl and loginBaseUrl");
  }
  return { apiBaseUrl: apiBaseUrl.replace(/\/+$/, ""), loginBaseUrl: loginBaseUrl.replace(/\/+$/, "") };
}
