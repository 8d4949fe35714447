/**
 * The seed: a readable description of the demo contact centre (names, not ids), turned into emulator state.
 * Entities refer to each other by name; ids are derived from names so they are stable across resets.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { newId, stableId } from "./ids";
import {
  emptyState,
  type Conversation,
  type ConversationParticipant,
  type EmulatorState,
  type MediaType,
  type RoutingStatusValue,
  type UserRecord,
  type UserState,
} from "./state";

export interface SeedDocument {
  organization?: { name?: string };
  divisions: { name: string; description?: string; home?: boolean }[];
  roles: { name: string; description?: string; permissions: string[] }[];
  oauthClients: {
    id: string;
    secret: string;
    name?: string;
    grants: { role: string; division: string }[];
    /** The email of the person its tokens act for (audits name them); none for a plain integration. */
    user?: string;
  }[];
  queues: { name: string; division: string; description?: string }[];
  skills: string[];
  languages: string[];
  presenceDefinitions: { systemPresence: string; label?: string }[];
  users?: SeedUser[];
  interactions?: SeedInteraction[];
}

export interface SeedUser {
  name: string;
  email: string;
  division?: string;
  state?: UserState;
  title?: string;
  department?: string;
  employeeId?: string;
  manager?: string;
  roles?: { role: string; division?: string }[];
  queues?: string[];
  skills?: Record<string, number>;
  languages?: Record<string, number>;
  presence?: string;
  routingStatus?: RoutingStatusValue;
}

export interface SeedInteraction {
  mediaType: MediaType;
  agent: string;
  queue?: string;
  customer?: string;
  startedMinutesAgo?: number;
}

/** The demo contact centre shipped with the emulator. */
export const DEFAULT_SEED_PATH = path.join(__dirname, "seed.yaml");

export function readSeedFile(file: string = DEFAULT_SEED_PATH): SeedDocument {
  return parseSeed(fs.readFileSync(file, "utf8"));
}

/** Parses a seed written as YAML or JSON (JSON is YAML). */
export function parseSeed(text: string): SeedDocument {
  const doc = YAML.parse(text) as SeedDocument | null;
  if (!doc || typeof doc !== "object") throw new Error("The seed is empty or not an object");
  return doc;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Seed refers to unknown ${what}`);
  return value;
}

function byName<T extends { name: string; id: string }>(map: Map<string, T>, name: string, what: string): T {
  return required(
    [...map.values()].find((e) => e.name === name),
    `${what} '${name}'`,
  );
}

/** Builds fresh emulator state from a seed; throws naming the first dangling reference. */
export function buildState(seed: SeedDocument, now: Date = new Date()): EmulatorState {
  const lists = [
    "divisions",
    "roles",
    "oauthClients",
    "queues",
    "skills",
    "languages",
    "presenceDefinitions",
  ] as const;
  for (const key of lists)
    if (!Array.isArray(seed[key])) throw new Error(`The seed needs a list of ${key} (it may be empty)`);
  for (const key of ["users", "interactions"] as const)
    if (seed[key] !== undefined && !Array.isArray(seed[key]))
      throw new Error(`The seed's ${key} must be a list`);
  const state = emptyState();
  const at = now.toISOString();
  state.organization = {
    id: stableId("org", seed.organization?.name ?? "demo"),
    name: seed.organization?.name ?? "Demo",
  };

  if (seed.divisions.filter((d) => d.home).length !== 1)
    throw new Error("The seed needs exactly one home division");
  for (const d of seed.divisions) {
    const id = stableId("division", d.name);
    state.divisions.set(id, {
      id,
      name: d.name,
      description: d.description ?? "",
      homeDivision: d.home === true,
    });
  }
  for (const r of seed.roles) {
    const id = stableId("role", r.name);
    state.roles.set(id, {
      id,
      name: r.name,
      description: r.description ?? "",
      permissions: r.permissions,
      default: false,
    });
  }
  const divisionIdOf = (name: string) => (name === "*" ? "*" : byName(state.divisions, name, "division").id);
  for (const c of seed.oauthClients) {
    state.clients.set(c.id, {
      id: c.id,
      secret: c.secret,
      name: c.name ?? c.id,
      roleDivisions: c.grants.map((g) => ({
        roleId: byName(state.roles, g.role, "role").id,
        divisionId: divisionIdOf(g.division),
      })),
    });
  }
  for (const q of seed.queues) {
    const id = stableId("queue", q.name);
    state.queues.set(id, {
      id,
      name: q.name,
      divisionId: byName(state.divisions, q.division, "division").id,
      description: q.description ?? "",
      dateCreated: at,
      members: new Map(),
    });
  }
  for (const name of seed.skills)
    state.skills.set(stableId("skill", name), { id: stableId("skill", name), name, dateModified: at });
  for (const name of seed.languages)
    state.languages.set(stableId("language", name), {
      id: stableId("language", name),
      name,
      dateModified: at,
    });
  for (const p of seed.presenceDefinitions) {
    const id = stableId("presence", p.systemPresence);
    state.presenceDefinitions.set(id, {
      id,
      systemPresence: p.systemPresence,
      label: p.label ?? p.systemPresence,
      type: "System",
      deactivated: false,
    });
  }
  addUsers(state, seed.users ?? [], now);
  for (const c of seed.oauthClients) {
    if (!c.user) continue;
    const person = [...state.users.values()].find((x) => x.email.toLowerCase() === c.user!.toLowerCase());
    state.clients.get(c.id)!.userId = required(person, `user '${c.user}' of OAuth client ${c.id}`).id;
  }
  for (const i of seed.interactions ?? []) {
    const agent = required(
      [...state.users.values()].find((x) => x.email.toLowerCase() === i.agent.toLowerCase()),
      `agent '${i.agent}'`,
    );
    const queueId = i.queue ? byName(state.queues, i.queue, "queue").id : undefined;
    const started = new Date(now.getTime() - (i.startedMinutesAgo ?? 5) * 60_000);
    const conversation = createConversation(state, {
      mediaType: i.mediaType,
      agentId: agent.id,
      queueId,
      customer: i.customer,
      startTime: started,
    });
    state.conversations.set(conversation.id, conversation);
  }
  return state;
}

