/**
 * The emulator's in-memory organisation: every entity the Platform API surface reads or writes. Handlers
 * change it directly; the search index (see `search-index.ts`) keeps its own, possibly stale, copy of users.
 */

export type UserState = "active" | "inactive" | "deleted";
export type RoutingStatusValue = "OFF_QUEUE" | "IDLE" | "INTERACTING" | "NOT_RESPONDING" | "COMMUNICATING";
export type MediaType = "voice" | "email" | "message" | "callback";

export interface Division {
  id: string;
  name: string;
  description: string;
  homeDivision: boolean;
}

export interface Role {
  id: string;
  name: string;
  description: string;
  /** `domain:entity:action`; any segment may be `*`. */
  permissions: string[];
  default: boolean;
}

/** A role granted in a division; `divisionId` "*" means every division, present and future. */
export interface Grant {
  roleId: string;
  divisionId: string;
  grantMadeAt: string;
}

export interface OAuthClient {
  id: string;
  secret: string;
  name: string;
  roleDivisions: { roleId: string; divisionId: string }[];
  /** The person its tokens act for (a token a person signed in for), when there is one; audits name them. */
  userId?: string;
}

export interface Queue {
  id: string;
  name: string;
  divisionId: string;
  description: string;
  dateCreated: string;
  /** userId → joined */
  members: Map<string, boolean>;
}

export interface NamedEntity {
  id: string;
  name: string;
  dateModified: string;
}

export interface PresenceDefinition {
  id: string;
  systemPresence: string;
  label: string;
  type: "System" | "User";
  deactivated: boolean;
}

export interface UserPresenceState {
  definitionId: string;
  message: string;
  modifiedDate: string;
}

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  divisionId: string;
  state: UserState;
  version: number;
  title?: string;
  department?: string;
  preferredName?: string;
  managerId?: string;
  addresses: Record<string, unknown>[];
  employerInfo?: Record<string, unknown>;
  acdAutoAnswer: boolean;
  dateCreated: string;
  dateModified: string;
  dateWelcomeSent?: string;
  grants: Grant[];
  /** skillId → proficiency */
  skills: Map<string, number>;
  /** languageId → proficiency */
  languages: Map<string, number>;
  presence: UserPresenceState;
  routingStatus: { status: RoutingStatusValue; startTime: string };
  /** Sessions revoked through `DELETE /api/v2/tokens/{userId}`. */
  tokensRevokedAt?: string;
  tokenRevocations: number;
}

export interface ConversationParticipant {
  id: string;
  purpose: "customer" | "agent" | "acd" | "external";
  name: string;
  userId?: string;
  queueId?: string;
  address?: string;
  /** `scheduled`: a callback waiting for its time (the customer and the queue both wait for it). */
  state: "connected" | "disconnected" | "scheduled";
  startTime: string;
  endTime?: string;
  disconnectType?: "client" | "transfer" | "peer" | "endpoint";
  /** The session id, stable across the participant's life. */
  sessionId: string;
}

/** What a callback conversation carries besides its participants. */
export interface CallbackDetails {
  numbers: string[];
  /** When the callback is to be placed; absent once it has been placed (or for an immediate one). */
  scheduledTime?: string;
  /** The agent who owns it (an agent-owned callback): routing waits for this agent. */
  ownerId?: string;
}

export interface Conversation {
  id: string;
  mediaType: MediaType;
  startTime: string;
  endTime?: string;
  divisionIds: string[];
  participants: ConversationParticipant[];
  callback?: CallbackDetails;
}

export interface PropertyChange {
  property: string;
  oldValues: string[];
  newValues: string[];
}

/** One change the audit recorded (see `audits.ts`). */
export interface AuditRecord {
  id: string;
  serviceName: "Directory" | "PeoplePermissions" | "Routing";
  eventDate: string;
  action: string;
  entityType: "User" | "Queue";
  entity: { id: string; name: string };
  clientId: string;
  userId?: string;
  propertyChanges: PropertyChange[];
  context: Record<string, string>;
}

export interface EmulatorState {
  organization: { id: string; name: string };
  divisions: Map<string, Division>;
  roles: Map<string, Role>;
  clients: Map<string, OAuthClient>;
  queues: Map<string, Queue>;
  skills: Map<string, NamedEntity>;
  languages: Map<string, NamedEntity>;
  presenceDefinitions: Map<string, PresenceDefinition>;
  users: Map<string, UserRecord>;
  conversations: Map<string, Conversation>;
  /** Audit messages in the order the changes were made. */
  audits: AuditRecord[];
}

export function emptyState(): EmulatorState {
  return {
    organization: { id: "", name: "" },
    divisions: new Map(),
    roles: new Map(),
    clients: new Map(),
    queues: new Map(),
    skills: new Map(),
    languages: new Map(),
    presenceDefinitions: new Map(),
    users: new Map(),
    conversations: new Map(),
    audits: [],
  };
}

export function homeDivision(state: EmulatorState): Division {
  for (const division of state.divisions.values()) if (division.homeDivision) return division;
  throw new Error("The seed has no home division");
}

export function offlineDefinition(state: EmulatorState): PresenceDefinition | undefined {
  for (const def of state.presenceDefinitions.values()) if (def.systemPresence === "Offline") return def;
  return undefined;
}

export function findUserByEmail(state: EmulatorState, email: string): UserRecord | undefined {
  const wanted = email.trim().toLowerCase();
  for (const user of state.users.values()) if (user.email.toLowerCase() === wanted) return user;
  return undefined;
}
