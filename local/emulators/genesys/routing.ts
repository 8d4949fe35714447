/** Routing: queues and their members, skills, languages, a user's skills/languages/queues, routing status. */
import { listChange, recordAudit } from "./audits";
import { badRequest, GenesysApiError, invalidId, notFound, show } from "./errors";
import { bodyArray, bodyObject, nowIso, paginate, queryInt, queryList } from "./paging";
import { permittedDivisions, requireAnyDivisionPermission, requireDivisionPermission } from "./permissions";
import type { RequestContext, Router } from "./router";
import type { NamedEntity, Queue, RoutingStatusValue, UserRecord } from "./state";
import { lookupUser } from "./users";
import { queueView, routingStatusView, userLanguageView, userRef, userSkillView } from "./views";

const MAX_QUEUE_MEMBERS_PER_CALL = 100;
const MAX_SKILLS_PER_CALL = 50;
const QUEUE_EDIT = ["routing:queue:edit", "routing:queueMember:manage"];

/** Queue names allow leading and trailing `*` wildcards, as Genesys documents. */
function nameMatches(name: string, pattern: string): boolean {
  const starts = pattern.endsWith("*");
  const ends = pattern.startsWith("*");
  const core = pattern.replace(/^\*+|\*+$/g, "").toLowerCase();
  const n = name.toLowerCase();
  if (starts && ends) return n.includes(core);
  if (starts) return n.startsWith(core);
  if (ends) return n.endsWith(core);
  return n === core;
}

function listQueues(ctx: RequestContext) {
  const { state } = ctx.emulator;
  requireAnyDivisionPermission(state, ctx.client, "routing:queue:view");
  const visible = permittedDivisions(state, ctx.client, "routing:queue:view").divisionIds;
  const name = ctx.query.get("name");
  const ids = new Set(queryList(ctx.query, "id"));
  const divisionIds = new Set(queryList(ctx.query, "divisionId"));
  const descending = (ctx.query.get("sortOrder") ?? "asc").toLowerCase() === "desc";
  const queues = [...state.queues.values()]
    .filter((q) => visible.has(q.divisionId))
    .filter((q) => !name || nameMatches(q.name, name))
    .filter((q) => ids.size === 0 || ids.has(q.id))
    .filter((q) => divisionIds.size === 0 || divisionIds.has(q.divisionId))
    .sort((a, b) => a.name.localeCompare(b.name) * (descending ? -1 : 1));
  const page = paginate(queues, ctx.query, "/api/v2/routing/queues");
  return { status: 200, body: { ...page, entities: page.entities.map((q) => queueView(state, q)) } };
}

function lookupQueue(ctx: RequestContext, permission: string | string[]): Queue {
  const queue = ctx.emulator.state.queues.get(ctx.params.queueId);
  if (!queue) throw notFound("queue", ctx.params.queueId);
  requireDivisionPermission(ctx.emulator.state, ctx.client, permission, queue.divisionId);
  return queue;
}

function getQueue(ctx: RequestContext) {
  return { status: 200, body: queueView(ctx.emulator.state, lookupQueue(ctx, "routing:queue:view")) };
}

