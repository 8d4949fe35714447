/** The subset of Genesys Cloud models the lifecycle reads and writes (names as in the Platform API). */
export type UserState = "active" | "inactive" | "deleted";

export interface DomainEntityRef {
  id: string;
  name?: string;
  selfUri?: string;
}

export interface Contact {
  address?: string;
  display?: string;
  mediaType?: "PHONE" | "EMAIL" | "SMS";
  type?: "PRIMARY" | "WORK" | "WORK2" | "WORK3" | "WORK4" | "HOME" | "MOBILE" | "MAIN";
  extension?: string;
  countryCode?: string;
}

export interface EmployerInfo {
  officialName?: string;
  employeeId?: string;
  employeeType?: string;
  dateHire?: string;
}

export interface User {
  id: string;
  name: string;
  email?: string;
  username?: string;
  state: UserState;
  version: number;
  division?: DomainEntityRef;
  department?: string;
  title?: string;
  manager?: { id: string } | null;
  addresses?: Contact[];
  employerInfo?: EmployerInfo;
  preferredName?: string;
  acdAutoAnswer?: boolean;
  /** With `expand=presence`. */
  presence?: UserPresence;
  selfUri?: string;
  [extra: string]: unknown;
}

export interface CreateUserInput {
  name: string;
  email: string;
  /** Always send it: the Home division when nothing else applies (`getHomeDivision`). */
  divisionId: string;
  state?: Exclude<UserState, "deleted">;
  department?: string;
  title?: string;
  addresses?: Contact[];
  password?: string;
}

/** `PATCH /api/v2/users/{id}`: `version` is the user's current version. No division, skills or languages here. */
export interface UpdateUserInput {
  version: number;
  name?: string;
  email?: string;
  department?: string;
  title?: string;
  preferredName?: string;
  /** Manager's user id. */
  manager?: string;
  addresses?: Contact[];
  employerInfo?: EmployerInfo;
  acdAutoAnswer?: boolean;
}

export interface RoleDivisionGrant {
  roleId: string;
  /** A division id, or `*` for all divisions. */
  divisionId: string;
}

export interface AuthzGrant {
  subjectId?: string;
  division: DomainEntityRef;
  role: DomainEntityRef;
  grantMadeAt?: string;
}

/** One subject holding a role, and the divisions it holds it in (a role's subject-grants listing). */
export interface SubjectDivisionGrants {
  id: string;
  name?: string;
  type?: string;
  divisions: DomainEntityRef[];
}

export interface AuthzSubject {
  id: string;
  name?: string;
  grants: AuthzGrant[];
  version?: number;
}

export interface Role extends DomainEntityRef {
  description?: string;
}

export interface Division extends DomainEntityRef {
  description?: string;
  homeDivision?: boolean;
}

export interface DivisionsPermitted {
  /** True when the permission holds in every division, present and future. */
  allDivisionsPermitted: boolean;
  divisions: Division[];
}

export interface Queue extends DomainEntityRef {
  division?: DomainEntityRef;
  memberCount?: number;
}

export interface UserQueue extends Queue {
  joined?: boolean;
}

export interface QueueMember {
  id: string;
  name?: string;
  joined?: boolean;
  user?: DomainEntityRef;
}

export interface RoutingSkill extends DomainEntityRef {
  state?: string;
}

export interface RoutingLanguage extends DomainEntityRef {
  state?: string;
}

export interface ProficiencyAssignment {
  /** Skill or language id. */
  id: string;
  /** 0.0 – 5.0. */
  proficiency: number;
}

export interface UserRoutingSkill {
  id: string;
  name?: string;
  proficiency: number;
  state?: string;
}

export type RoutingStatusValue = "OFF_QUEUE" | "IDLE" | "INTERACTING" | "NOT_RESPONDING" | "COMMUNICATING";

export interface RoutingStatus {
  userId?: string;
  status: RoutingStatusValue;
  startTime?: string;
}

export interface PresenceDefinition {
  id: string;
  name?: string;
  type?: "System" | "User";
  systemPresence?: string;
  deactivated?: boolean;
}

export interface UserPresence {
  presenceDefinition?: PresenceDefinition;
  message?: string;
  primary?: boolean;
  [extra: string]: unknown;
}

export type ConversationMedia = "calls" | "emails" | "messages" | "callbacks";

/**
 * One live conversation of a user, with the user's own participant in it; or a scheduled callback the user
 * owns, with the participant it waits in.
 */
export interface ActiveInteraction {
  conversationId: string;
  conversationStart?: string;
  participantId: string;
  mediaType: string;
  /** The `/api/v2/conversations/{media}` path family for transfer and disconnect, when the media has one. */
  media: ConversationMedia | undefined;
  /** The queue the interaction came through (the user's segment, else the ACD participant's). */
  queueId?: string;
  /**
   * Set for an agent-owned callback that is not placed yet: nobody is on the line, it waits in its queue for
   * its time and its owner. It is reassigned (`reassignScheduledCallback`), not transferred.
   */
  scheduledCallback?: { scheduledTime?: string };
}

export interface TransferTarget {
  userId?: string;
  queueId?: string;
  address?: string;
}

/** `AuditLogMessage`: one change Genesys audited, who made it (a person, or an OAuth client) and when. */
export interface AuditLogMessage {
  id?: string;
  user?: DomainEntityRef;
  client?: DomainEntityRef;
  serviceName?: string;
  eventDate?: string;
  action?: string;
  entity?: DomainEntityRef;
  entityType?: string;
  propertyChanges?: { property?: string; oldValues?: string[]; newValues?: string[] }[];
  context?: Record<string, string>;
}

/** `AuditRealtimeQueryRequest`, for `POST /api/v2/audits/query/realtime`. */
export interface AuditRealtimeQuery {
  /** ISO-8601 interval `start/end`; Genesys keeps realtime audits for 14 days. */
  interval: string;
  serviceName: string;
  filters?: { property: string; value: string }[];
  sort?: { name: string; sortOrder: "ascending" | "descending" }[];
  pageNumber?: number;
  pageSize?: number;
}
