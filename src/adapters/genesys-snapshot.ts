// Genesys read for reconciliation: shared listings read a page at a time, kept compact, then indexed so that
// each managed employee's current state is put together without a call of its own.
import {
  chunk,
  collect,
  type GenesysCloudClient,
  type PagedAsyncIterableIterator,
  RateBudget,
  type User,
  type UserRoutingSkill,
} from "../genesys";
import type { HrWorker } from "../lifecycle/hr-event";
import { ALL_DIVISIONS } from "../lifecycle/mapping";
import type { Ref } from "../lifecycle/org";
import { PAGE_SIZES, type ReadPlan, type ReadUnit } from "../lifecycle/reconcile/read-plan";
import type {
  AssignedSnapshot,
  CurrentUserState,
  EmployeeState,
  LeveledAssignment,
  RoleGrant,
} from "../lifecycle/state";

/** A user as the listing read it, compact enough to keep thousands. */
export interface ListedUser {
  id: string;
  state: User["state"];
  version: number;
  name: string;
  email?: string;
  preferredName?: string;
  title?: string;
  department?: string;
  divisionId: string;
  managerId?: string;
  employeeId?: string;
  /** [id, proficiency]; absent when the expansion did not come back. */
  skills?: [string, number][];
  languages?: [string, number][];
  welcomeSent?: boolean;
}

/** What one page of a shared listing holds, as stored between slices. */
export type PageItems =
  | { kind: "users"; users: ListedUser[] }
  | { kind: "queue"; queueId: string; userIds: string[] }
  | { kind: "division"; divisionId: string; grants: [subjectId: string, roleId: string][] };

export const USER_EXPANSIONS = ["employerInfo", "skills", "languages", "dateWelcomeSent"];

const proficiencies = (value: unknown): [string, number][] | undefined =>
  Array.isArray(value)
    ? (value as UserRoutingSkill[]).map((s): [string, number] => [s.id, s.proficiency])
    : undefined;

export function listedUser(user: User): ListedUser {
  const skills = proficiencies(user.skills);
  const languages = proficiencies(user.languages);
  return {
    id: user.id,
    state: user.state,
    version: user.version,
    name: user.name,
    ...(user.email ? { email: user.email } : {}),
    ...(user.preferredName ? { preferredName: user.preferredName } : {}),
    ...(user.title ? { title: user.title } : {}),
    ...(user.department ? { department: user.department } : {}),
    divisionId: user.division?.id ?? "",
    ...(user.manager?.id ? { managerId: user.manager.id } : {}),
    ...(user.employerInfo?.employeeId ? { employeeId: user.employerInfo.employeeId } : {}),
    ...(skills ? { skills } : {}),
    ...(languages ? { languages } : {}),
    ...(typeof user.dateWelcomeSent === "string" ? { welcomeSent: true } : {}),
  };
}

/** The key a page is stored under: the unit and the page number. */
export const pageKey = (unit: ReadUnit, page: number): string =>
  `${unit.kind === "users" ? "users" : `${unit.kind}:${unit.id}`}|${String(page).padStart(5, "0")}`;

/**
 * Reads one page of a shared listing. Active users only: an inactive or deleted managed user is read by id
 * (listing inactive users is refused past 10,000 users), and orphans that matter are active.
 */
export async function readPage(
  genesys: GenesysCloudClient,
  unit: ReadUnit,
  page: number,
): Promise<{ items: PageItems; more: boolean }> {
  const pageOf = async <T>(listing: PagedAsyncIterableIterator<T>, size: number) => {
    const first = await listing.byPage({ continuationToken: String(page), maxPageSize: size }).next();
    const value = first.done ? { items: [] as T[] } : first.value;
    return { items: value.items, more: value.continuationToken !== undefined };
  };
  switch (unit.kind) {
    case "users": {
      const { items, more } = await pageOf(
        genesys.listUsers({ state: "active", expand: USER_EXPANSIONS }),
        PAGE_SIZES.users,
      );
      return { items: { kind: "users", users: items.map(listedUser) }, more };
    }
    case "queue": {
      const { items, more } = await pageOf(genesys.listQueueMembers(unit.id), PAGE_SIZES.queueMembers);
      return { items: { kind: "queue", queueId: unit.id, userIds: items.map((m) => m.id) }, more };
    }
    case "division": {
      const { items, more } = await pageOf(genesys.listDivisionGrants(unit.id), PAGE_SIZES.divisionGrants);
      const grants = items
        .filter((g) => g.subjectId !== undefined)
        .map((g): [string, string] => [g.subjectId!, g.role.id]);
      return { items: { kind: "division", divisionId: unit.id, grants }, more };
    }
  }
}

