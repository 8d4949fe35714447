import type { HrEventType, HrWorker } from "./hr-event";
import type { Mapping, OwnableAttribute, TransferTarget } from "./mapping";
import { ProfileMatcher } from "./match";
import type { Catalog, CatalogKind, Ref } from "./org";
import {
  desiredProfile,
  resolveProfile,
  type LeveledRef,
  type MissingName,
  type ResolvedGrant,
  type ResolvedProfile,
} from "./profile";
import type {
  AssignedSnapshot,
  CurrentUserState,
  EmployeeState,
  LeveledAssignment,
  RoleGrant,
} from "./state";

/**
 * plan = diff(desired, current, previously assigned) → ordered steps. Steps carry ids for the activities and
 * names for people reading a dry run or an audit record. The order is the order they must be applied in:
 * the user exists and is active, sits in the right division, has its fields, gains its new roles before losing
 * old ones (no window without permissions), leaves old queues before joining new ones (no work from the old
 * job after the move), then skills and languages; the invitation goes last, once the user is production-ready.
 */
export type PlanStep =
  | { kind: "CREATE_USER"; name: string; email: string; division: Ref; title: string; department?: string }
  | { kind: "RESTORE_USER"; userId: string; fromState: "inactive" | "deleted"; version: number }
  | { kind: "MOVE_DIVISION"; from: Ref; to: Ref }
  | { kind: "UPDATE_USER"; changes: FieldChange[] }
  | { kind: "GRANT_ROLES"; grants: ResolvedGrant[] }
  | { kind: "REVOKE_ROLES"; grants: ResolvedGrant[] }
  | { kind: "LEAVE_QUEUES"; queues: Ref[] }
  | { kind: "JOIN_QUEUES"; queues: Ref[] }
  | { kind: "SET_SKILLS"; set: LeveledChange[]; remove: Ref[] }
  | { kind: "SET_LANGUAGES"; set: LeveledChange[]; remove: Ref[] }
  | { kind: "INVITE" }
  | { kind: "SET_OFF_QUEUE" }
  /** Routing status OFF_QUEUE only: a mover the mapping no longer knows stays at work, off the queues. */
  | { kind: "STOP_ROUTING" }
  | {
      kind: "DRAIN_INTERACTIONS";
      transferTo: TransferTarget;
      fallback: TransferTarget;
      target?: TransferTargetRef;
    }
  | { kind: "SNAPSHOT_PROFILE" }
  | { kind: "DEACTIVATE_USER" }
  | { kind: "SCHEDULE_DELETE"; afterSeconds: number };

export type PlanStepKind = PlanStep["kind"];

/** One user field before and after; `manager` and `employeeId` (employerInfo) included. */
export interface FieldChange {
  field: "name" | "email" | "preferredName" | "title" | "department" | "manager" | "employeeId";
  from?: string;
  to: string;
}

export interface LeveledChange extends LeveledRef {
  /** The proficiency before, when the user already had it. */
  from?: number;
}

export type TransferTargetRef =
  { kind: "manager"; user: Ref } | { kind: "supervisor"; email: string } | { kind: "queue"; queue: Ref };

export type EmployeePlan =
  | {
      kind: "PLANNED";
      employeeId: string;
      eventId?: string;
      eventType: HrEventType;
      mappingVersion?: number;
      /**
       * What this product will have assigned once the steps are applied: record it, and the next plan for this
       * employee may take exactly this back. Absent for leavers, whose assignments are snapshotted instead.
       */
      assigned?: AssignedSnapshot;
      userId: string | null;
      profileIndex?: number;
      steps: PlanStep[];
      notes: string[];
    }
  | {
      kind: "UNMAPPED_TITLE" | "AMBIGUOUS_MATCH" | "UNKNOWN_NAMES" | "IDENTITY_CONFLICT" | "USER_INACTIVE";
      employeeId: string;
      eventId?: string;
      eventType: HrEventType;
      mappingVersion?: number;
      reason: string;
      missing?: MissingName[];
      /**
       * An active user this product provisioned whose new title the mapping does not know: what the product
       * assigned is taken away (off queue first, then queues, roles, skills, languages); the account stays.
       */
      withdraw?: PlanStep[];
      userId?: string;
    };

