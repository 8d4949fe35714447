/**
 * Audits: the handlers record an `AuditLogMessage` for each change they apply (who, when, what), and
 * `POST /api/v2/audits/query/realtime` answers queries over them as Genesys's realtime audit does.
 *
 * Where Genesys logs what: a user's own fields (state, division, manager, profile, employer info) under
 * Directory on the user; role grants under PeoplePermissions on the user; queue membership under Routing on the
 * queue (the member's id in the values); skills and languages under Routing on the user. List-like properties
 * (grants, members, skills, languages) carry what was taken away in `oldValues` and what was added in
 * `newValues`; a skill or language is written `id:proficiency`, a grant `roleId:divisionId`.
 */
import { badRequest, show } from "./errors";
import { newId } from "./ids";
import { bodyObject, queryInt, queryList } from "./paging";
import { requireAnyDivisionPermission } from "./permissions";
import type { RequestContext, Router } from "./router";
import type { AuditRecord, PropertyChange, UserRecord } from "./state";

/** Kept messages at most (oldest dropped first); Genesys keeps 14 days, an emulator run is shorter. */
const MAX_KEPT = 200_000;
const FILTERS = ["UserId", "ClientId", "Action", "EntityType", "EntityId"] as const;
const MAX_PAGE_SIZE = 500;

/** Records one change made by the caller of `ctx`; a change that changed nothing is not recorded. */
export function recordAudit(
  ctx: RequestContext,
  message: Pick<AuditRecord, "serviceName" | "action" | "entityType" | "entity"> & {
    propertyChanges: (PropertyChange | undefined)[];
    context?: Record<string, string>;
  },
): void {
  const propertyChanges = message.propertyChanges.filter((c): c is PropertyChange => c !== undefined);
  if (propertyChanges.length === 0) return;
  const audits = ctx.emulator.state.audits;
  audits.push({
    ...message,
    id: newId(),
    eventDate: new Date().toISOString(),
    clientId: ctx.client.id,
    ...(ctx.client.userId ? { userId: ctx.client.userId } : {}),
    propertyChanges,
    context: message.context ?? {},
  });
  // Dropped a tenth at a time, so a long load test does not move the whole log on every write.
  if (audits.length > MAX_KEPT * 1.1) audits.splice(0, audits.length - MAX_KEPT);
}

/** A single-valued property's change, or nothing when it did not change. */
export function valueChange(
  property: string,
  before: string | undefined,
  after: string | undefined,
): PropertyChange | undefined {
  if (before === after) return undefined;
  return {
    property,
    oldValues: before === undefined ? [] : [before],
    newValues: after === undefined ? [] : [after],
  };
}

/** A list-like property's change: what was taken away and what was added, or nothing when neither. */
export function listChange(
  property: string,
  before: Iterable<string>,
  after: Iterable<string>,
): PropertyChange | undefined {
  const was = new Set(before);
  const is = new Set(after);
  const oldValues = [...was].filter((v) => !is.has(v));
  const newValues = [...is].filter((v) => !was.has(v));
  return oldValues.length + newValues.length === 0 ? undefined : { property, oldValues, newValues };
}

/** The Directory fields of a user as an audit shows them. */
export function directoryFields(user: UserRecord): Record<string, string | undefined> {
  const employerInfo = Object.fromEntries(
    Object.entries(user.employerInfo ?? {}).map(([k, v]) => [k, v === undefined ? undefined : show(v)]),
  );
  return {
    name: user.name,
    email: user.email,
    state: user.state,
    division: user.divisionId,
    manager: user.managerId,
    title: user.title,
    department: user.department,
    preferredName: user.preferredName,
    acdAutoAnswer: String(user.acdAutoAnswer),
    ...employerInfo,
  };
}

/** Records a change to a user's Directory fields, from `before` (a `directoryFields` taken earlier). */
export function recordDirectoryChange(
  ctx: RequestContext,
  user: UserRecord,
  before: Record<string, string | undefined>,
  action: "Create" | "Update" | "Delete",
): void {
  const after = directoryFields(user);
  const properties = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  recordAudit(ctx, {
    serviceName: "Directory",
    action,
    entityType: "User",
    entity: { id: user.id, name: user.name },
    propertyChanges: properties.map((p) => valueChange(p, before[p], after[p])),
  });
}

/** Records a change to a user's role grants, from the grants held before. */
export function recordGrantChange(
  ctx: RequestContext,
  user: UserRecord,
  before: { roleId: string; divisionId: string }[],
): void {
  const values = (grants: { roleId: string; divisionId: string }[]) =>
    grants.map((g) => `${g.roleId}:${g.divisionId}`);
  recordAudit(ctx, {
    serviceName: "PeoplePermissions",
    action: "Update",
    entityType: "User",
    entity: { id: user.id, name: user.name },
    propertyChanges: [listChange("roleDivisionGrants", values(before), values(user.grants))],
  });
}