const lower = (s: string | undefined) => s?.trim().toLowerCase();

/** Everything the shared listings found, indexed for the compare. */
export class OrgSnapshot {
  readonly users = new Map<string, ListedUser>();
  readonly #byEmployeeId = new Map<string, ListedUser>();
  readonly #byEmail = new Map<string, ListedUser>();
  readonly #queues = new Map<string, string[]>();
  readonly #grants = new Map<string, RoleGrant[]>();

  constructor(
    pages: Iterable<PageItems>,
    readonly plan: Pick<ReadPlan, "queues" | "grants">,
  ) {
    for (const page of pages) {
      if (page.kind === "users") {
        for (const user of page.users) {
          this.users.set(user.id, user);
          if (user.employeeId && !this.#byEmployeeId.has(user.employeeId))
            this.#byEmployeeId.set(user.employeeId, user);
          if (user.email) this.#byEmail.set(lower(user.email)!, user);
        }
      } else if (page.kind === "queue") {
        for (const userId of page.userIds)
          this.#queues.set(userId, [...(this.#queues.get(userId) ?? []), page.queueId]);
      } else {
        for (const [subjectId, roleId] of page.grants)
          this.#grants.set(subjectId, [
            ...(this.#grants.get(subjectId) ?? []),
            { roleId, divisionId: page.divisionId },
          ]);
      }
    }
  }

  /** Active users with an HR employee id, for the orphan check. */
  usersWithEmployeeId(): ListedUser[] {
    return [...this.users.values()].filter((u) => u.employeeId !== undefined);
  }

  /** The active user HR names as a worker's manager, found in the listing (no search). */
  managerOf(worker: HrWorker): Ref | null {
    const manager = worker.managerEmployeeId
      ? this.#byEmployeeId.get(worker.managerEmployeeId)
      : worker.managerEmail
        ? this.#byEmail.get(lower(worker.managerEmail)!)
        : undefined;
    return manager ? { id: manager.id, name: manager.name } : null;
  }