/**
 * Adds the seed's users to an organisation (a seed's own, or one already running: the admin API's bulk add),
 * with their roles, queues, skills and languages, and links their managers. Ids derive from the email, so an
 * email already in the organisation is refused. All or nothing: every reference is resolved before the first
 * user is added. Returns the users added.
 */
export function addUsers(
  state: EmulatorState,
  users: readonly SeedUser[],
  now: Date = new Date(),
): UserRecord[] {
  const at = now.toISOString();
  const divisionIdOf = (name: string) => (name === "*" ? "*" : byName(state.divisions, name, "division").id);
  const presenceId = (systemPresence: string) =>
    required(
      [...state.presenceDefinitions.values()].find((p) => p.systemPresence === systemPresence),
      `presence '${systemPresence}'`,
    ).id;
  const home = [...state.divisions.values()].find((d) => d.homeDivision)!;
  const added = users.map((u) => {
    if (typeof u.email !== "string" || typeof u.name !== "string")
      throw new Error("A seed user needs a name and an email");
    const id = stableId("user", u.email.toLowerCase());
    if (state.users.has(id)) throw new Error(`The organisation already has a user ${u.email}`);
    const userState = u.state ?? "active";
    const user: UserRecord = {
      id,
      name: u.name,
      email: u.email,
      divisionId: userState === "deleted" ? home.id : divisionIdOf(u.division ?? home.name),
      state: userState,
      version: 1,
      addresses: [],
      acdAutoAnswer: false,
      dateCreated: at,
      dateModified: at,
      grants:
        userState === "active"
          ? (u.roles ?? []).map((g) => ({
              roleId: byName(state.roles, g.role, "role").id,
              divisionId: divisionIdOf(g.division ?? home.name),
              grantMadeAt: at,
            }))
          : [],
      skills: new Map(
        Object.entries(u.skills ?? {}).map(([n, p]) => [byName(state.skills, n, "skill").id, p]),
      ),
      languages: new Map(
        Object.entries(u.languages ?? {}).map(([n, p]) => [byName(state.languages, n, "language").id, p]),
      ),
      presence: { definitionId: presenceId(u.presence ?? "Offline"), message: "", modifiedDate: at },
      routingStatus: { status: u.routingStatus ?? "OFF_QUEUE", startTime: at },
      tokenRevocations: 0,
    };
    if (u.title !== undefined) user.title = u.title;
    if (u.department !== undefined) user.department = u.department;
    if (u.employeeId !== undefined) user.employerInfo = { employeeId: u.employeeId };
    const queues = (u.queues ?? []).map((name) => byName(state.queues, name, "queue"));
    return { user, queues };
  });
  const byEmail = new Map(
    [...state.users.values(), ...added.map((a) => a.user)].map((x) => [x.email.toLowerCase(), x]),
  );
  const managerIds = users.map((u) =>
    u.manager ? required(byEmail.get(u.manager.toLowerCase()), `manager '${u.manager}'`).id : undefined,
  );
  for (const [i, { user, queues }] of added.entries()) {
    if (managerIds[i] !== undefined) user.managerId = managerIds[i];
    state.users.set(user.id, user);
    for (const queue of queues) queue.members.set(user.id, true);
  }
  return added.map((a) => a.user);
}