export interface PlanOptions {
  /** Send the activation email to a user who has none yet; off for SSO-only orgs. Default true. */
  invite?: boolean;
  /** The stored mapping version planned with; carried into every plan for the audit trail. */
  mappingVersion?: number;
}

export interface PlanInput {
  eventId?: string;
  type: HrEventType;
  worker: HrWorker;
  /** Whether a user found inactive or deleted may be restored; a change never reactivates. Default true. */
  reactivate?: boolean;
}

const grantKey = (g: RoleGrant) => `${g.roleId}@${g.divisionId}`;

/** A mapping and a catalog compiled once, then used for every employee of a batch. */
export class Planner {
  private readonly matcher: ProfileMatcher;
  private readonly owns: ReadonlySet<OwnableAttribute>;

  constructor(
    private readonly mapping: Mapping,
    private readonly catalog: Catalog,
    private readonly options: PlanOptions = {},
  ) {
    this.matcher = new ProfileMatcher(mapping);
    this.owns = new Set(mapping.owns);
  }

  plan(input: PlanInput, employee: EmployeeState): EmployeePlan {
    const base = {
      employeeId: input.worker.employeeId,
      eventId: input.eventId,
      eventType: input.type,
      mappingVersion: this.options.mappingVersion,
    };
    const { user } = employee;
    if (user?.employeeId !== undefined && user.employeeId !== input.worker.employeeId) {
      // Found by email, but the account belongs to another employee: never take it over.
      return {
        ...base,
        kind: "IDENTITY_CONFLICT",
        reason:
          `the Genesys user ${user.id} with email ${user.email} belongs to employee ${user.employeeId}, ` +
          `not ${input.worker.employeeId}: correct the email in HR or the employee id in Genesys`,
      };
    }
    const leaver = input.type === "terminate" || input.type === "leave_start";
    if (!leaver && input.reactivate === false && user !== null && user.state !== "active") {
      return {
        ...base,
        kind: "USER_INACTIVE",
        userId: user.id,
        reason: `the Genesys user ${user.id} is ${user.state} and a ${input.type} does not reactivate it (a rehire or the end of a leave does): recorded, nothing written`,
      };
    }
    const desired = desiredProfile(input.worker, this.mapping, this.matcher);
    if (leaver) {
      // Nothing a leaver does depends on the title: an unmapped (brownfield) one leaves by the mapping's defaults.
      const resolved = desired.kind === "DESIRED" ? resolveProfile(desired.profile, this.catalog) : undefined;
      const profile = resolved?.kind === "RESOLVED" ? resolved.profile : undefined;
      const result = this.planLeaver(input.type as "terminate" | "leave_start", profile, employee);
      const why =
        desired.kind !== "DESIRED" ? desired.reason : resolved?.kind === "UNKNOWN_NAMES" && resolved.reason;
      if (why) result.notes.unshift(`${why}: the mapping's leaver defaults apply`);
      return {
        ...base,
        kind: "PLANNED",
        userId: employee.user?.id ?? null,
        ...(profile ? { profileIndex: profile.profileIndex } : {}),
        ...result,
      };
    }
    if (desired.kind === "UNMAPPED_TITLE" && user?.state === "active" && employee.previous) {
      const withdraw = this.planWithdraw(user, employee.previous);
      if (withdraw.length > 0)
        return { ...base, kind: desired.kind, reason: desired.reason, withdraw, userId: user.id };
    }
    if (desired.kind !== "DESIRED") return { ...base, kind: desired.kind, reason: desired.reason };
    const resolved = resolveProfile(desired.profile, this.catalog);
    if (resolved.kind !== "RESOLVED") {
      return { ...base, kind: "UNKNOWN_NAMES", reason: resolved.reason, missing: resolved.missing };
    }
    return {
      ...base,
      kind: "PLANNED",
      userId: employee.user?.id ?? null,
      profileIndex: resolved.profile.profileIndex,
      ...this.planConverge(resolved.profile, employee, input.worker),
      assigned: assignedSnapshot(resolved.profile, this.options.mappingVersion),
    };
  }

