/**
 * The emulator's own control surface, for tests and demos: in process (`GenesysEmulatorAdmin`, returned by
 * `startGenesysEmulator`) and over HTTP under `/emulator/` (same operations, JSON in and out). Nothing here is
 * rate limited, faulted, authenticated or counted.
 */
import type { Emulator, RequestLogEntry } from "./emulator";
import type { FaultSettings } from "./faults";
import type { RateLimitSettings } from "./rate-limit";
import { addUsers, createConversation, parseSeed, type SeedDocument, type SeedUser } from "./seed";
import type { MediaType, UserRecord } from "./state";
import {
  conversationView,
  disconnectParticipant,
  transferParticipant,
  type ConversationView,
} from "./conversations";

export interface UserFullState {
  id: string;
  name: string;
  email: string;
  state: string;
  version: number;
  division: { id: string; name: string };
  title?: string | undefined;
  department?: string | undefined;
  employerInfo?: Record<string, unknown> | undefined;
  managerId?: string | undefined;
  grants: { roleId: string; roleName: string; divisionId: string; divisionName: string }[];
  queues: { id: string; name: string; joined: boolean }[];
  skills: { id: string; name: string; proficiency: number }[];
  languages: { id: string; name: string; proficiency: number }[];
  presence: { definitionId: string; systemPresence: string; message: string };
  routingStatus: string;
  interactions: { conversationId: string; participantId: string; mediaType: MediaType; state: string }[];
  /** Scheduled callbacks this user owns (agent-owned callbacks waiting for their time and this agent). */
  ownedCallbacks: { conversationId: string; scheduledTime: string; queueId?: string | undefined }[];
  dateWelcomeSent?: string | undefined;
  tokenRevocations: number;
}

export interface AddInteractionInput {
  mediaType: MediaType;
  /** The agent's user id or email. */
  agent: string;
  /** Queue id or name; the conversation's division is the queue's (the agent's without one). */
  queue?: string;
  customer?: string;
  /**
   * Callbacks only: when the callback is to be placed (ISO date-time). The callback then waits in its queue
   * (required) as an agent-owned callback of `agent`, instead of being live with the agent now.
   */
  scheduledAt?: string;
}

export interface EndpointCounters {
  total: number;
  byEndpoint: Record<string, number>;
  /** By HTTP status; 0 counts dropped connections. */
  byStatus: Record<string, number>;
}

export class GenesysEmulatorAdmin {
  constructor(private readonly emulator: Emulator) {}

  /**
   * Back to the last loaded seed, no faults, empty log and counters, fresh rate windows. Limits and issued
   * tokens stay as they are.
   */
  reset(): void {
    this.emulator.reset();
  }

  /**
   * Replaces the organisation with one built from this seed (an object, or YAML/JSON text); without one, from
   * the seed the emulator started with. Later resets return to it.
   */
  loadSeed(seed?: SeedDocument | string): void {
    this.emulator.loadSeed(
      seed === undefined ? this.emulator.startSeed : typeof seed === "string" ? parseSeed(seed) : seed,
    );
  }

  /**
   * Adds users to the organisation as it is, written as a seed's users are (names, not ids), with their roles,
   * queues, skills and languages: for setting up a large organisation without creating each user through the
   * API. Nothing is counted or rate limited; every reference is checked before anyone is added.
   */
  addUsers(users: SeedUser[]): UserFullState[] {
    if (!Array.isArray(users)) throw new Error("Send a list of users, written as a seed's users are");
    const added = addUsers(this.emulator.state, users);
    // Searchable at once, as users who were there before the emulator started.
    for (const user of added) this.emulator.index.record(user, 0);
    return added.map((u) => this.userState(u));
  }

  users(filter: { email?: string; state?: string } = {}): UserFullState[] {
    return [...this.emulator.state.users.values()]
      .filter((u) => !filter.email || u.email.toLowerCase() === filter.email.toLowerCase())
      .filter((u) => !filter.state || u.state === filter.state)
      .map((u) => this.userState(u));
  }

