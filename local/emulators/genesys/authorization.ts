/** Roles, divisions, grants (subjects), moving users between divisions, and the caller's own token. */
import { directoryFields, recordDirectoryChange, recordGrantChange } from "./audits";
import { badRequest, invalidId, notFound } from "./errors";
import { bodyArray, bodyObject, nowIso, paginate, queryList } from "./paging";
import { permittedDivisions, requireAnyDivisionPermission, requireDivisionPermission } from "./permissions";
import type { RequestContext, Router } from "./router";
import { homeDivision, type Grant, type UserRecord } from "./state";
import { lookupUser } from "./users";
import { authorizationView, divisionRef, divisionView, roleView } from "./views";

function listRoles(ctx: RequestContext) {
  const { state } = ctx.emulator;
  requireAnyDivisionPermission(state, ctx.client, "authorization:role:view");
  const names = queryList(ctx.query, "name").map((n) => n.toLowerCase());
  const ids = new Set(queryList(ctx.query, "id"));
  const permission = queryList(ctx.query, "permission");
  const withCount = ctx.query.get("userCount") === "true";
  const roles = [...state.roles.values()]
    .filter((r) => names.length === 0 || names.includes(r.name.toLowerCase()))
    .filter((r) => ids.size === 0 || ids.has(r.id))
    .filter((r) => permission.length === 0 || permission.every((p) => r.permissions.includes(p)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(roles, ctx.query, "/api/v2/authorization/roles");
  const count = (roleId: string) =>
    [...state.users.values()].filter((u) => u.grants.some((g) => g.roleId === roleId)).length;
  return {
    status: 200,
    body: { ...page, entities: page.entities.map((r) => roleView(r, withCount ? count(r.id) : undefined)) },
  };
}

function listDivisions(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const names = queryList(ctx.query, "name").map((n) => n.toLowerCase());
  const ids = new Set(queryList(ctx.query, "id"));
  const divisions = [...state.divisions.values()]
    .filter((d) => names.length === 0 || names.includes(d.name.toLowerCase()))
    .filter((d) => ids.size === 0 || ids.has(d.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(divisions, ctx.query, "/api/v2/authorization/divisions");
  return { status: 200, body: { ...page, entities: page.entities.map(divisionView) } };
}

function homeDivisionRoute(ctx: RequestContext) {
  return { status: 200, body: divisionView(homeDivision(ctx.emulator.state)) };
}

/** Divisions where the caller's OAuth client holds `permission` (`me` is the client for client credentials). */
function divisionsPermitted(ctx: RequestContext) {
  const permission = ctx.query.get("permission");
  if (!permission) throw badRequest("permission is required", "invalid.value", "permission");
  const { state } = ctx.emulator;
  const { all, divisionIds } = permittedDivisions(state, ctx.client, permission);
  const divisions = [...divisionIds]
    .map((id) => state.divisions.get(id)!)
    .sort((a, b) => a.name.localeCompare(b.name));
  const page = paginate(divisions, ctx.query, "/api/v2/authorization/divisionspermitted/paged/me");
  return { status: 200, body: { ...page, entities: page.entities.map(divisionView), allDivsPermitted: all } };
}

function subjectUser(ctx: RequestContext): UserRecord {
  const subjectType = ctx.query.get("subjectType") ?? "PC_USER";
  if (subjectType !== "PC_USER")
    throw badRequest(`Only PC_USER subjects exist here, not ${subjectType}`, "invalid.value", "subjectType");
  return lookupUser(ctx, ctx.params.subjectId);
}

function grantView(ctx: RequestContext, user: UserRecord, grant: Grant) {
  const { state } = ctx.emulator;
  const role = state.roles.get(grant.roleId);
  return {
    subjectId: user.id,
    division: divisionRef(state, grant.divisionId),
    role: { id: grant.roleId, name: role?.name, selfUri: `/api/v2/authorization/roles/${grant.roleId}` },
    grantMadeAt: grant.grantMadeAt,
  };
}

function getSubject(ctx: RequestContext) {
  const user = subjectUser(ctx);
  requireAnyDivisionPermission(ctx.emulator.state, ctx.client, "authorization:grant:view");
  return {
    status: 200,
    body: {
      id: user.id,
      name: user.name,
      grants: user.grants.map((g) => grantView(ctx, user, g)),
      version: user.version,
      selfUri: `/api/v2/authorization/subjects/${user.id}`,
    },
  };
}

/**
 * `GET /api/v2/authorization/divisions/{divisionId}/grants`: every subject's grants in that division, up to 500
 * a page. Grants in all divisions (`*`) are not listed under each division; whether Genesys lists them there is
 * not documented, so the client never relies on it.
 */
function listDivisionGrants(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const divisionId = ctx.params.divisionId;
  if (!state.divisions.has(divisionId)) throw notFound("division", divisionId);
  requireAnyDivisionPermission(state, ctx.client, "authorization:grant:view");
  const grants = [...state.users.values()]
    .filter((user) => user.state !== "deleted")
    .flatMap((user) =>
      user.grants.filter((g) => g.divisionId === divisionId).map((g) => grantView(ctx, user, g)),
    );
  return {
    status: 200,
    body: paginate(grants, ctx.query, `/api/v2/authorization/divisions/${divisionId}/grants`),
  };
}

/**
 * `GET /api/v2/authorization/roles/{roleId}/subjectgrants`: "the subjects' granted divisions in the specified
 * role" (`SubjectDivisionGrants`: id, name, type, divisions). A grant in all divisions is shown as the division
 * `*`, as a subject's own grants show it; Genesys does not document this, so the app confirms from this listing
 * only what it finds and reads anyone else's grants one by one.
 */
function listRoleSubjectGrants(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const roleId = ctx.params.roleId;
  if (!state.roles.has(roleId)) throw notFound("role", roleId);
  requireAnyDivisionPermission(state, ctx.client, "authorization:role:view");
  const subjects = [...state.users.values()]
    .filter((user) => user.state !== "deleted")
    .map((user) => ({ user, grants: user.grants.filter((g) => g.roleId === roleId) }))
    .filter(({ grants }) => grants.length > 0)
    .map(({ user, grants }) => ({
      id: user.id,
      name: user.name,
      type: "PC_USER",
      divisions: grants.map((g) => divisionRef(state, g.divisionId)),
    }));
  return {
    status: 200,
    body: paginate(subjects, ctx.query, `/api/v2/authorization/roles/${roleId}/subjectgrants`),
  };
}

/** `RoleDivisionGrants` → grants, checked: known role and division, and the caller may grant there. */
function parseGrants(ctx: RequestContext, permission: string): { roleId: string; divisionId: string }[] {
  const body = bodyObject(ctx.body);
  if (!Array.isArray(body.grants)) throw badRequest("grants is required", "invalid.value", "grants");
  const { state } = ctx.emulator;
  return body.grants.map((raw: unknown) => {
    const g = raw as { roleId?: unknown; divisionId?: unknown };
    if (typeof g.roleId !== "string")
      throw badRequest("Each grant needs a roleId", "invalid.value", "roleId");
    const divisionId =
      typeof g.divisionId === "string" && g.divisionId !== "" ? g.divisionId : homeDivision(state).id;
    if (!state.roles.has(g.roleId)) throw notFound("role", g.roleId);
    if (divisionId !== "*" && !state.divisions.has(divisionId)) throw notFound("division", divisionId);
    requireDivisionPermission(state, ctx.client, permission, divisionId);
    return { roleId: g.roleId, divisionId };
  });
}

function addGrants(user: UserRecord, grants: { roleId: string; divisionId: string }[]): void {
  for (const g of grants)
    if (!user.grants.some((x) => x.roleId === g.roleId && x.divisionId === g.divisionId))
      user.grants.push({ ...g, grantMadeAt: nowIso() });
}

function bulkAdd(ctx: RequestContext) {
  const user = subjectUser(ctx);
  const grants = parseGrants(ctx, "authorization:grant:add");
  const before = [...user.grants];
  addGrants(user, grants);
  ctx.emulator.userChanged(user, { bumpVersion: false });
  recordGrantChange(ctx, user, before);
  return { status: 204 };
}

/**
 * "Bulk-grant subjects and divisions with an organization role": the role to every subject in every division
 * listed (`SubjectDivisions`). Every subject, division and permission is checked before anything is granted.
 */
function grantRoleToSubjects(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const subjectType = ctx.query.get("subjectType") ?? "PC_USER";
  if (subjectType !== "PC_USER")
    throw badRequest(`subjectType ${subjectType} is not modelled here`, "invalid.value", "subjectType");
  const roleId = ctx.params.roleId;
  if (!state.roles.has(roleId)) throw notFound("role", roleId);
  const body = bodyObject(ctx.body) as { subjectIds?: unknown; divisionIds?: unknown };
  const ids = (value: unknown, field: string): string[] => {
    if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== "string"))
      throw badRequest(`${field} must be a non-empty list of ids`, "invalid.value", field);
    return value as string[];
  };
  const subjectIds = ids(body.subjectIds, "subjectIds");
  const divisionIds = ids(body.divisionIds, "divisionIds");
  for (const divisionId of divisionIds) {
    if (divisionId !== "*" && !state.divisions.has(divisionId)) throw notFound("division", divisionId);
    requireDivisionPermission(state, ctx.client, "authorization:grant:add", divisionId);
  }
  const users = subjectIds.map((id) => {
    const user = state.users.get(id);
    if (!user || user.state === "deleted") throw notFound("user", id);
    return user;
  });
  for (const user of users) {
    const before = [...user.grants];
    addGrants(
      user,
      divisionIds.map((divisionId) => ({ roleId, divisionId })),
    );
    ctx.emulator.userChanged(user, { bumpVersion: false });
    recordGrantChange(ctx, user, before);
  }
  return { status: 204 };
}

function bulkRemove(ctx: RequestContext) {
  const user = subjectUser(ctx);
  const grants = parseGrants(ctx, "authorization:grant:delete");
  const before = user.grants;
  user.grants = user.grants.filter(
    (x) => !grants.some((g) => g.roleId === x.roleId && g.divisionId === x.divisionId),
  );
  ctx.emulator.userChanged(user, { bumpVersion: false });
  recordGrantChange(ctx, user, before);
  return { status: 204 };
}

function bulkReplace(ctx: RequestContext) {
  const user = subjectUser(ctx);
  const grants = parseGrants(ctx, "authorization:grant:add");
  for (const existing of user.grants)
    requireDivisionPermission(
      ctx.emulator.state,
      ctx.client,
      "authorization:grant:delete",
      existing.divisionId,
    );
  const before = user.grants;
  user.grants = [];
  addGrants(user, grants);
  ctx.emulator.userChanged(user, { bumpVersion: false });
  recordGrantChange(ctx, user, before);
  return { status: 204 };
}

function singleGrantTarget(ctx: RequestContext, permission: string) {
  const { state } = ctx.emulator;
  const user = subjectUser(ctx);
  const { divisionId, roleId } = ctx.params as { divisionId: string; roleId: string };
  if (!state.roles.has(roleId)) throw notFound("role", roleId);
  if (divisionId !== "*" && !state.divisions.has(divisionId)) throw notFound("division", divisionId);
  requireDivisionPermission(state, ctx.client, permission, divisionId);
  return { user, divisionId, roleId };
}

function grantOne(ctx: RequestContext) {
  const { user, divisionId, roleId } = singleGrantTarget(ctx, "authorization:grant:add");
  const before = [...user.grants];
  addGrants(user, [{ roleId, divisionId }]);
  ctx.emulator.userChanged(user, { bumpVersion: false });
  recordGrantChange(ctx, user, before);
  return { status: 204 };
}

function revokeOne(ctx: RequestContext) {
  const { user, divisionId, roleId } = singleGrantTarget(ctx, "authorization:grant:delete");
  const before = user.grants;
  user.grants = user.grants.filter((g) => !(g.roleId === roleId && g.divisionId === divisionId));
  ctx.emulator.userChanged(user, { bumpVersion: false });
  recordGrantChange(ctx, user, before);
  return { status: 204 };
}

function getUserRoles(ctx: RequestContext) {
  const user = lookupUser(ctx, ctx.params.subjectId);
  requireAnyDivisionPermission(ctx.emulator.state, ctx.client, "authorization:grant:view");
  return { status: 200, body: authorizationView(ctx.emulator.state, user) };
}

/** "Sets the user's roles": replaces the user's grants in the Home division; grants elsewhere are kept. */
function putUserRoles(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const user = lookupUser(ctx, ctx.params.subjectId);
  const roleIds = bodyArray(ctx.body).map(String);
  const home = homeDivision(state).id;
  for (const roleId of roleIds) if (!state.roles.has(roleId)) throw notFound("role", roleId);
  requireDivisionPermission(state, ctx.client, "authorization:grant:add", home);
  const before = user.grants;
  user.grants = user.grants.filter((g) => g.divisionId !== home);
  addGrants(
    user,
    roleIds.map((roleId) => ({ roleId, divisionId: home })),
  );
  ctx.emulator.userChanged(user, { bumpVersion: false });
  recordGrantChange(ctx, user, before);
  return { status: 200, body: authorizationView(state, user) };
}

/** Moves users (or queues) into a division; the caller needs edit rights in both the old and new one. */
function moveObjects(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const { divisionId, objectType } = ctx.params as { divisionId: string; objectType: string };
  if (!state.divisions.has(divisionId)) throw notFound("division", divisionId);
  const ids = bodyArray(ctx.body).map(String);
  if (ids.length === 0) throw badRequest("Provide at least one object id", "bad.request");
  if (objectType === "USER") {
    const users = ids.map((id) => {
      const user = state.users.get(id);
      if (!user || user.state === "deleted") throw invalidId("user", id);
      return user;
    });
    for (const user of users) {
      requireDivisionPermission(
        state,
        ctx.client,
        ["authorization:division:edit", "directory:user:edit"],
        user.divisionId,
      );
      requireDivisionPermission(
        state,
        ctx.client,
        ["authorization:division:edit", "directory:user:edit"],
        divisionId,
      );
    }
    for (const user of users) {
      const before = directoryFields(user);
      user.divisionId = divisionId;
      ctx.emulator.userChanged(user);
      recordDirectoryChange(ctx, user, before, "Update");
    }
  } else if (objectType === "QUEUE") {
    const queues = ids.map(
      (id) =>
        state.queues.get(id) ??
        (() => {
          throw invalidId("queue", id);
        })(),
    );
    for (const q of queues) {
      requireDivisionPermission(
        state,
        ctx.client,
        ["authorization:division:edit", "routing:queue:edit"],
        q.divisionId,
      );
      requireDivisionPermission(
        state,
        ctx.client,
        ["authorization:division:edit", "routing:queue:edit"],
        divisionId,
      );
    }
    for (const q of queues) q.divisionId = divisionId;
  } else {
    throw badRequest(
      `Moving objects of type ${objectType} is not supported here`,
      "invalid.value",
      "objectType",
    );
  }
  return { status: 204 };
}

function tokenMe(ctx: RequestContext) {
  const issued = ctx.emulator.tokens.get(ctx.token)!;
  const { organization } = ctx.emulator.state;
  return {
    status: 200,
    body: {
      organization: { id: organization.id, name: organization.name },
      homeOrganization: { id: organization.id, name: organization.name },
      authorizedScope: [],
      OAuthClient: { id: ctx.client.id, name: ctx.client.name, organization: { id: organization.id } },
      dateTokenIdles: new Date(issued.expiresAt).toISOString(),
    },
  };
}

function getOAuthClient(ctx: RequestContext) {
  const { state } = ctx.emulator;
  requireAnyDivisionPermission(state, ctx.client, "oauth:client:view");
  const client = state.clients.get(ctx.params.clientId);
  if (!client) throw notFound("OAuth client", ctx.params.clientId);
  return {
    status: 200,
    body: {
      id: client.id,
      name: client.name,
      authorizedGrantType: "CLIENT-CREDENTIALS",
      accessTokenValiditySeconds: ctx.emulator.tokenLifetimeSeconds,
      roleDivisions: client.roleDivisions,
      state: "active",
      selfUri: `/api/v2/oauth/clients/${client.id}`,
    },
  };
}

/** Revokes a user's sessions. Client-credentials tokens belong to no user, so they stay valid. */
function revokeUserTokens(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const user = state.users.get(ctx.params.userId);
  if (!user) throw notFound("user", ctx.params.userId);
  requireDivisionPermission(state, ctx.client, "oauth:token:delete", user.divisionId);
  user.tokensRevokedAt = nowIso();
  user.tokenRevocations += 1;
  return { status: 204 };
}

export function registerAuthorizationRoutes(router: Router): void {
  router
    .add("GET", "/api/v2/authorization/roles", listRoles)
    .add("GET", "/api/v2/authorization/divisions", listDivisions)
    .add("GET", "/api/v2/authorization/divisions/home", homeDivisionRoute)
    .add("GET", "/api/v2/authorization/divisionspermitted/paged/me", divisionsPermitted)
    .add("GET", "/api/v2/authorization/divisions/{divisionId}/grants", listDivisionGrants)
    .add("GET", "/api/v2/authorization/subjects/{subjectId}", getSubject)
    .add("POST", "/api/v2/authorization/roles/{roleId}", grantRoleToSubjects)
    .add("GET", "/api/v2/authorization/roles/{roleId}/subjectgrants", listRoleSubjectGrants)
    .add("POST", "/api/v2/authorization/subjects/{subjectId}/bulkadd", bulkAdd)
    .add("POST", "/api/v2/authorization/subjects/{subjectId}/bulkremove", bulkRemove)
    .add("POST", "/api/v2/authorization/subjects/{subjectId}/bulkreplace", bulkReplace)
    .add("POST", "/api/v2/authorization/subjects/{subjectId}/divisions/{divisionId}/roles/{roleId}", grantOne)
    .add(
      "DELETE",
      "/api/v2/authorization/subjects/{subjectId}/divisions/{divisionId}/roles/{roleId}",
      revokeOne,
    )
    .add("GET", "/api/v2/users/{subjectId}/roles", getUserRoles)
    .add("PUT", "/api/v2/users/{subjectId}/roles", putUserRoles)
    .add("POST", "/api/v2/authorization/divisions/{divisionId}/objects/{objectType}", moveObjects)
    .add("GET", "/api/v2/tokens/me", tokenMe)
    .add("GET", "/api/v2/oauth/clients/{clientId}", getOAuthClient)
    .add("DELETE", "/api/v2/tokens/{userId}", revokeUserTokens);
}