  /** Joiner, mover, rehire and return from leave: make Genesys match the desired profile. */
  private planConverge(
    mapped: ResolvedProfile,
    employee: EmployeeState,
    worker: HrWorker,
  ): { steps: PlanStep[]; notes: string[] } {
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
      desired = this.withHandAdded(desired, employee, notes);
      // Deactivation strips direct grants; a deleted user also comes back in Home. Re-apply the whole profile.
      current = {
        ...user,
        grants: [],
        divisionId: user.state === "deleted" ? this.catalog.homeDivision.id : user.divisionId,
      };
    } else {
      current = user;
    }

    if (current.divisionId !== desired.division.id) {
      steps.push({
        kind: "MOVE_DIVISION",
        from: this.catalog.describe("division", current.divisionId),
        to: desired.division,
      });
    }

    const changes = this.fieldChanges(desired, current, employee, worker, notes);
    if (changes.length > 0) steps.push({ kind: "UPDATE_USER", changes });

    const roles = this.diffSet(
      "roles",
      desired.grants.map((g) => ({
        key: grantKey({ roleId: g.role.id, divisionId: g.division.id }),
        value: g,
      })),
      current.grants.map((g) => ({ key: grantKey(g), value: this.describeGrant(g) })),
      previous?.grants.map(grantKey),
    );
    if (roles.add.length > 0) steps.push({ kind: "GRANT_ROLES", grants: roles.add });
    if (roles.remove.length > 0) steps.push({ kind: "REVOKE_ROLES", grants: roles.remove });

    const queues = this.diffSet(
      "queues",
      desired.queues.map((q) => ({ key: q.id, value: q })),
      current.queueIds.map((id) => ({ key: id, value: this.catalog.describe("queue", id) })),
      previous?.queueIds,
    );
    if (queues.remove.length > 0) steps.push({ kind: "LEAVE_QUEUES", queues: queues.remove });
    if (queues.add.length > 0) steps.push({ kind: "JOIN_QUEUES", queues: queues.add });

    const skills = this.diffLeveled("skills", "skill", desired.skills, current.skills, previous?.skillIds);
    if (skills.set.length + skills.remove.length > 0) steps.push({ kind: "SET_SKILLS", ...skills });
    const languages = this.diffLeveled(
      "languages",
      "language",
      desired.languages,
      current.languages,
      previous?.languageIds,
    );
    if (languages.set.length + languages.remove.length > 0)
      steps.push({ kind: "SET_LANGUAGES", ...languages });