function parseQuery(ctx: RequestContext) {
  const body = bodyObject(ctx.body);
  const interval = typeof body.interval === "string" ? body.interval.split("/") : [];
  const [start, end] = interval.map((t) => Date.parse(t));
  if (interval.length !== 2 || !Number.isFinite(start) || !Number.isFinite(end) || start > end)
    throw badRequest(
      "interval must be an ISO-8601 interval start/end, e.g. 2026-01-01T00:00:00Z/2026-01-02T00:00:00Z",
      "invalid.value",
      "interval",
    );
  if (typeof body.serviceName !== "string" || body.serviceName === "")
    throw badRequest("serviceName is required for a realtime audit query", "invalid.value", "serviceName");
  const filters = (Array.isArray(body.filters) ? body.filters : []) as {
    property?: unknown;
    value?: unknown;
  }[];
  for (const f of filters)
    if (!FILTERS.includes(f.property as (typeof FILTERS)[number]) || typeof f.value !== "string")
      throw badRequest(
        `a filter needs a property (${FILTERS.join(", ")}) and a value, got ${JSON.stringify(f)}`,
        "invalid.value",
        "filters",
      );
  const sort = (Array.isArray(body.sort) ? body.sort : []) as { name?: unknown; sortOrder?: unknown }[];
  for (const s of sort)
    if (s.name !== "Timestamp" || (s.sortOrder !== "ascending" && s.sortOrder !== "descending"))
      throw badRequest(
        `sort is by Timestamp, ascending or descending, got ${JSON.stringify(s)}`,
        "invalid.value",
        "sort",
      );
  const paging = new URLSearchParams();
  for (const key of ["pageSize", "pageNumber"] as const)
    if (body[key] !== undefined) paging.set(key, show(body[key]));
  return {
    start,
    end,
    serviceName: body.serviceName,
    filters: filters as { property: (typeof FILTERS)[number]; value: string }[],
    descending: sort[0]?.sortOrder !== "ascending",
    pageSize: queryInt(paging, "pageSize", 25, MAX_PAGE_SIZE),
    pageNumber: queryInt(paging, "pageNumber", 1),
  };
}

const filterValue = (a: AuditRecord, property: (typeof FILTERS)[number]): string | undefined =>
  ({
    UserId: a.userId,
    ClientId: a.clientId,
    Action: a.action,
    EntityType: a.entityType,
    EntityId: a.entity.id,
  })[property];

/** `POST /api/v2/audits/query/realtime`: an `AuditRealtimeQueryResultsResponse`. */
function queryRealtime(ctx: RequestContext) {
  const { state } = ctx.emulator;
  // Audits belong to no division: holding the permission anywhere is enough.
  requireAnyDivisionPermission(state, ctx.client, "audits:audit:view");
  const q = parseQuery(ctx);
  const expandUser = queryList(ctx.query, "expand").includes("user");
  const matching = state.audits
    .filter((a) => a.serviceName === q.serviceName)
    .filter((a) => {
      const at = Date.parse(a.eventDate);
      return at >= q.start && at <= q.end;
    })
    .filter((a) => q.filters.every((f) => filterValue(a, f.property) === f.value));
  // Recorded in time order: newest first is the list backwards.
  const ordered = q.descending ? [...matching].reverse() : matching;
  const page = ordered.slice((q.pageNumber - 1) * q.pageSize, q.pageNumber * q.pageSize);
  return {
    status: 200,
    body: {
      entities: page.map((a) => {
        const user = a.userId ? state.users.get(a.userId) : undefined;
        return {
          id: a.id,
          ...(a.userId
            ? {
                user: {
                  id: a.userId,
                  ...(expandUser && user ? { name: user.name } : {}),
                  selfUri: `/api/v2/users/${a.userId}`,
                },
              }
            : {}),
          client: { id: a.clientId, selfUri: `/api/v2/oauth/clients/${a.clientId}` },
          serviceName: a.serviceName,
          level: "USER",
          eventDate: a.eventDate,
          action: a.action,
          entity: a.entity,
          entityType: a.entityType,
          status: "SUCCESS",
          propertyChanges: a.propertyChanges,
          context: a.context,
        };
      }),
      pageSize: q.pageSize,
      pageNumber: q.pageNumber,
      total: matching.length,
      pageCount: Math.max(1, Math.ceil(matching.length / q.pageSize)),
    },
  };
}

export function registerAuditRoutes(router: Router): void {
  router.add("POST", "/api/v2/audits/query/realtime", queryRealtime);
}
