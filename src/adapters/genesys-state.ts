// In src/adapters, not src/activities: Genesys behind the state port, for activities and the plan route.
import { chunk, collect, type GenesysCloudClient, type User, type UserRoutingSkill } from "../genesys";
import type { HrWorker } from "../lifecycle/hr-event";
import type { Ref } from "../lifecycle/org";
import type {
  AssignedSnapshot,
  CurrentStateReader,
  CurrentUserState,
  DeactivationSnapshot,
  EmployeeState,
  RoleGrant,
} from "../lifecycle/state";
import type { EmployeeRecord, EmployeeRepository } from "../storage/employees";

const lower = (s: string | undefined) => s?.trim().toLowerCase();

const USER_EXPANSIONS = ["employerInfo", "dateWelcomeSent", "skills", "languages"];

/** A Genesys user as a search finds it: enough to read it in full. */
export interface FoundUser {
  id: string;
  state: User["state"];
  email?: string;
}

/** What is already known of some workers, so `GenesysStateReader.read` does not search for it again. */
export interface KnownState {
  /** Employee id → the user found for them, or null when a search just found none. */
  users?: ReadonlyMap<string, FoundUser | null>;
  /** Employee id → their manager's user, or null when they have none to be found. */
  managers?: ReadonlyMap<string, Ref | null>;
  /** User id → the queues it is a member of, confirmed moments ago (a bulk batch lists each queue once). */
  queueIds?: ReadonlyMap<string, readonly string[]>;
  /** User id → its role grants, confirmed moments ago (a bulk batch lists each division's grants once). */
  grants?: ReadonlyMap<string, readonly RoleGrant[]>;
  /** Employee id → its record as read moments ago (undefined: it has none), so it is not read again. */
  records?: ReadonlyMap<string, EmployeeRecord | undefined>;
}

const foundUser = (user: User | undefined): FoundUser | null =>
  user ? { id: user.id, state: user.state, ...(user.email ? { email: user.email } : {}) } : null;

/**
 * Current Genesys state for planning: each worker's user found by HR employee id (`employerInfo.employeeId`),
 * then by email, in every state (an email stays taken by inactive and deleted users), with its grants, queues,
 * skills and languages; plus what this product assigned last time, from the employee records.
 */
export class GenesysStateReader implements CurrentStateReader {
  constructor(
    private readonly genesys: GenesysCloudClient,
    private readonly employees: Pick<EmployeeRepository, "get" | "listManagedWorkers">,
  ) {}

  /** `known`: what a search moments ago already found (or did not find), so it is not searched for again. */
  async read(workers: readonly HrWorker[], known: KnownState = {}): Promise<Map<string, EmployeeState>> {
    // The users and the managers are searched side by side: neither search needs the other's answer.
    const [users, managers] = await Promise.all([
      this.findUsers(workers.filter((w) => !known.users?.has(w.employeeId))),
      this.findManagers(workers.filter((w) => !known.managers?.has(w.employeeId))),
    ]);
    const found = new Map<string, FoundUser | null>();
    for (const { employeeId } of workers) {
      const user = known.users?.has(employeeId)
        ? known.users.get(employeeId)
        : foundUser(users.get(employeeId));
      found.set(employeeId, user ?? null);
    }
    const described = await this.describeAll(
      [...found.values()].filter((u): u is FoundUser => u !== null),
      known,
    );
    const states = new Map<string, EmployeeState>();
    for (const { employeeId } of workers) {
      const user = found.get(employeeId);
      const record = known.records?.has(employeeId)
        ? known.records.get(employeeId)
        : await this.employees.get(employeeId);
      states.set(employeeId, {
        user: user ? described.get(user.id)! : null,
        previous: record?.assigned ? (JSON.parse(record.assigned) as AssignedSnapshot) : null,
        deactivated: record?.snapshot ? (JSON.parse(record.snapshot) as DeactivationSnapshot) : null,
        manager:
          (known.managers?.has(employeeId) ? known.managers.get(employeeId) : managers.get(employeeId)) ??
          null,
      });
    }
    return states;
  }

  /**
   * Finds many workers' users and managers with a few searches for all of them (bulk onboarding looks up a
   * whole slice at once), in the shape `read` takes as `known`.
   */
  async lookUp(workers: readonly HrWorker[]): Promise<Required<Pick<KnownState, "users" | "managers">>> {
    const [users, managers] = await Promise.all([this.findUsers(workers), this.findManagers(workers)]);
    const ids = workers.map((w) => w.employeeId);
    return {
      users: new Map(ids.map((id) => [id, foundUser(users.get(id))])),
      managers: new Map(ids.map((id) => [id, managers.get(id) ?? null])),
    };
  }

  listWorkers(): Promise<HrWorker[]> {
    return this.employees.listManagedWorkers();
  }

  /** Employee id first, then email: one search call each for all the workers. */
  async findUsers(workers: readonly HrWorker[]): Promise<Map<string, User>> {
    const found = new Map<string, User>();
    if (workers.length === 0) return found;
    const byId = await this.genesys.findUsersByEmployeeId(workers.map((w) => w.employeeId));
    for (const user of preferLive(byId)) {
      const employeeId = user.employerInfo?.employeeId;
      if (employeeId && !found.has(employeeId)) found.set(employeeId, user);
    }
    const rest = workers.filter((w) => !found.has(w.employeeId));
    if (rest.length > 0) {
      const byEmail = new Map(
        preferLive(await this.genesys.findUsersByEmail(rest.map((w) => w.email))).map((u) => [
          lower(u.email),
          u,
        ]),
      );
      for (const worker of rest) {
        const user = byEmail.get(lower(worker.email));
        if (user) found.set(worker.employeeId, user);
      }
    }
    return found;
  }