  user(idOrEmail: string): UserFullState | undefined {
    const { state } = this.emulator;
    const user =
      state.users.get(idOrEmail) ??
      [...state.users.values()].find((u) => u.email.toLowerCase() === idOrEmail.toLowerCase());
    return user && this.userState(user);
  }

  private userState(u: UserRecord): UserFullState {
    const { state } = this.emulator;
    const def = state.presenceDefinitions.get(u.presence.definitionId);
    return {
      id: u.id,
      name: u.name,
      email: u.email,
      state: u.state,
      version: u.version,
      division: { id: u.divisionId, name: state.divisions.get(u.divisionId)?.name ?? u.divisionId },
      title: u.title,
      department: u.department,
      employerInfo: u.employerInfo,
      managerId: u.managerId,
      grants: u.grants.map((g) => ({
        roleId: g.roleId,
        roleName: state.roles.get(g.roleId)?.name ?? g.roleId,
        divisionId: g.divisionId,
        divisionName: g.divisionId === "*" ? "*" : (state.divisions.get(g.divisionId)?.name ?? g.divisionId),
      })),
      queues: [...state.queues.values()]
        .filter((q) => q.members.has(u.id))
        .map((q) => ({ id: q.id, name: q.name, joined: q.members.get(u.id)! })),
      skills: [...u.skills].map(([id, proficiency]) => ({
        id,
        name: state.skills.get(id)?.name ?? id,
        proficiency,
      })),
      languages: [...u.languages].map(([id, proficiency]) => ({
        id,
        name: state.languages.get(id)?.name ?? id,
        proficiency,
      })),
      presence: {
        definitionId: u.presence.definitionId,
        systemPresence: def?.systemPresence ?? "",
        message: u.presence.message,
      },
      routingStatus: u.routingStatus.status,
      interactions: [...state.conversations.values()].flatMap((c) =>
        c.participants
          .filter((p) => p.userId === u.id && p.state === "connected" && !c.endTime)
          .map((p) => ({
            conversationId: c.id,
            participantId: p.id,
            mediaType: c.mediaType,
            state: p.state,
          })),
      ),
      ownedCallbacks: [...state.conversations.values()]
        .filter((c) => !c.endTime && c.callback?.ownerId === u.id && c.callback.scheduledTime)
        .map((c) => ({
          conversationId: c.id,
          scheduledTime: c.callback!.scheduledTime!,
          queueId: c.participants.find((p) => p.purpose === "acd" && p.state === "scheduled")?.queueId,
        })),
      dateWelcomeSent: u.dateWelcomeSent,
      tokenRevocations: u.tokenRevocations,
    };
  }

  /** Starts a live interaction (customer ↔ agent) and returns it as `GET /api/v2/conversations/{id}` would. */
  addInteraction(input: AddInteractionInput): ConversationView {
    const { state } = this.emulator;
    const agent =
      state.users.get(input.agent) ??
      [...state.users.values()].find((u) => u.email.toLowerCase() === input.agent.toLowerCase());
    if (!agent || agent.state !== "active") throw new Error(`No active agent ${input.agent}`);
    if (!["voice", "email", "message", "callback"].includes(input.mediaType))
      throw new Error(`mediaType must be voice, email, message or callback`);
    if (
      input.scheduledAt !== undefined &&
      (input.mediaType !== "callback" || Number.isNaN(Date.parse(input.scheduledAt)))
    )
      throw new Error("scheduledAt is for callbacks only, as an ISO date-time");
    let queueId: string | undefined;
    if (input.queue) {
      const queue =
        state.queues.get(input.queue) ?? [...state.queues.values()].find((q) => q.name === input.queue);
      if (!queue) throw new Error(`No queue ${input.queue}`);
      queueId = queue.id;
    }
    const conversation = createConversation(state, {
      mediaType: input.mediaType,
      agentId: agent.id,
      queueId,
      customer: input.customer,
      scheduledTime: input.scheduledAt === undefined ? undefined : new Date(input.scheduledAt),
    });
    state.conversations.set(conversation.id, conversation);
    return conversationView(conversation);
  }