/** `QueueMemberEntityListing`: paged, without `total` or `pageCount`. */
function listQueueMembers(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const queue = lookupQueue(ctx, "routing:queue:view");
  const pageSize = queryInt(ctx.query, "pageSize", 25, 100);
  const pageNumber = queryInt(ctx.query, "pageNumber", 1);
  const joined = ctx.query.get("joined");
  const memberBy = ctx.query.get("memberBy");
  if (memberBy === "group") return { status: 200, body: { entities: [], pageSize, pageNumber } };
  const members = [...queue.members]
    .filter(([, isJoined]) => joined === null || String(isJoined) === joined)
    .map(([userId, isJoined]) => ({ user: state.users.get(userId)!, joined: isJoined }))
    .filter((m) => m.user !== undefined)
    .sort((a, b) => a.user.name.localeCompare(b.user.name));
  const slice = members.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  const base = `/api/v2/routing/queues/${queue.id}/members`;
  const body: Record<string, unknown> = {
    entities: slice.map((m) => ({
      id: m.user.id,
      name: m.user.name,
      user: { ...userRef(m.user), state: m.user.state },
      ringNumber: 1,
      joined: m.joined,
      memberBy: "user",
      routingStatus: routingStatusView(m.user),
      selfUri: `${base}/${m.user.id}`,
    })),
    pageSize,
    pageNumber,
    firstUri: `${base}?pageSize=${pageSize}&pageNumber=1`,
    selfUri: `${base}?pageSize=${pageSize}&pageNumber=${pageNumber}`,
  };
  if (pageNumber * pageSize < members.length)
    body.nextUri = `${base}?pageSize=${pageSize}&pageNumber=${pageNumber + 1}`;
  if (pageNumber > 1) body.previousUri = `${base}?pageSize=${pageSize}&pageNumber=${pageNumber - 1}`;
  return { status: 200, body };
}

/** Bulk add (or, with `delete=true`, remove) up to 100 members. */
function postQueueMembers(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const queue = lookupQueue(ctx, QUEUE_EDIT);
  const members = bodyArray(ctx.body);
  if (members.length === 0 || members.length > MAX_QUEUE_MEMBERS_PER_CALL)
    throw badRequest(
      `Make sure you submit a valid number of queue members (1 to ${MAX_QUEUE_MEMBERS_PER_CALL}); got ${members.length}.`,
      "bad.request",
    );
  const remove = ctx.query.get("delete") === "true";
  const users = members.map((m) => {
    const id = (m as { id?: unknown } | null)?.id;
    if (typeof id !== "string") throw badRequest("Each member needs an id", "invalid.value", "id");
    const user = state.users.get(id);
    if (!user || user.state === "deleted") throw invalidId("user", id, "id");
    return user;
  });
  const before = [...queue.members.keys()];
  for (const user of users) {
    if (remove) queue.members.delete(user.id);
    else if (!queue.members.has(user.id)) queue.members.set(user.id, true);
  }
  recordMembership(ctx, queue, before, remove ? "MemberRemove" : "MemberAdd");
  return { status: 204 };
}

/** Membership is logged on the queue, the members' ids in the values. */
function recordMembership(ctx: RequestContext, queue: Queue, before: string[], action: string) {
  recordAudit(ctx, {
    serviceName: "Routing",
    action,
    entityType: "Queue",
    entity: { id: queue.id, name: queue.name },
    propertyChanges: [listChange("members", before, queue.members.keys())],
  });
}

function deleteQueueMember(ctx: RequestContext) {
  const queue = lookupQueue(ctx, QUEUE_EDIT);
  const user = ctx.emulator.state.users.get(ctx.params.memberId);
  if (!user) throw notFound("user", ctx.params.memberId);
  const before = [...queue.members.keys()];
  queue.members.delete(user.id);
  recordMembership(ctx, queue, before, "MemberRemove");
  return { status: 204 };
}

function listUserQueues(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const user = lookupUser(ctx, ctx.params.userId);
  requireAnyDivisionPermission(state, ctx.client, "routing:queue:view");
  const joined = ctx.query.get("joined");
  const divisionIds = new Set(queryList(ctx.query, "divisionId"));
  const queues = [...state.queues.values()]
    .filter((q) => q.members.has(user.id))
    .filter((q) => joined === null || String(q.members.get(user.id)) === joined)
    .filter((q) => divisionIds.size === 0 || divisionIds.has(q.divisionId))
    .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(queues, ctx.query, `/api/v2/users/${user.id}/queues`);
  return {
    status: 200,
    body: {
      ...page,
      entities: page.entities.map((q) => ({ ...queueView(state, q), joined: q.members.get(user.id) })),
    },
  };
}