  private async findManagers(workers: readonly HrWorker[]): Promise<Map<string, Ref>> {
    const byId = workers.filter((w) => w.managerEmployeeId);
    const byEmail = workers.filter((w) => !w.managerEmployeeId && w.managerEmail);
    const managers = new Map<string, Ref>();
    if (byId.length > 0) {
      const users = await this.genesys.findUsersByEmployeeId(
        byId.map((w) => w.managerEmployeeId!),
        { states: ["active"] },
      );
      const index = new Map(users.map((u) => [u.employerInfo?.employeeId, u]));
      for (const w of byId) {
        const m = index.get(w.managerEmployeeId);
        if (m) managers.set(w.employeeId, { id: m.id, name: m.name });
      }
    }
    if (byEmail.length > 0) {
      const users = await this.genesys.findUsersByEmail(
        byEmail.map((w) => w.managerEmail!),
        { states: ["active"] },
      );
      const index = new Map(users.map((u) => [lower(u.email), u]));
      for (const w of byEmail) {
        const m = index.get(lower(w.managerEmail));
        if (m) managers.set(w.employeeId, { id: m.id, name: m.name });
      }
    }
    return managers;
  }

  /**
   * Reads users in full: profile, grants, queues, skills and languages. Several users are listed in one call
   * per hundred (a bulk slice's read-back); grants and queues are read per user.
   */
  private async describeAll(
    found: readonly FoundUser[],
    known: Pick<KnownState, "queueIds" | "grants"> = {},
  ): Promise<Map<string, CurrentUserState>> {
    const described = new Map<string, CurrentUserState>();
    const listed = new Map<string, User>();
    // Deleted users are read one by one: only a read that asks for the deleted state returns them.
    const liveIds = found.filter((u) => u.state !== "deleted").map((u) => u.id);
    if (liveIds.length > 1) {
      for (const ids of chunk(liveIds, 100)) {
        for await (const user of this.genesys.listUsers({ ids, state: "any", expand: USER_EXPANSIONS }))
          listed.set(user.id, user);
      }
    }
    await Promise.all(
      found.map(async (f) => {
        const user = listed.get(f.id) ?? (await this.readUser(f));
        const confirmed = { queueIds: known.queueIds?.get(f.id), grants: known.grants?.get(f.id) };
        described.set(f.id, await this.complete(user, f, confirmed));
      }),
    );
    return described;
  }

  /** Reads one user in full: profile, grants, queues, skills and languages. */
  async describe(found: FoundUser): Promise<CurrentUserState> {
    return this.complete(await this.readUser(found), found);
  }

  private readUser(found: FoundUser): Promise<User> {
    return this.genesys.getUser(found.id, {
      ...(found.state === "deleted" ? { state: "deleted" as const } : {}),
      expand: USER_EXPANSIONS,
    });
  }

  /**
   * Adds a user's grants and queues (unless a batch just confirmed them) and the skills or languages the
   * expansion did not return to what was read.
   */
  private async complete(
    user: User,
    found: FoundUser,
    confirmed: { queueIds?: readonly string[]; grants?: readonly RoleGrant[] } = {},
  ): Promise<CurrentUserState> {
    const deleted = user.state === "deleted";
    // Deleted and inactive users hold no direct grants; reading them would only spend rate budget.
    const active = user.state === "active";
    const [grants, queueIds, skills, languages] = await Promise.all([
      confirmed.grants ??
        (active
          ? this.genesys
              .getSubject(user.id)
              .then((s) => s.grants.map((g) => ({ roleId: g.role.id, divisionId: g.division.id })))
          : []),
      confirmed.queueIds ??
        (deleted ? [] : collect(this.genesys.listUserQueues(user.id)).then((qs) => qs.map((q) => q.id))),
      // Genesys resolves expansions "with a best effort": read the lists when they did not come back.
      deleted
        ? Promise.resolve([])
        : (expanded(user.skills) ?? collect(this.genesys.listUserSkills(user.id))),
      deleted
        ? Promise.resolve([])
        : (expanded(user.languages) ?? collect(this.genesys.listUserLanguages(user.id))),
    ]);
    return {
      id: user.id,
      state: user.state,
      version: user.version,
      name: user.name,
      email: user.email ?? found.email ?? "",
      ...(user.preferredName ? { preferredName: user.preferredName } : {}),
      ...(user.title ? { title: user.title } : {}),
      ...(user.department ? { department: user.department } : {}),
      divisionId: user.division?.id ?? "",
      ...(user.manager?.id ? { managerId: user.manager.id } : {}),
      ...(user.employerInfo?.employeeId ? { employeeId: user.employerInfo.employeeId } : {}),
      grants: [...grants],
      queueIds: [...queueIds],
      skills: skills.map((s) => ({ id: s.id, proficiency: s.proficiency })),
      languages: languages.map((l) => ({ id: l.id, proficiency: l.proficiency })),
      welcomeSent: typeof user.dateWelcomeSent === "string",
    };
  }
}

function expanded(value: unknown): Promise<UserRoutingSkill[]> | undefined {
  return Array.isArray(value) ? Promise.resolve(value as UserRoutingSkill[]) : undefined;
}

/** When several users match, the active one wins over inactive, and inactive over deleted. */
function preferLive(users: User[]): User[] {
  const rank = { active: 0, inactive: 1, deleted: 2 } as const;
  return [...users].sort((a, b) => rank[a.state] - rank[b.state]);
}