/**
 * A live two-party interaction (customer ↔ agent), routed through a queue when one is given; or, for a callback
 * with a `scheduledTime`, an agent-owned callback waiting in its queue for that time and that agent.
 */
export function createConversation(
  state: EmulatorState,
  input: {
    mediaType: MediaType;
    agentId: string;
    queueId?: string | undefined;
    customer?: string | undefined;
    startTime?: Date;
    scheduledTime?: Date | undefined;
  },
): Conversation {
  const start = (input.startTime ?? new Date()).toISOString();
  const agent = required(state.users.get(input.agentId), `agent '${input.agentId}'`);
  const queue = input.queueId
    ? required(state.queues.get(input.queueId), `queue '${input.queueId}'`)
    : undefined;
  const customer = input.customer ?? "Customer";
  const address =
    input.mediaType === "voice" || input.mediaType === "callback"
      ? "tel:+353100000000"
      : input.mediaType === "email"
        ? "customer@example.net"
        : "+353100000000";
  const base = {
    id: newId(),
    mediaType: input.mediaType,
    startTime: start,
    divisionIds: [queue ? queue.divisionId : agent.divisionId],
    ...(input.mediaType === "callback" ? { callback: { numbers: [address.replace(/^tel:/, "")] } } : {}),
  };
  const customerLeg: ConversationParticipant = {
    id: newId(),
    purpose: "customer",
    name: customer,
    address,
    state: "connected",
    startTime: start,
    sessionId: newId(),
  };
  if (input.mediaType === "callback" && input.scheduledTime) {
    // Nobody is connected yet: the customer and the queue wait for the scheduled time and the owner.
    if (!queue) throw new Error("A scheduled callback needs the queue it waits in");
    return {
      ...base,
      callback: {
        numbers: [address.replace(/^tel:/, "")],
        scheduledTime: input.scheduledTime.toISOString(),
        ownerId: agent.id,
      },
      participants: [
        { ...customerLeg, state: "scheduled" },
        {
          id: newId(),
          purpose: "acd",
          name: queue.name,
          queueId: queue.id,
          state: "scheduled",
          startTime: start,
          sessionId: newId(),
        },
      ],
    };
  }
  return {
    ...base,
    participants: [
      customerLeg,
      ...(queue
        ? [
            {
              id: newId(),
              purpose: "acd" as const,
              name: queue.name,
              queueId: queue.id,
              state: "disconnected" as const,
              startTime: start,
              endTime: start,
              disconnectType: "transfer" as const,
              sessionId: newId(),
            },
          ]
        : []),
      {
        id: newId(),
        purpose: "agent",
        name: agent.name,
        userId: agent.id,
        ...(queue ? { queueId: queue.id } : {}),
        state: "connected",
        startTime: start,
        sessionId: newId(),
      },
    ],
  };
}
