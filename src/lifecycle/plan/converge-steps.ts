import type { HrWorker } from "../hr-event";
import type { Catalog } from "../org";
import type { LeveledRef, ResolvedProfile } from "../profile";
import type { AssignedSnapshot, CurrentUserState, EmployeeState, LeveledAssignment } from "../state";
import { grantKey, type AssignmentDiff } from "./diff";
import type { FieldChange, PlanStep } from "./step";

/** What converge steps are planned with: the org's catalog, the ownership diff, and whether to invite. */
export interface ConvergeContext {
  catalog: Catalog;
  diff: AssignmentDiff;
  /** Send the activation email to a user who has none yet. */
  invite: boolean;
}

/** Joiner, mover, rehire and return from leave: make Genesys match the desired profile. */
export function planConverge(
  context: ConvergeContext,
  mapped: ResolvedProfile,
  employee: EmployeeState,
  worker: HrWorker,
): { steps: PlanStep[]; notes: string[] } {
  const { catalog, diff } = context;
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  const { user, previous } = employee;
  let desired = mapped;
  let current: CurrentUserState;
  if (user === null) {
    steps.push({
      kind: "CREATE_USER",
      name: desired.user.name,
      email: desired.user.email,
      division: desired.division,
      title: desired.user.title,
      department: desired.user.department,
    });
    current = {
      id: "",
      state: "active",
      version: 0,
      name: desired.user.name,
      email: desired.user.email,
      title: desired.user.title,
      department: desired.user.department,
      divisionId: desired.division.id,
      grants: [],
      queueIds: [],
      skills: [],
      languages: [],
      welcomeSent: false,
    };
  } else if (user.state !== "active") {
    steps.push({ kind: "RESTORE_USER", userId: user.id, fromState: user.state, version: user.version });
    desired = withHandAdded(context, desired, employee, notes);
    // Deactivation strips direct grants; a deleted user also comes back in Home. Re-apply the whole profile.
    current = {
      ...user,
      grants: [],
      divisionId: user.state === "deleted" ? catalog.homeDivision.id : user.divisionId,
    };
  } else {
    current = user;
  }

  if (current.divisionId !== desired.division.id) {
    steps.push({
      kind: "MOVE_DIVISION",
      from: catalog.describe("division", current.divisionId),
      to: desired.division,
    });
  }

  const changes = fieldChanges(desired, current, employee, worker, notes);
  if (changes.length > 0) steps.push({ kind: "UPDATE_USER", changes });

  const roles = diff.set(
    "roles",
    desired.grants.map((g) => ({
      key: grantKey({ roleId: g.role.id, divisionId: g.division.id }),
      value: g,
    })),
    diff.currentGrants(current.grants),
    previous?.grants.map(grantKey),
  );
  if (roles.add.length > 0) steps.push({ kind: "GRANT_ROLES", grants: roles.add });
  if (roles.remove.length > 0) steps.push({ kind: "REVOKE_ROLES", grants: roles.remove });

  const queues = diff.set(
    "queues",
    desired.queues.map((q) => ({ key: q.id, value: q })),
    diff.currentQueues(current.queueIds),
    previous?.queueIds,
  );
  if (queues.remove.length > 0) steps.push({ kind: "LEAVE_QUEUES", queues: queues.remove });
  if (queues.add.length > 0) steps.push({ kind: "JOIN_QUEUES", queues: queues.add });

  const skills = diff.leveled("skills", "skill", desired.skills, current.skills, previous?.skillIds);
  if (skills.set.length + skills.remove.length > 0) steps.push({ kind: "SET_SKILLS", ...skills });
  const languages = diff.leveled(
    "languages",
    "language",
    desired.languages,
    current.languages,
    previous?.languageIds,
  );
  if (languages.set.length + languages.remove.length > 0) steps.push({ kind: "SET_LANGUAGES", ...languages });

  if (context.invite && !current.welcomeSent) steps.push({ kind: "INVITE" });
  return { steps, notes };
}

/**
 * Everything this product assigned and may take away from a mover whose new title the mapping does not know
 * (the same rule as a mover's removals, with nothing desired): off queue first so no work arrives meanwhile,
 * then queues, roles, skills and languages. No steps when there is nothing to take away.
 */
