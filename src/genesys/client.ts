import { AuditsApi } from "./api/audits";
import { AuthorizationApi } from "./api/authorization";
import { ConversationsApi } from "./api/conversations";
import { PresenceApi } from "./api/presence";
import { RoutingApi } from "./api/routing";
import { UsersApi } from "./api/users";
import { NAMED_LISTING_PATHS, NameResolver, type NamedKind } from "./names";
import type { GenesysCloudClientOptions } from "./options";
import { collect } from "./paging";
import type { TokenPool } from "./token-pool";
import { GenesysTransport } from "./transport";

export type { ActiveInteractionsOptions } from "./api/conversations";
export type { GetUserOptions, ListUsersOptions, SearchUsersOptions } from "./api/users";
export type { GenesysCloudClientOptions, ListOptions, OperationOptions, WriteOptions } from "./options";
export { resolveBaseUrls } from "./transport";

/**
 * The only way the product talks to Genesys Cloud: OAuth client credentials, one paced rate budget per token
 * shared by every caller in the process, bounded retries of what is safe to retry, typed operations and one
 * error type (`GenesysCloudError`).
 *
 * A façade, shaped like the Genesys SDK's API classes over one API client: each area's operations live in its
 * own module under `api/` (users, authorization, routing, presence, conversations, audits), documented there with the
 * permission each needs, and all of them send through one `GenesysTransport` (pipeline, token pool, audit).
 * The client forwards every operation, so callers need only this one object: a new operation goes in its
 * area's module, with one forwarding line here.
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
  readonly #transport: GenesysTransport;
  readonly #users: UsersApi;
  readonly #authorization: AuthorizationApi;
  readonly #routing: RoutingApi;
  readonly #presence: PresenceApi;
  readonly #conversations: ConversationsApi;
  readonly #audits: AuditsApi;
  readonly #names: NameResolver;

  constructor(options: GenesysCloudClientOptions) {
    const transport = new GenesysTransport(options);
    const cacheTtlInMs = options.cacheTtlInMs ?? 30 * 60_000;
    this.#transport = transport;
    this.apiBaseUrl = transport.apiBaseUrl;
    this.loginBaseUrl = transport.loginBaseUrl;
    this.#users = new UsersApi(transport);
    this.#authorization = new AuthorizationApi(transport);
    this.#routing = new RoutingApi(transport);
    this.#presence = new PresenceApi(transport, cacheTtlInMs);
    this.#conversations = new ConversationsApi(transport);
    this.#audits = new AuditsApi(transport);
    this.#names = new NameResolver(
      (kind, name) => collect(transport.list(NAMED_LISTING_PATHS[kind], { name }, {}, 100)),
      cacheTtlInMs,
      transport.now,
    );
  }

  /** The pool of tokens and their budgets (exposed for health checks and benchmarks). */
  get tokenPool(): TokenPool {
    return this.#transport.tokenPool;
  }

  // ---------------------------------------------------------------- users (api/users.ts)
  readonly createUser: UsersApi["createUser"] = (...args) => this.#users.createUser(...args);
  readonly getUser: UsersApi["getUser"] = (...args) => this.#users.getUser(...args);
  readonly updateUser: UsersApi["updateUser"] = (...args) => this.#users.updateUser(...args);
  readonly setUserState: UsersApi["setUserState"] = (...args) => this.#users.setUserState(...args);
  readonly restoreUser: UsersApi["restoreUser"] = (...args) => this.#users.restoreUser(...args);
  readonly deleteUser: UsersApi["deleteUser"] = (...args) => this.#users.deleteUser(...args);
  readonly inviteUser: UsersApi["inviteUser"] = (...args) => this.#users.inviteUser(...args);
  readonly listUsers: UsersApi["listUsers"] = (...args) => this.#users.listUsers(...args);
  readonly findUsersByEmail: UsersApi["findUsersByEmail"] = (...args) =>
    this.#users.findUsersByEmail(...args);
  readonly findUsersByEmployeeId: UsersApi["findUsersByEmployeeId"] = (...args) =>
    this.#users.findUsersByEmployeeId(...args);
  readonly revokeUserTokens: UsersApi["revokeUserTokens"] = (...args) =>
    this.#users.revokeUserTokens(...args);

  // ---------------------------------------------------------------- authorization (api/authorization.ts)
  readonly listDivisionGrants: AuthorizationApi["listDivisionGrants"] = (...args) =>
    this.#authorization.listDivisionGrants(...args);
  readonly listRoleSubjectGrants: AuthorizationApi["listRoleSubjectGrants"] = (...args) =>
    this.#authorization.listRoleSubjectGrants(...args);
  readonly getSubject: AuthorizationApi["getSubject"] = (...args) => this.#authorization.getSubject(...args);
  readonly addRoleGrants: AuthorizationApi["addRoleGrants"] = (...args) =>
    this.#authorization.addRoleGrants(...args);
  readonly grantRoleToUsers: AuthorizationApi["grantRoleToUsers"] = (...args) =>
    this.#authorization.grantRoleToUsers(...args);
  readonly removeRoleGrants: AuthorizationApi["removeRoleGrants"] = (...args) =>
    this.#authorization.removeRoleGrants(...args);
  readonly replaceRoleGrants: AuthorizationApi["replaceRoleGrants"] = (...args) =>
    this.#authorization.replaceRoleGrants(...args);
  readonly listRoles: AuthorizationApi["listRoles"] = (...args) => this.#authorization.listRoles(...args);
  readonly listDivisions: AuthorizationApi["listDivisions"] = (...args) =>
    this.#authorization.listDivisions(...args);
  readonly getHomeDivision: AuthorizationApi["getHomeDivision"] = (...args) =>
    this.#authorization.getHomeDivision(...args);
  readonly getDivisionsPermitted: AuthorizationApi["getDivisionsPermitted"] = (...args) =>
    this.#authorization.getDivisionsPermitted(...args);
  readonly moveUsersToDivision: AuthorizationApi["moveUsersToDivision"] = (...args) =>
    this.#authorization.moveUsersToDivision(...args);

  // ---------------------------------------------------------------- routing (api/routing.ts)
  readonly listQueues: RoutingApi["listQueues"] = (...args) => this.#routing.listQueues(...args);
  readonly listQueueMembers: RoutingApi["listQueueMembers"] = (...args) =>
    this.#routing.listQueueMembers(...args);
  readonly listUserQueues: RoutingApi["listUserQueues"] = (...args) => this.#routing.listUserQueues(...args);
  readonly addQueueMembers: RoutingApi["addQueueMembers"] = (...args) =>
    this.#routing.addQueueMembers(...args);
  readonly removeQueueMembers: RoutingApi["removeQueueMembers"] = (...args) =>
    this.#routing.removeQueueMembers(...args);
  readonly listSkills: RoutingApi["listSkills"] = (...args) => this.#routing.listSkills(...args);
  readonly listLanguages: RoutingApi["listLanguages"] = (...args) => this.#routing.listLanguages(...args);
  readonly listUserSkills: RoutingApi["listUserSkills"] = (...args) => this.#routing.listUserSkills(...args);
  readonly listUserLanguages: RoutingApi["listUserLanguages"] = (...args) =>
    this.#routing.listUserLanguages(...args);
  readonly addUserSkills: RoutingApi["addUserSkills"] = (...args) => this.#routing.addUserSkills(...args);
  readonly replaceUserSkills: RoutingApi["replaceUserSkills"] = (...args) =>
    this.#routing.replaceUserSkills(...args);
  readonly removeUserSkills: RoutingApi["removeUserSkills"] = (...args) =>
    this.#routing.removeUserSkills(...args);
  readonly addUserLanguages: RoutingApi["addUserLanguages"] = (...args) =>
    this.#routing.addUserLanguages(...args);
  readonly removeUserLanguages: RoutingApi["removeUserLanguages"] = (...args) =>
    this.#routing.removeUserLanguages(...args);
  readonly getRoutingStatus: RoutingApi["getRoutingStatus"] = (...args) =>
    this.#routing.getRoutingStatus(...args);
  readonly setRoutingStatus: RoutingApi["setRoutingStatus"] = (...args) =>
    this.#routing.setRoutingStatus(...args);

  // ---------------------------------------------------------------- presence (api/presence.ts)
  readonly getOfflinePresenceDefinition: PresenceApi["getOfflinePresenceDefinition"] = (...args) =>
    this.#presence.getOfflinePresenceDefinition(...args);
  readonly setUserPresence: PresenceApi["setUserPresence"] = (...args) =>
    this.#presence.setUserPresence(...args);
  readonly setUserOffline: PresenceApi["setUserOffline"] = (...args) =>
    this.#presence.setUserOffline(...args);

  // ---------------------------------------------------------------- conversations (api/conversations.ts)
  readonly getActiveInteractions: ConversationsApi["getActiveInteractions"] = (...args) =>
    this.#conversations.getActiveInteractions(...args);
  readonly transferInteraction: ConversationsApi["transferInteraction"] = (...args) =>
    this.#conversations.transferInteraction(...args);
  readonly reassignScheduledCallback: ConversationsApi["reassignScheduledCallback"] = (...args) =>
    this.#conversations.reassignScheduledCallback(...args);
  readonly disconnectInteraction: ConversationsApi["disconnectInteraction"] = (...args) =>
    this.#conversations.disconnectInteraction(...args);

  // ---------------------------------------------------------------- audits (api/audits.ts)
  readonly queryRealtimeAudits: AuditsApi["queryRealtimeAudits"] = (...args) =>
    this.#audits.queryRealtimeAudits(...args);

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
}
