import type { HttpHandler } from "@azure/functions";
import type { LifecyclePolicy } from "../activities/dependencies";
import { dueAt } from "../lifecycle/event-queue";
import { EmployeeIdSchema } from "../lifecycle/hr-event";
import type { AuditRepository } from "../storage/audit";
import {
  appliedEventsOf,
  lifecycleStateOf,
  type EmployeeRepository,
  type ManagerLink,
} from "../storage/employees";

export interface EmployeeRoutesDependencies {
  employees: Pick<EmployeeRepository, "get" | "pendingEvents">;
  audit: Pick<AuditRepository, "list">;
  policy: Pick<LifecyclePolicy, "hireLeadTimeInMs">;
}

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
        genesysUserId: record?.genesysUserId ?? null,
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