export function planWithdraw(
  diff: AssignmentDiff,
  user: CurrentUserState,
  previous: AssignedSnapshot,
): PlanStep[] {
  const queues = diff.set("queues", [], diff.currentQueues(user.queueIds), previous.queueIds).remove;
  const roles = diff.set("roles", [], diff.currentGrants(user.grants), previous.grants.map(grantKey)).remove;
  const skills = diff.leveled("skills", "skill", [], user.skills, previous.skillIds).remove;
  const languages = diff.leveled("languages", "language", [], user.languages, previous.languageIds).remove;
  const steps: PlanStep[] = [{ kind: "STOP_ROUTING" }];
  if (queues.length > 0) steps.push({ kind: "LEAVE_QUEUES", queues });
  if (roles.length > 0) steps.push({ kind: "REVOKE_ROLES", grants: roles });
  if (skills.length > 0) steps.push({ kind: "SET_SKILLS", set: [], remove: skills });
  if (languages.length > 0) steps.push({ kind: "SET_LANGUAGES", set: [], remove: languages });
  return steps.length > 1 ? steps : [];
}

/**
 * A rehire or return brings back what an administrator had added by hand before the leave (in the deactivation
 * snapshot, not assigned by this product), next to the mapped profile. It stays theirs: a later mover keeps it.
 */
function withHandAdded(
  { catalog, diff }: ConvergeContext,
  desired: ResolvedProfile,
  employee: EmployeeState,
  notes: string[],
): ResolvedProfile {
  const snapshot = employee.deactivated;
  if (!snapshot) return desired;
  const assigned = employee.previous;
  const ours = new Set([
    ...(assigned?.grants.map(grantKey) ?? []),
    ...desired.grants.map((g) => grantKey({ roleId: g.role.id, divisionId: g.division.id })),
  ]);
  const known = catalog.knows.bind(catalog);
  const grants = snapshot.grants
    .filter((g) => !ours.has(grantKey(g)) && known("role", g.roleId) && known("division", g.divisionId))
    .map((g) => diff.describeGrant(g));
  const queues = snapshot.queueIds
    .filter((id) => !assigned?.queueIds.includes(id) && !desired.queues.some((q) => q.id === id))
    .filter((id) => known("queue", id))
    .map((id) => catalog.describe("queue", id));
  const leveled = (
    kind: "skill" | "language",
    kept: LeveledAssignment[],
    owned: string[],
    mapped: LeveledRef[],
  ) =>
    kept
      .filter((k) => !owned.includes(k.id) && !mapped.some((m) => m.id === k.id) && known(kind, k.id))
      .map((k) => ({ ...catalog.describe(kind, k.id), proficiency: k.proficiency }));
  const skills = leveled("skill", snapshot.skills, assigned?.skillIds ?? [], desired.skills);
  const languages = leveled("language", snapshot.languages, assigned?.languageIds ?? [], desired.languages);
  const restored = [
    ...grants.map((g) => `role ${g.role.name} in ${g.division.name}`),
    ...queues.map((q) => `queue ${q.name}`),
    ...skills.map((k) => `skill ${k.name}`),
    ...languages.map((l) => `language ${l.name}`),
  ];
  if (restored.length > 0)
    notes.push(`restored as before the leave, where an administrator had added them: ${restored.join(", ")}`);
  return {
    ...desired,
    grants: [...desired.grants, ...grants],
    queues: [...desired.queues, ...queues],
    skills: [...desired.skills, ...skills],
    languages: [...desired.languages, ...languages],
  };
}

function fieldChanges(
  desired: ResolvedProfile,
  current: CurrentUserState,
  employee: EmployeeState,
  worker: HrWorker,
  notes: string[],
): FieldChange[] {
  const changes: FieldChange[] = [];
  const compare = (field: FieldChange["field"], to: string | undefined, from: string | undefined) => {
    // HR leaving a field empty does not clear what Genesys has: an absent value is "no opinion".
    if (to !== undefined && to !== from) changes.push({ field, from, to });
  };
  compare("name", desired.user.name, current.name);
  compare("email", desired.user.email, current.email);
  compare("preferredName", desired.user.preferredName, current.preferredName);
  compare("title", desired.user.title, current.title);
  compare("department", desired.user.department, current.department);
  if (employee.manager !== null) {
    if (employee.manager.id !== current.managerId) {
      changes.push({ field: "manager", from: current.managerId, to: employee.manager.id });
    }
  } else if (worker.managerEmployeeId !== undefined || worker.managerEmail !== undefined) {
    notes.push(
      `manager ${worker.managerEmployeeId ?? worker.managerEmail} has no Genesys user yet: ` +
        "the manager is set when this employee is next converged",
    );
  }
  compare("employeeId", desired.user.employeeId, current.employeeId);
  return changes;
}
