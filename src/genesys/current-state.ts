import type { HrWorker } from "../lifecycle/hr-event";
import type {
  AssignedSnapshot,
  CurrentStateReader,
  CurrentUserState,
  EmployeeState,
} from "../lifecycle/state";

type UserState = CurrentUserState["state"];

interface GenesysUser {
  id: string;
  name: string;
  email?: string;
  state: UserState;
  version: number;
  division?: { id: string };
  department?: string;
  title?: string;
  preferredName?: string;
  manager?: { id: string } | null;
  employerInfo?: { employeeId?: string };
  [extra: string]: unknown;
}

/**
 * The part of the Genesys Cloud client the current-state reader uses. Structural, so `GenesysCloudClient` fits
 * as is; each method's permission is on the client's TSDoc.
 */
export interface CurrentStateClient {
  findUsersByEmployeeId(employeeIds: readonly string[]): Promise<GenesysUser[]>;
  findUsersByEmail(emails: readonly string[]): Promise<GenesysUser[]>;
  getUser(userId: string, options: { state?: "active" | "deleted"; expand?: string[] }): Promise<GenesysUser>;
  getSubject(
    subjectId: string,
  ): Promise<{ grants: readonly { role: { id: string }; division: { id: string } }[] }>;
  listUserQueues(userId: string): AsyncIterable<{ id: string }>;
  listUserSkills(userId: string): AsyncIterable<{ id: string; proficiency: number }>;
  listUserLanguages(userId: string): AsyncIterable<{ id: string; proficiency: number }>;
}

/** What this product assigned last time, per employee (kept with the audit trail). */
export interface AssignedSnapshotSource {
  get(employeeIds: readonly string[]): Promise<Map<string, AssignedSnapshot>>;
}

export interface CurrentStateReaderOptions {
  assigned?: AssignedSnapshotSource;
  /** The managed workforce, for a mapping-change dry run; empty when omitted. */
  listWorkers?: () => Promise<HrWorker[]>;
}

/**
 * Reads current Genesys state the way DESIGN.md §4 says: search in every state by HR employee id, then by email
 * for those not found, then GET each user (deleted ones with `state=deleted`) with its grants, queues, skills and
 * languages. Managers are found the same way.
 */
export function createCurrentStateReader(
  client: CurrentStateClient,
  options: CurrentStateReaderOptions = {},
): CurrentStateReader {
  async function findUsers(keys: readonly { employeeId?: string; email?: string }[]) {
    const employeeIds = unique(keys.map((k) => k.employeeId));
    const byEmployeeId = new Map<string, GenesysUser>();
    if (employeeIds.length > 0) {
      const found = await client.findUsersByEmployeeId(employeeIds);
      // Search results need not carry employerInfo; read it where missing to know whose id matched.
      const withEmployerInfo = await Promise.all(
        found.map(async (user) =>
          user.employerInfo?.employeeId !== undefined
            ? user
            : client.getUser(user.id, {
                state: user.state === "deleted" ? "deleted" : undefined,
                expand: ["employerInfo"],
              }),
        ),
      );
      for (const user of withEmployerInfo) {
        const employeeId = user.employerInfo?.employeeId;
        if (employeeId !== undefined) byEmployeeId.set(employeeId, user);
      }
    }
    const emails = unique(
      keys.filter((k) => k.employeeId === undefined || !byEmployeeId.has(k.employeeId)).map((k) => k.email),
    ).map((e) => e.toLowerCase());
    const byEmail = new Map<string, GenesysUser>();
    if (emails.length > 0) {
      for (const user of await client.findUsersByEmail(emails)) {
        if (user.email !== undefined) byEmail.set(user.email.toLowerCase(), user);
      }
    }
    return (key: { employeeId?: string; email?: string }) =>
      (key.employeeId === undefined ? undefined : byEmployeeId.get(key.employeeId)) ??
      (key.email === undefined ? undefined : byEmail.get(key.email.toLowerCase()));
  }

  async function readUser(found: GenesysUser): Promise<CurrentUserState> {
    const [user, subject, queues, skills, languages] = await Promise.all([
      client.getUser(found.id, {
        state: found.state === "deleted" ? "deleted" : undefined,
        expand: ["employerInfo", "dateWelcomeSent"],
      }),
      client.getSubject(found.id),
      collect(client.listUserQueues(found.id)),
      collect(client.listUserSkills(found.id)),
      collect(client.listUserLanguages(found.id)),
    ]);
    return {
      id: user.id,
      state: user.state,
      version: user.version,
      name: user.name,
      email: user.email ?? found.email ?? "",
      preferredName: user.preferredName,
      title: user.title,
      department: user.department,
      divisionId: user.division?.id ?? "",
      managerId: user.manager?.id,
      employeeId: user.employerInfo?.employeeId,
      grants: subject.grants.map((g) => ({ roleId: g.role.id, divisionId: g.division.id })),
      queueIds: queues.map((q) => q.id),
      skills: skills.map((s) => ({ id: s.id, proficiency: s.proficiency })),
      languages: languages.map((l) => ({ id: l.id, proficiency: l.proficiency })),
      welcomeSent: typeof user.dateWelcomeSent === "string",
    };
  }

  return {
    async read(workers) {
      const [findWorker, findManager, assigned] = await Promise.all([
        findUsers(workers),
        findUsers(workers.map((w) => ({ employeeId: w.managerEmployeeId, email: w.managerEmail }))),
        options.assigned?.get(workers.map((w) => w.employeeId)) ?? new Map<string, AssignedSnapshot>(),
      ]);
      const states = new Map<string, EmployeeState>();
      for (const worker of workers) {
        const found = findWorker(worker);
        const manager =
          worker.managerEmployeeId === undefined && worker.managerEmail === undefined
            ? undefined
            : findManager({ employeeId: worker.managerEmployeeId, email: worker.managerEmail });
        states.set(worker.employeeId, {
          user: found === undefined ? null : await readUser(found),
          previous: assigned.get(worker.employeeId) ?? null,
          manager: manager === undefined ? null : { id: manager.id, name: manager.name },
        });
      }
      return states;
    },
    listWorkers: options.listWorkers ?? (async () => []),
  };
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ""))];
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