  /** Conversations, optionally only live ones and only those a user takes part in or owns (a callback). */
  interactions(filter: { userId?: string; active?: boolean } = {}): ConversationView[] {
    return [...this.emulator.state.conversations.values()]
      .filter((c) => filter.active === undefined || filter.active === !c.endTime)
      .filter(
        (c) =>
          !filter.userId ||
          c.callback?.ownerId === filter.userId ||
          c.participants.some((p) => p.userId === filter.userId),
      )
      .map(conversationView);
  }

  /** Sets a user inactive, as an administrator in Genesys Cloud would (its interactions stay as they are). */
  deactivateUser(idOrEmail: string): void {
    const { state } = this.emulator;
    const user =
      state.users.get(idOrEmail) ??
      [...state.users.values()].find((u) => u.email.toLowerCase() === idOrEmail.toLowerCase());
    if (!user) throw new Error(`No user ${idOrEmail}`);
    user.state = "inactive";
    this.emulator.userChanged(user);
  }

  /**
   * Replaces the roles an OAuth client holds per division (role and division by name, division "*" for all), as
   * an administrator editing the client in Genesys Cloud would; its tokens carry the new roles at once.
   */
  setClientGrants(clientId: string, grants: { role: string; division: string }[]): void {
    const { state } = this.emulator;
    const client = state.clients.get(clientId);
    if (!client) throw new Error(`No OAuth client ${clientId}`);
    client.roleDivisions = grants.map((g) => {
      const role = [...state.roles.values()].find((r) => r.name === g.role);
      const division = [...state.divisions.values()].find((d) => d.name === g.division);
      if (!role) throw new Error(`No role ${g.role}`);
      if (g.division !== "*" && !division) throw new Error(`No division ${g.division}`);
      return { roleId: role.id, divisionId: division?.id ?? "*" };
    });
  }

  /**
   * Runs `action` once, right after the next API request matching `request` has been answered: a way to make
   * something happen between two calls of a client (a manager deactivated between being chosen and being
   * transferred to). In process only.
   */
  afterNextRequest(request: { method?: string; path: RegExp }, action: () => void): void {
    this.emulator.afterRequest.push({ ...request, action });
  }

  /** Ends or transfers an interaction from the outside (as the customer or another agent would). */
  endInteraction(conversationId: string): void {
    const c = this.emulator.state.conversations.get(conversationId);
    if (!c) throw new Error(`No conversation ${conversationId}`);
    for (const p of c.participants) disconnectParticipant(c, p);
  }

  transferInteraction(conversationId: string, participantId: string, userId: string): void {
    const c = this.emulator.state.conversations.get(conversationId);
    const p = c?.participants.find((x) => x.id === participantId);
    if (!c || !p) throw new Error(`No participant ${participantId} in conversation ${conversationId}`);
    transferParticipant(this.emulator.state, c, p, userId);
  }

  faults(): FaultSettings {
    return { ...this.emulator.faults };
  }

  setFaults(update: Partial<FaultSettings>): FaultSettings {
    return { ...this.emulator.setFaults(update) };
  }

  clearFaults(): FaultSettings {
    return { ...this.emulator.clearFaults() };
  }

  limits(): RateLimitSettings {
    return { ...this.emulator.limiter.settings };
  }

  setLimits(update: Partial<RateLimitSettings>): RateLimitSettings {
    return { ...this.emulator.setLimits(update) };
  }

  /** Every issued token (or one client's) answers 401 from now on; returns how many were invalidated. */
  invalidateTokens(clientId?: string): number {
    return this.emulator.invalidateTokens(clientId);
  }

  requests(filter: { endpoint?: string; since?: string } = {}): RequestLogEntry[] {
    return this.emulator.requestLog.filter(
      (r) => (!filter.endpoint || r.endpoint === filter.endpoint) && (!filter.since || r.at >= filter.since),
    );
  }