/** Join/unjoin queues the user is a member of; other pairs are disregarded, as Genesys documents. */
function patchUserQueues(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const user = lookupUser(ctx, ctx.params.userId);
  const changes = bodyArray(ctx.body) as { id?: string; joined?: boolean }[];
  for (const change of changes) {
    const queue = change.id ? state.queues.get(change.id) : undefined;
    if (!queue || !queue.members.has(user.id)) continue;
    requireDivisionPermission(
      state,
      ctx.client,
      ["routing:queue:join", "routing:queueMember:manage"],
      queue.divisionId,
    );
    const joined = change.joined !== false;
    if (queue.members.get(user.id) !== joined)
      recordAudit(ctx, {
        serviceName: "Routing",
        action: "MemberUpdate",
        entityType: "Queue",
        entity: { id: queue.id, name: queue.name },
        propertyChanges: [{ property: "joined", oldValues: [String(!joined)], newValues: [String(joined)] }],
        context: { userId: user.id },
      });
    queue.members.set(user.id, joined);
  }
  return listUserQueues(ctx);
}

function lookupNamed(
  ctx: RequestContext,
  map: Map<string, NamedEntity>,
  startsWith: boolean,
  base: string,
  view: (e: NamedEntity) => unknown,
) {
  const name = ctx.query.get("name")?.toLowerCase();
  const ids = new Set(queryList(ctx.query, "id"));
  const entities = [...map.values()]
    .filter(
      (e) => !name || (startsWith ? e.name.toLowerCase().startsWith(name) : e.name.toLowerCase() === name),
    )
    .filter((e) => ids.size === 0 || ids.has(e.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(entities, ctx.query, base);
  return { status: 200, body: { ...page, entities: page.entities.map(view) } };
}

const skillView = (s: NamedEntity) => ({
  id: s.id,
  name: s.name,
  state: "active",
  dateModified: s.dateModified,
  version: "1",
  selfUri: `/api/v2/routing/skills/${s.id}`,
});
const languageView = (l: NamedEntity) => ({
  id: l.id,
  name: l.name,
  state: "active",
  dateModified: l.dateModified,
  version: "1",
  selfUri: `/api/v2/routing/languages/${l.id}`,
});

function proficiencyOf(value: unknown): number {
  if (value === undefined || value === null)
    throw badRequest("proficiency may not be null", "constraint.validation", "proficiency");
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 5)
    throw badRequest(
      `proficiency must be between 0 and 5, got ${show(value)}`,
      "invalid.value",
      "proficiency",
    );
  return value;
}

type Kind = "skill" | "language";
const KINDS = {
  skill: { map: "skills", permission: ["routing:skill:assign"], view: userSkillView },
  language: {
    map: "languages",
    permission: ["routing:skill:assign", "routing:language:assign"],
    view: userLanguageView,
  },
} as const;

function userEntries(ctx: RequestContext, kind: Kind, user: UserRecord) {
  const { view, map } = KINDS[kind];
  const entries = [...user[map]]
    .map(([id, p]) => view(ctx.emulator.state, id, p))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const page = paginate(entries, ctx.query, `/api/v2/users/${user.id}/routing${kind}s`);
  return { status: 200, body: page };
}

/** Parses a `UserRoutingSkillPost[]` / `UserRoutingLanguagePost[]`, all ids known, all proficiencies 0–5. */
function parseAssignments(ctx: RequestContext, kind: Kind, raw: unknown[]): [string, number][] {
  if (raw.length > MAX_SKILLS_PER_CALL)
    throw badRequest(
      `Max ${MAX_SKILLS_PER_CALL} routing ${kind}s in request body; got ${raw.length}.`,
      "bad.request",
    );
  const catalogue = ctx.emulator.state[KINDS[kind].map];
  return raw.map((item) => {
    const entry = item as { id?: unknown; proficiency?: unknown } | null;
    if (typeof entry?.id !== "string")
      throw badRequest(`Each ${kind} needs an id`, "constraint.validation", "id");
    if (!catalogue.has(entry.id)) throw invalidId(kind, entry.id, "id");
    return [entry.id, proficiencyOf(entry.proficiency)];
  });
}

function editableUser(ctx: RequestContext, kind: Kind): UserRecord {
  const user = lookupUser(ctx, ctx.params.userId);
  requireDivisionPermission(ctx.emulator.state, ctx.client, [...KINDS[kind].permission], user.divisionId);
  return user;
}

/** Records a change to a user's skills or languages, from the assignments held before. */
function recordEntries(ctx: RequestContext, kind: Kind, user: UserRecord, before: Map<string, number>) {
  const values = (map: Map<string, number>) => [...map].map(([id, p]) => `${id}:${p}`);
  recordAudit(ctx, {
    serviceName: "Routing",
    action: "Update",
    entityType: "User",
    entity: { id: user.id, name: user.name },
    propertyChanges: [listChange(KINDS[kind].map, values(before), values(user[KINDS[kind].map]))],
  });
}

function bulk(kind: Kind, replace: boolean) {
  return (ctx: RequestContext) => {
    const user = editableUser(ctx, kind);
    const assignments = parseAssignments(ctx, kind, bodyArray(ctx.body));
    const map = user[KINDS[kind].map];
    const before = new Map(map);
    if (replace) map.clear();
    for (const [id, p] of assignments) map.set(id, p);
    ctx.emulator.userChanged(user, { bumpVersion: false });
    recordEntries(ctx, kind, user, before);
    return userEntries(ctx, kind, user);
  };
}

function addOne(kind: Kind) {
  return (ctx: RequestContext) => {
    const user = editableUser(ctx, kind);
    const [[id, p]] = parseAssignments(ctx, kind, [bodyObject(ctx.body)]) as [[string, number]];
    const before = new Map(user[KINDS[kind].map]);
    user[KINDS[kind].map].set(id, p);
    ctx.emulator.userChanged(user, { bumpVersion: false });
    recordEntries(ctx, kind, user, before);
    return { status: 200, body: KINDS[kind].view(ctx.emulator.state, id, p) };
  };
}

function updateOne(kind: Kind, param: "skillId" | "languageId") {
  return (ctx: RequestContext) => {
    const user = editableUser(ctx, kind);
    const id = ctx.params[param];
    if (!ctx.emulator.state[KINDS[kind].map].has(id)) throw notFound(kind, id);
    const p = proficiencyOf(bodyObject(ctx.body).proficiency);
    const before = new Map(user[KINDS[kind].map]);
    user[KINDS[kind].map].set(id, p);
    ctx.emulator.userChanged(user, { bumpVersion: false });
    recordEntries(ctx, kind, user, before);
    return { status: 200, body: KINDS[kind].view(ctx.emulator.state, id, p) };
  };
}

function removeOne(kind: Kind, param: "skillId" | "languageId") {
  return (ctx: RequestContext) => {
    const user = editableUser(ctx, kind);
    const id = ctx.params[param];
    if (!ctx.emulator.state[KINDS[kind].map].has(id)) throw notFound(kind, id);
    const before = new Map(user[KINDS[kind].map]);
    user[KINDS[kind].map].delete(id);
    ctx.emulator.userChanged(user, { bumpVersion: false });
    recordEntries(ctx, kind, user, before);
    return { status: 204 };
  };
}

const STATUSES: RoutingStatusValue[] = [
  "OFF_QUEUE",
  "IDLE",
  "INTERACTING",
  "NOT_RESPONDING",
  "COMMUNICATING",
];
/** Which statuses a client may set is not documented; only going off queue or idle is accepted here. */
const SETTABLE: RoutingStatusValue[] = ["OFF_QUEUE", "IDLE"];

function getRoutingStatus(ctx: RequestContext) {
  const user = ctx.emulator.state.users.get(ctx.params.userId);
  // "A value of OFF_QUEUE will be returned if the specified user does not exist."
  if (!user)
    return { status: 200, body: { userId: ctx.params.userId, status: "OFF_QUEUE", startTime: nowIso() } };
  return { status: 200, body: routingStatusView(user) };
}

function putRoutingStatus(ctx: RequestContext) {
  const user = lookupUser(ctx, ctx.params.userId);
  const status = bodyObject(ctx.body).status as RoutingStatusValue | undefined;
  if (!status) throw badRequest("status may not be null", "constraint.validation", "status");
  if (!STATUSES.includes(status))
    throw badRequest(`Unknown routing status ${status}`, "invalid.value", "status");
  if (!SETTABLE.includes(status))
    throw new GenesysApiError(
      400,
      "invalid.value",
      `Routing status can only be set to ${SETTABLE.join(" or ")}`,
      { details: [{ fieldName: "status" }] },
    );
  if (user.routingStatus.status !== status) user.routingStatus = { status, startTime: nowIso() };
  return { status: 200, body: routingStatusView(user) };
}

export function registerRoutingRoutes(router: Router): void {
  router
    .add("GET", "/api/v2/routing/queues", listQueues)
    .add("GET", "/api/v2/routing/queues/{queueId}", getQueue)
    .add("GET", "/api/v2/routing/queues/{queueId}/members", listQueueMembers)
    .add("POST", "/api/v2/routing/queues/{queueId}/members", postQueueMembers)
    .add("DELETE", "/api/v2/routing/queues/{queueId}/members/{memberId}", deleteQueueMember)
    .add("GET", "/api/v2/users/{userId}/queues", listUserQueues)
    .add("PATCH", "/api/v2/users/{userId}/queues", patchUserQueues)
    .add("GET", "/api/v2/routing/skills", (ctx) =>
      lookupNamed(ctx, ctx.emulator.state.skills, true, "/api/v2/routing/skills", skillView),
    )
    .add("GET", "/api/v2/routing/languages", (ctx) =>
      lookupNamed(ctx, ctx.emulator.state.languages, true, "/api/v2/routing/languages", languageView),
    )
    .add("GET", "/api/v2/users/{userId}/routingskills", (ctx) =>
      userEntries(ctx, "skill", lookupUser(ctx, ctx.params.userId)),
    )
    .add("PUT", "/api/v2/users/{userId}/routingskills/bulk", bulk("skill", true))
    .add("PATCH", "/api/v2/users/{userId}/routingskills/bulk", bulk("skill", false))
    .add("POST", "/api/v2/users/{userId}/routingskills", addOne("skill"))
    .add("PUT", "/api/v2/users/{userId}/routingskills/{skillId}", updateOne("skill", "skillId"))
    .add("DELETE", "/api/v2/users/{userId}/routingskills/{skillId}", removeOne("skill", "skillId"))
    .add("GET", "/api/v2/users/{userId}/routinglanguages", (ctx) =>
      userEntries(ctx, "language", lookupUser(ctx, ctx.params.userId)),
    )
    .add("PATCH", "/api/v2/users/{userId}/routinglanguages/bulk", bulk("language", false))
    .add("POST", "/api/v2/users/{userId}/routinglanguages", addOne("language"))
    .add("PATCH", "/api/v2/users/{userId}/routinglanguages/{languageId}", updateOne("language", "languageId"))
    .add(
      "DELETE",
      "/api/v2/users/{userId}/routinglanguages/{languageId}",
      removeOne("language", "languageId"),
    )
    .add("GET", "/api/v2/users/{userId}/routingstatus", getRoutingStatus)
    .add("PUT", "/api/v2/users/{userId}/routingstatus", putRoutingStatus);
}
