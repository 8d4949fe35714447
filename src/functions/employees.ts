import type { HttpHandler } from "@azure/functions";
import type { LifecyclePolicy } from "../activities/dependencies";
import { dueAt } from "../lifecycle/event-queue";
import { EmployeeIdSchema, HrWorkerSchema, type HrWorker } from "../lifecycle/hr-event";
import { Catalog, type OrgDirectory } from "../lifecycle/org";
import type { AssignedSnapshot } from "../lifecycle/state";
import type { AuditRepository } from "../storage/audit";
import {
  appliedEventsOf,
  lifecycleStateOf,
  type EmployeeRecord,
  type EmployeeRepository,
  type ManagerLink,
} from "../storage/employees";

export interface EmployeeRoutesDependencies {
  employees: Pick<EmployeeRepository, "get" | "pendingEvents" | "findByEmail">;
  audit: Pick<AuditRepository, "list">;
  policy: Pick<LifecyclePolicy, "hireLeadTimeInMs">;
  /** Names the roles, divisions, queues, skills and languages of the assigned profile (cached listings). */
  org: OrgDirectory;
}

/** `?email=` of `GET /api/employees`; also the API document's parameter. */
export const EmployeeSearchQuerySchema = HrWorkerSchema.shape.email;

const auditPath = (employeeId: string) => `/api/employees/${encodeURIComponent(employeeId)}/audit`;

/** The route's employee id, when it could be one: anything else is an employee this product never saw. */
const employeeIdOf = (params: Record<string, string | undefined>): string | undefined => {
  const parsed = EmployeeIdSchema.safeParse(params.employeeId);
  return parsed.success ? parsed.data : undefined;
};
const noEmployee = (employeeId: string | undefined) => ({
  status: 404,
  jsonBody: { error: "not_found", message: `no employee ${JSON.stringify(employeeId ?? "")}` },
});

/**
 * `GET /api/employees/{employeeId}`: where the employee is in the lifecycle, the Genesys user, the events still
 * to come with their due dates, an unresolved manager link, a scheduled deletion, and the link to the audit.
 */
export function createEmployeeHandler(deps: EmployeeRoutesDependencies): HttpHandler {
  return async (request) => {
    const employeeId = employeeIdOf(request.params);
    if (employeeId === undefined) return noEmployee(request.params.employeeId);
    const [record, pending] = await Promise.all([
      deps.employees.get(employeeId),
      deps.employees.pendingEvents(employeeId),
    ]);
    if (!record && pending.length === 0) return noEmployee(employeeId);
    const manager = record?.managerPending ? (JSON.parse(record.managerPending) as ManagerLink) : undefined;
    return {
      status: 200,
      headers: { "Cache-Control": "no-store" },
      jsonBody: {
        employeeId,
        state: lifecycleStateOf(record),
        worker: workerOf(record) ?? null,
        genesysUserId: record?.genesysUserId ?? null,
        assigned: record?.assigned
          ? await nameAssigned(JSON.parse(record.assigned) as AssignedSnapshot, deps.org)
          : null,
        pendingEvents: pending
          .map((event) => ({
            eventId: event.eventId,
            type: event.type,
            effectiveDate: event.effectiveDate,
            dueAt: new Date(dueAt(event, deps.policy)).toISOString(),
            source: event.source,
            receivedAt: event.receivedAt,
          }))
          .sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
        managerPending: manager
          ? { manager: manager.managerEmployeeId ?? manager.managerEmail, since: manager.since }
          : null,
        deleteAt: record?.deleteAt ?? null,
        applied: appliedEventsOf(record),
        audit: auditPath(employeeId),
      },
    };
  };
}

/** `GET /api/employees/{employeeId}/audit`: the employee's story, oldest first. */
export function createEmployeeAuditHandler(deps: Pick<EmployeeRoutesDependencies, "audit">): HttpHandler {
  return async (request) => {
    const employeeId = employeeIdOf(request.params);
    if (employeeId === undefined) return noEmployee(request.params.employeeId);
    return { status: 200, jsonBody: { entries: await deps.audit.list(employeeId) } };
  };
}

const workerOf = (record: EmployeeRecord | undefined): HrWorker | undefined =>
  record?.worker ? (JSON.parse(record.worker) as HrWorker) : undefined;

/**
 * The profile this product assigned last time, by name as well as id. Names come from the org's (cached)
 * listings; when Genesys cannot be read, the ids stand in for the names rather than failing the lookup.
 */
async function nameAssigned(assigned: AssignedSnapshot, org: OrgDirectory) {
  const catalog = await Catalog.load(org).catch(
    () => new Catalog({ roles: [], divisions: [], queues: [], skills: [], languages: [] }),
  );
  return {
    mappingVersion: assigned.mappingVersion ?? null,
    roles: assigned.grants.map((grant) => ({
      role: catalog.describe("role", grant.roleId),
      division: catalog.describe("division", grant.divisionId),
    })),
    queues: assigned.queueIds.map((id) => catalog.describe("queue", id)),
    skills: assigned.skillIds.map((id) => catalog.describe("skill", id)),
    languages: assigned.languageIds.map((id) => catalog.describe("language", id)),
  };
}

/**
 * `GET /api/employees?email=…`: the employees whose HR record has this email (ignoring case), each with their
 * lifecycle state and where to read more. An email can move between people over the years, so it is a list.
 */
export function createEmployeeSearchHandler(
  deps: Pick<EmployeeRoutesDependencies, "employees">,
): HttpHandler {
  return async (request) => {
    const email = EmployeeSearchQuerySchema.safeParse(request.query.get("email") ?? undefined);
    if (!email.success) {
      return {
        status: 400,
        jsonBody: { error: "invalid_field", field: "email", message: "email must be an email address" },
      };
    }
    const records = await deps.employees.findByEmail(email.data);
    return {
      status: 200,
      headers: { "Cache-Control": "no-store" },
      jsonBody: {
        employees: records.map((record) => {
          const worker = workerOf(record);
          return {
            employeeId: record.employeeKey,
            state: lifecycleStateOf(record),
            name: worker ? `${worker.preferredName ?? worker.firstName} ${worker.lastName}` : null,
            email: worker?.email ?? null,
            title: worker?.title ?? null,
            url: `/api/employees/${encodeURIComponent(record.employeeKey)}`,
          };
        }),
      },
    };
  };
}
