import { TableClient } from "@azure/data-tables";
import type { UserFullState } from "../../local/emulators/genesys/admin";
import type { SeedUser } from "../../local/emulators/genesys/seed";
import type { HrWorker } from "../../src/lifecycle/hr-event";
import { EmployeeRepository } from "../../src/storage/employees";

/** Users per `POST /emulator/users` (the emulator takes bodies up to 512 kB), and employee rows written at once. */
const USERS_PER_REQUEST = 500;
const ROWS_IN_FLIGHT = 16;

/** A managed user provisioned through the app, copied to others: their Genesys user and their employee row. */
export interface Template {
  employeeKey: string;
  email: string;
}

/**
 * Sets up managed users without provisioning each through the app: each copies a template the app provisioned
 * (its Genesys user as the emulator holds it, and its employee row), with an identity of its own (employee id,
 * email, name). The Genesys users are added through the emulator's admin API (`POST /emulator/users`) with the
 * template's division, roles, queues, skills and languages; the employee rows are written through the app's
 * own repository, as the lifecycle leaves them after a hire (active, the worker, the Genesys user, what the
 * mapping assigned, the applied hire). Copy `i` is made from `templates[i % templates.length]`.
 */
export async function copyManagedUsers(options: {
  storage: string;
  genesysUrl: string;
  templates: readonly Template[];
  copies: readonly { employeeId: string; email: string; lastName: string; template: number }[];
}): Promise<void> {
  const { storage, genesysUrl, templates, copies } = options;
  const employees = new EmployeeRepository(
    TableClient.fromConnectionString(storage, "lifecycleemployees", { allowInsecureConnection: true }),
  );
  const emulator = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${genesysUrl}/emulator${route}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`emulator ${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const originals = await Promise.all(
    templates.map(async (t) => {
      const record = await employees.get(t.employeeKey);
      if (!record?.worker || !record.genesysUserId || !record.assigned)
        throw new Error(`employee ${t.employeeKey} was not provisioned: nothing to copy`);
      const user = await emulator<UserFullState>("GET", `/users/${encodeURIComponent(t.email)}`);
      const manager = user.managerId
        ? (await emulator<UserFullState>("GET", `/users/${user.managerId}`)).email
        : undefined;
      return { record, worker: JSON.parse(record.worker) as HrWorker, user, manager };
    }),
  );

  const seedUsers = copies.map((copy): SeedUser => {
    const { user, worker, manager } = originals[copy.template];
    return {
      name: `${worker.firstName} ${copy.lastName}`,
      email: copy.email,
      division: user.division.name,
      ...(user.title === undefined ? {} : { title: user.title }),
      ...(user.department === undefined ? {} : { department: user.department }),
      employeeId: copy.employeeId,
      ...(manager ? { manager } : {}),
      roles: user.grants.map((g) => ({ role: g.roleName, division: g.divisionName })),
      queues: user.queues.map((q) => q.name),
      skills: Object.fromEntries(user.skills.map((s) => [s.name, s.proficiency])),
      languages: Object.fromEntries(user.languages.map((l) => [l.name, l.proficiency])),
    };
  });
  const userIds = new Map<string, string>();
  for (let i = 0; i < seedUsers.length; i += USERS_PER_REQUEST) {
    const added = await emulator<UserFullState[]>(
      "POST",
      "/users",
      seedUsers.slice(i, i + USERS_PER_REQUEST),
    );
    for (const user of added) userIds.set(user.email, user.id);
  }

  const waiting = [...copies];
  const write = async () => {
    for (let copy = waiting.shift(); copy; copy = waiting.shift()) {
      const { record, worker } = originals[copy.template];
      const applied = Object.fromEntries(
        Object.entries(JSON.parse(record.applied ?? "{}") as Record<string, { effectiveDate: string }>).map(
          ([type, event]) => [type, { ...event, eventId: `copied-${copy.employeeId}-${type}` }],
        ),
      );
      await employees.update(copy.employeeId, {
        lifecycleState: record.lifecycleState ?? "active",
        worker: JSON.stringify({
          ...worker,
          employeeId: copy.employeeId,
          email: copy.email,
          lastName: copy.lastName,
        }),
        workerAsOf: record.workerAsOf ?? null,
        genesysUserId: userIds.get(copy.email)!,
        applied: JSON.stringify(applied),
        assigned: record.assigned!,
      });
    }
  };
  await Promise.all(Array.from({ length: ROWS_IN_FLIGHT }, write));
}
