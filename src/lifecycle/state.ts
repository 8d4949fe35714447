import type { HrWorker } from "./hr-event";
import type { Ref } from "./org";

/** A role granted in a division; `divisionId` "*" is the all-divisions grant. */
export interface RoleGrant {
  roleId: string;
  divisionId: string;
}

export interface LeveledAssignment {
  id: string;
  proficiency: number;
}

/** A Genesys user as the plan sees it: ids, as Genesys returns them. */
export interface CurrentUserState {
  id: string;
  state: "active" | "inactive" | "deleted";
  version: number;
  name: string;
  email: string;
  preferredName?: string;
  title?: string;
  department?: string;
  divisionId: string;
  managerId?: string;
  /** `employerInfo.employeeId`: the HR employee id this product matches on first. */
  employeeId?: string;
  grants: RoleGrant[];
  queueIds: string[];
  skills: LeveledAssignment[];
  languages: LeveledAssignment[];
  /** Whether Genesys has sent the activation email (`dateWelcomeSent`). */
  welcomeSent: boolean;
}

/**
 * What this product assigned last time (from the audit trail): the only values a mover may take away, unless
 * the mapping owns the attribute outright.
 */
export interface AssignedSnapshot {
  mappingVersion?: number;
  grants: RoleGrant[];
  queueIds: string[];
  skillIds: string[];
  languageIds: string[];
}

/**
 * The whole profile as it was when the leaver deactivated the user (Genesys strips roles from inactive users and
 * the leaver takes them out of their queues): what a rehire or return brings back.
 */
export interface DeactivationSnapshot {
  divisionId: string;
  grants: RoleGrant[];
  queueIds: string[];
  skills: LeveledAssignment[];
  languages: LeveledAssignment[];
}

/** Everything the plan needs to know about one employee besides the mapping. */
export interface EmployeeState {
  /** The Genesys user found by employee id then email, in any state; null when there is none. */
  user: CurrentUserState | null;
  previous: AssignedSnapshot | null;
  /** Saved by the leaver at deactivation; absent for someone who never left. */
  deactivated?: DeactivationSnapshot | null;
  /** The manager's Genesys user, when the worker names one and it exists. */
  manager: Ref | null;
}

/**
 * Reads current Genesys state for planning. Implemented over the Genesys client (user search in all states, GET
 * with expands, subject grants, user queues) and the audit trail; tests use an in-memory one.
 */
export interface CurrentStateReader {
  /** One entry per worker, keyed by employee id. */
  read(workers: readonly HrWorker[]): Promise<Map<string, EmployeeState>>;
  /** The workers this product manages, for a mapping-change dry run. */
  listWorkers(): Promise<HrWorker[]>;
}