    if ((this.options.invite ?? true) && !current.welcomeSent) steps.push({ kind: "INVITE" });
    return { steps, notes };
  }

  /**
   * A rehire or return brings back what an administrator had added by hand before the leave (in the deactivation
   * snapshot, not assigned by this product), next to the mapped profile. It stays theirs: a later mover keeps it.
   */
  private withHandAdded(desired: ResolvedProfile, employee: EmployeeState, notes: string[]): ResolvedProfile {
    const snapshot = employee.deactivated;
    if (!snapshot) return desired;
    const assigned = employee.previous;
    const ours = new Set([
      ...(assigned?.grants.map(grantKey) ?? []),
      ...desired.grants.map((g) => grantKey({ roleId: g.role.id, divisionId: g.division.id })),
    ]);
    const known = this.catalog.knows.bind(this.catalog);
    const grants = snapshot.grants
      .filter((g) => !ours.has(grantKey(g)) && known("role", g.roleId) && known("division", g.divisionId))
      .map((g) => this.describeGrant(g));
    const queues = snapshot.queueIds
      .filter((id) => !assigned?.queueIds.includes(id) && !desired.queues.some((q) => q.id === id))
      .filter((id) => known("queue", id))
      .map((id) => this.catalog.describe("queue", id));
    const leveled = (
      kind: "skill" | "language",
      kept: LeveledAssignment[],
      owned: string[],
      mapped: LeveledRef[],
    ) =>
      kept
        .filter((k) => !owned.includes(k.id) && !mapped.some((m) => m.id === k.id) && known(kind, k.id))
        .map((k) => ({ ...this.catalog.describe(kind, k.id), proficiency: k.proficiency }));
    const skills = leveled("skill", snapshot.skills, assigned?.skillIds ?? [], desired.skills);
    const languages = leveled("language", snapshot.languages, assigned?.languageIds ?? [], desired.languages);
    const restored = [
      ...grants.map((g) => `role ${g.role.name} in ${g.division.name}`),
      ...queues.map((q) => `queue ${q.name}`),
      ...skills.map((k) => `skill ${k.name}`),
      ...languages.map((l) => `language ${l.name}`),
    ];
    if (restored.length > 0)
      notes.push(
        `restored as before the leave, where an administrator had added them: ${restored.join(", ")}`,
      );
    return {
      ...desired,
      grants: [...desired.grants, ...grants],
      queues: [...desired.queues, ...queues],
      skills: [...desired.skills, ...skills],
      languages: [...desired.languages, ...languages],
    };
  }

  /**
   * Everything this product assigned and may take away (the same rule as a mover's removals, with nothing
   * desired), off queue first so no work arrives meanwhile, then queues, roles, skills and languages.
   */
  private planWithdraw(user: CurrentUserState, previous: AssignedSnapshot): PlanStep[] {
    const queues = this.diffSet(
      "queues",
      [],
      user.queueIds.map((id) => ({ key: id, value: this.catalog.describe("queue", id) })),
      previous.queueIds,
    ).remove;
    const roles = this.diffSet(
      "roles",
      [],
      user.grants.map((g) => ({ key: grantKey(g), value: this.describeGrant(g) })),
      previous.grants.map(grantKey),
    ).remove;
    const skills = this.diffLeveled("skills", "skill", [], user.skills, previous.skillIds).remove;
    const languages = this.diffLeveled(
      "languages",
      "language",
      [],
      user.languages,
      previous.languageIds,
    ).remove;
    const steps: PlanStep[] = [{ kind: "STOP_ROUTING" }];
    if (queues.length > 0) steps.push({ kind: "LEAVE_QUEUES", queues });
    if (roles.length > 0) steps.push({ kind: "REVOKE_ROLES", grants: roles });
    if (skills.length > 0) steps.push({ kind: "SET_SKILLS", set: [], remove: skills });
    if (languages.length > 0) steps.push({ kind: "SET_LANGUAGES", set: [], remove: languages });
    return steps.length > 1 ? steps : [];
  }

  /**
   * Terminate and leave of absence: off queue, hand over live work, snapshot, leave queues, deactivate. `desired`
   * is the title's profile when it has one; without, the mapping's defaults decide.
   */
  private planLeaver(
    type: "terminate" | "leave_start",
    desired: ResolvedProfile | undefined,
    employee: EmployeeState,
  ): { steps: PlanStep[]; notes: string[] } {
    const { user } = employee;
    if (user === null)
      return { steps: [], notes: ["no Genesys user exists for this employee: nothing to do"] };
    if (user.state === "deleted") return { steps: [], notes: ["the Genesys user is already deleted"] };
    const policy = this.mapping.defaults.leaver;
    const steps: PlanStep[] = [];
    const notes: string[] = [];
    if (user.state === "active") {
      steps.push({ kind: "SET_OFF_QUEUE" });
      const target =
        this.transferTarget(policy.transferTo, desired, employee) ??
        this.transferTarget(policy.fallback, desired, employee);
      if (target === undefined && policy.fallback !== "disconnect" && policy.transferTo !== "disconnect") {
        notes.push(
          `neither ${policy.transferTo} nor ${policy.fallback} is known now: live interactions go to the queue ` +
            "they came through, else stay and are re-checked until the deadline, and only then are disconnected",
        );
      }
      steps.push({
        kind: "DRAIN_INTERACTIONS",
        transferTo: policy.transferTo,
        fallback: policy.fallback,
        target,
      });
      steps.push({ kind: "SNAPSHOT_PROFILE" });
      if (user.queueIds.length > 0) {
        steps.push({
          kind: "LEAVE_QUEUES",
          queues: user.queueIds.map((id) => this.catalog.describe("queue", id)),
        });
      }
      steps.push({ kind: "DEACTIVATE_USER" });
    } else {
      notes.push("the Genesys user is already inactive");
    }
    if (type === "terminate") steps.push({ kind: "SCHEDULE_DELETE", afterSeconds: policy.retentionSeconds });
    return { steps, notes };
  }

  private transferTarget(
    kind: TransferTarget,
    desired: ResolvedProfile | undefined,
    employee: EmployeeState,
  ): TransferTargetRef | undefined {
    switch (kind) {
      case "manager":
        return employee.manager === null ? undefined : { kind, user: employee.manager };
      case "supervisor":
        return desired?.supervisor === undefined ? undefined : { kind, email: desired.supervisor };
      case "queue": {
        const named = this.mapping.defaults.leaver.queue;
        const queue = named === undefined ? desired?.queues[0] : this.catalog.find("queue", named);
        return queue === undefined ? undefined : { kind, queue };
      }
      case "disconnect":
        return undefined;
    }
  }

  private fieldChanges(
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

  /**
   * Adds what is desired and missing. Removes what is present and not desired only if this product assigned
   * it last time, or if the mapping owns the attribute outright; a hand-added value otherwise stays.
   */
  private diffSet<T>(
    attribute: OwnableAttribute,
    desired: { key: string; value: T }[],
    current: { key: string; value: T }[],
    previous: string[] | undefined,
  ): { add: T[]; remove: T[] } {
    const currentKeys = new Set(current.map((c) => c.key));
    const desiredKeys = new Set(desired.map((d) => d.key));
    const owned = this.owns.has(attribute);
    const assigned = new Set(previous ?? []);
    const seen = new Set<string>();
    const add = desired
      .filter((d) => !currentKeys.has(d.key) && !seen.has(d.key) && seen.add(d.key))
      .map((d) => d.value);
    const remove = current
      .filter((c) => !desiredKeys.has(c.key) && (owned || assigned.has(c.key)))
      .map((c) => c.value);
    return { add, remove };
  }

  private diffLeveled(
    attribute: OwnableAttribute,
    kind: CatalogKind,
    desired: LeveledRef[],
    current: LeveledAssignment[],
    previous: string[] | undefined,
  ): { set: LeveledChange[]; remove: Ref[] } {
    const currentById = new Map(current.map((c) => [c.id, c.proficiency]));
    const set: LeveledChange[] = [];
    for (const d of desired) {
      const before = currentById.get(d.id);
      if (before === undefined) set.push(d);
      else if (before !== d.proficiency) set.push({ ...d, from: before });
    }
    const { remove } = this.diffSet(
      attribute,
      desired.map((d) => ({ key: d.id, value: d })),
      current.map((c) => ({ key: c.id, value: this.catalog.describe(kind, c.id) })),
      previous,
    );
    return { set, remove };
  }

  private describeGrant(grant: RoleGrant): ResolvedGrant {
    return {
      role: this.catalog.describe("role", grant.roleId),
      division: this.catalog.describe("division", grant.divisionId),
    };
  }
}