  /** API calls per endpoint (`METHOD /api/v2/template`), the token endpoint included. */
  counters(): EndpointCounters {
    const byEndpoint = Object.fromEntries([...this.emulator.counters].sort(([a], [b]) => a.localeCompare(b)));
    const byStatus = Object.fromEntries([...this.emulator.statusCounters].sort(([a], [b]) => a - b));
    return { total: Object.values(byEndpoint).reduce((a, b) => a + b, 0), byEndpoint, byStatus };
  }

  clearRequests(): void {
    this.emulator.clearRequestLog();
  }
}

export interface AdminReply {
  status: number;
  body?: unknown;
}

/** The HTTP face of the admin API. `path` is below `/emulator`. */
export function handleAdmin(
  admin: GenesysEmulatorAdmin,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  rawBody: string,
): AdminReply {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  const userMatch = /^GET \/users\/([^/]+)$/.exec(route);
  if (userMatch) {
    const user = admin.user(decodeURIComponent(userMatch[1]));
    return user ? { status: 200, body: user } : { status: 404, body: { message: `No user ${userMatch[1]}` } };
  }
  const endMatch = /^POST \/interactions\/([^/]+)\/end$/.exec(route);
  if (endMatch) {
    admin.endInteraction(endMatch[1]);
    return { status: 204 };
  }
  const clientMatch = /^PUT \/clients\/([^/]+)\/grants$/.exec(route);
  if (clientMatch) {
    if (!Array.isArray(body)) throw new Error("the body must be a list of { role, division }");
    admin.setClientGrants(decodeURIComponent(clientMatch[1]), body as { role: string; division: string }[]);
    return { status: 204 };
  }
  const obj = (body ?? {}) as Record<string, unknown>;
  switch (route) {
    case "POST /reset":
      admin.reset();
      return { status: 204 };
    case "POST /seed":
      admin.loadSeed(
        typeof body === "object" && body !== null
          ? (body as SeedDocument)
          : rawBody.trim() === ""
            ? undefined
            : rawBody,
      );
      return { status: 204 };
    case "GET /users":
      return {
        status: 200,
        body: admin.users({
          email: query.get("email") ?? undefined,
          state: query.get("state") ?? undefined,
        }),
      };
    case "POST /users":
      return { status: 201, body: admin.addUsers(body as SeedUser[]) };
    case "GET /interactions":
      return {
        status: 200,
        body: admin.interactions({
          ...(query.get("userId") ? { userId: query.get("userId")! } : {}),
          ...(query.get("active") ? { active: query.get("active") === "true" } : {}),
        }),
      };
    case "POST /interactions":
      return { status: 201, body: admin.addInteraction(obj as unknown as AddInteractionInput) };
    case "GET /faults":
      return { status: 200, body: admin.faults() };
    case "PUT /faults":
    case "PATCH /faults":
      return { status: 200, body: admin.setFaults(obj) };
    case "DELETE /faults":
      return { status: 200, body: admin.clearFaults() };
    case "GET /limits":
      return { status: 200, body: admin.limits() };
    case "PUT /limits":
    case "PATCH /limits":
      return { status: 200, body: admin.setLimits(obj) };
    case "POST /tokens/invalidate":
      return {
        status: 200,
        body: {
          invalidated: admin.invalidateTokens(typeof obj.clientId === "string" ? obj.clientId : undefined),
        },
      };
    case "GET /requests":
      return {
        status: 200,
        body: admin.requests({
          ...(query.get("endpoint") ? { endpoint: query.get("endpoint")! } : {}),
          ...(query.get("since") ? { since: query.get("since")! } : {}),
        }),
      };
    case "DELETE /requests":
      admin.clearRequests();
      return { status: 204 };
    case "GET /counters":
      return { status: 200, body: admin.counters() };
    default:
      return { status: 404, body: { message: `No admin route ${route}` } };
  }
}