  /** Queue ids from the queue listings; undefined when queues are read per user. */
  queueIdsOf(userId: string): string[] | undefined {
    return this.plan.queues === "listed" ? (this.#queues.get(userId) ?? []) : undefined;
  }

  /** Grants from the division listings; undefined when grants are read per user. */
  grantsOf(userId: string): RoleGrant[] | undefined {
    return this.plan.grants === "listed" ? (this.#grants.get(userId) ?? []) : undefined;
  }
}

/**
 * Users whose own reads are in flight at once. The client reconciliation reads with steps back when more than
 * these wait for the budget (other work is queued then, and events go first), so sending a whole slice at once
 * would only be refused and sent again.
 */
export const USERS_IN_FLIGHT = 2;

/**
 * The longest wait for the budget the run's own reads explain: a request interval for each of its reads in
 * flight, and half of one for timers that fire late. Anything longer means other work is queued for the
 * budget: the run's client steps back then, and that work goes first.
 */
export function ownWaitInMs(requestsPerMinute: number): number {
  const { intervalInMs } = new RateBudget({ requestsPerWindow: requestsPerMinute });
  return Math.ceil((USERS_IN_FLIGHT + 0.5) * intervalInMs);
}

/** One managed employee to compare: the record's Genesys user and what the product assigned. */
export interface ManagedEmployee {
  employeeKey: string;
  userId: string;
  worker: HrWorker;
  assigned: AssignedSnapshot | null;
}

/**
 * Puts each managed employee's current state together from the snapshot, reading one by one only what the
 * shared listings cannot show: a user not active (so not listed), grants in all divisions (`*`, which no
 * division listing shows), and whatever the plan chose to read per user.
 *
 * Each state is added to `states` as soon as it is complete, and an employee already in it is not read again.
 * When a read fails (the budget is busy, or Genesys said 429), no further employee is started, the reads in
 * flight are let finish and kept, and then the failure is thrown: the caller keeps `states` and resumes from
 * there, so a step-back never makes a read twice.
 *
 * `admitted` is awaited before each employee's own reads (an employee it refuses gets no state): a check the
 * caller runs alongside, so its I/O overlaps the reads of the employees already admitted.
 */
export async function statesOf(
  genesys: GenesysCloudClient,
  snapshot: OrgSnapshot,
  employees: readonly ManagedEmployee[],
  wantsAllDivisions: (employee: ManagedEmployee) => boolean,
  states: Map<string, EmployeeState> = new Map(),
  admitted: (employee: ManagedEmployee) => Promise<boolean> = () => Promise.resolve(true),
): Promise<Map<string, EmployeeState>> {
  const waiting = employees.filter((e) => !states.has(e.employeeKey));
  const users = new Map<string, ListedUser>();
  const unlisted: string[] = [];
  for (const e of waiting) {
    const user = snapshot.users.get(e.userId);
    if (user) users.set(e.userId, user);
    else unlisted.push(e.userId);
  }
  // Not active, or gone: read by id in any state, a hundred per call.
  for (const ids of chunk(unlisted, 100)) {
    for await (const user of genesys.listUsers({ ids, state: "any", expand: USER_EXPANSIONS }))
      users.set(user.id, listedUser(user));
  }
  let failed = false;
  const next = async (): Promise<void> => {
    for (let e = waiting.shift(); e !== undefined && !failed; e = waiting.shift()) {
      const user = users.get(e.userId);
      try {
        if (!(await admitted(e))) continue;
        states.set(e.employeeKey, {
          user:
            user && user.state !== "deleted"
              ? await complete(genesys, snapshot, user, wantsAllDivisions(e))
              : null,
          previous: e.assigned,
          manager: snapshot.managerOf(e.worker),
        });
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: USERS_IN_FLIGHT }, next));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failure) throw failure.reason;
  return states;
}

/** The listed user with its grants, queues, skills and languages, read one by one where the listings did not. */
async function complete(
  genesys: GenesysCloudClient,
  snapshot: OrgSnapshot,
  user: ListedUser,
  allDivisions: boolean,
): Promise<CurrentUserState> {
  const active = user.state === "active";
  const listedGrants = snapshot.grantsOf(user.id);
  const listedQueues = snapshot.queueIdsOf(user.id);
  const leveled = (values: [string, number][]): LeveledAssignment[] =>
    values.map(([id, proficiency]) => ({ id, proficiency }));
  const [grants, queueIds, skills, languages] = await Promise.all([
    !active
      ? []
      : listedGrants !== undefined && !allDivisions
        ? listedGrants
        : genesys
            .getSubject(user.id)
            .then((s) => s.grants.map((g) => ({ roleId: g.role.id, divisionId: g.division.id }))),
    listedQueues ?? collect(genesys.listUserQueues(user.id)).then((qs) => qs.map((q) => q.id)),
    user.skills
      ? leveled(user.skills)
      : collect(genesys.listUserSkills(user.id)).then((s) =>
          s.map((x) => ({ id: x.id, proficiency: x.proficiency })),
        ),
    user.languages
      ? leveled(user.languages)
      : collect(genesys.listUserLanguages(user.id)).then((s) =>
          s.map((x) => ({ id: x.id, proficiency: x.proficiency })),
        ),
  ]);
  return {
    id: user.id,
    state: user.state,
    version: user.version,
    name: user.name,
    email: user.email ?? "",
    ...(user.preferredName ? { preferredName: user.preferredName } : {}),
    ...(user.title ? { title: user.title } : {}),
    ...(user.department ? { department: user.department } : {}),
    divisionId: user.divisionId,
    ...(user.managerId ? { managerId: user.managerId } : {}),
    ...(user.employeeId ? { employeeId: user.employeeId } : {}),
    grants,
    queueIds,
    skills,
    languages,
    welcomeSent: user.welcomeSent === true,
  };
}

/** Whether grants in all divisions matter for this employee: the profile or the last assignment has one. */
export const hasAllDivisionsGrant = (grants: readonly { divisionId: string }[] | undefined): boolean =>
  grants?.some((g) => g.divisionId === ALL_DIVISIONS) ?? false;