/** The ids a resolved profile assigns: what a later plan may remove from this employee. */
export function assignedSnapshot(profile: ResolvedProfile, mappingVersion?: number): AssignedSnapshot {
  return {
    mappingVersion,
    grants: profile.grants.map((g) => ({ roleId: g.role.id, divisionId: g.division.id })),
    queueIds: profile.queues.map((q) => q.id),
    skillIds: profile.skills.map((s) => s.id),
    languageIds: profile.languages.map((l) => l.id),
  };
}

export interface PlanTotals {
  employees: number;
  planned: number;
  unchanged: number;
  unmapped: number;
  ambiguous: number;
  unknownNames: number;
  identityConflicts: number;
  steps: number;
  byStep: Partial<Record<PlanStepKind, number>>;
}

/** Totals for a dry-run report: how many employees fall in each outcome and how many steps of each kind. */
export function summarizePlans(plans: readonly EmployeePlan[]): PlanTotals {
  const totals: PlanTotals = {
    employees: plans.length,
    planned: 0,
    unchanged: 0,
    unmapped: 0,
    ambiguous: 0,
    unknownNames: 0,
    identityConflicts: 0,
    steps: 0,
    byStep: {},
  };
  for (const plan of plans) {
    switch (plan.kind) {
      case "PLANNED":
        if (plan.steps.length === 0) totals.unchanged++;
        else totals.planned++;
        for (const step of plan.steps) {
          totals.steps++;
          totals.byStep[step.kind] = (totals.byStep[step.kind] ?? 0) + 1;
        }
        break;
      case "UNMAPPED_TITLE":
        totals.unmapped++;
        break;
      case "AMBIGUOUS_MATCH":
        totals.ambiguous++;
        break;
      case "UNKNOWN_NAMES":
        totals.unknownNames++;
        break;
      case "IDENTITY_CONFLICT":
        totals.identityConflicts++;
        break;
    }
  }
  return totals;
}
