/** Users: create, read, list, update (state transitions included), soft delete, invite, state. */
import { directoryFields, recordDirectoryChange } from "./audits";
import { badRequest, conflict, GenesysApiError, missingField, notFound, show } from "./errors";
import { newId } from "./ids";
import { bodyObject, nowIso, paginate, queryList } from "./paging";
import { requireDivisionPermission } from "./permissions";
import type { RequestContext, Router } from "./router";
import { findUserByEmail, homeDivision, offlineDefinition, type UserRecord, type UserState } from "./state";
import { userView } from "./views";

const STATES: UserState[] = ["active", "inactive", "deleted"];

/** The user, or 404. Deleted users exist only for callers that asked for them (`state=deleted`). */
export function lookupUser(
  ctx: RequestContext,
  userId: string,
  options: { deleted?: boolean } = {},
): UserRecord {
  const user = ctx.emulator.state.users.get(userId);
  if (!user) throw notFound("user", userId);
  if (options.deleted === true ? user.state !== "deleted" : user.state === "deleted")
    throw notFound("user", userId);
  return user;
}

function requireEmail(value: unknown): string {
  if (value === undefined || value === null || value === "") throw missingField("email");
  if (typeof value !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
    throw badRequest(`'${show(value)}' is not a valid email address`, "invalid.value", "email");
  return value;
}

function assertEmailFree(ctx: RequestContext, email: string, exceptUserId?: string): void {
  const existing = findUserByEmail(ctx.emulator.state, email);
  if (existing && existing.id !== exceptUserId)
    throw conflict(`A user with email ${email} already exists (state ${existing.state}).`);
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${field} must be a string`, "invalid.value", field);
  return value;
}

function createUser(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const body = bodyObject(ctx.body);
  const name = optionalString(body, "name");
  if (!name) throw missingField("name");
  const email = requireEmail(body.email);
  // Genesys marks divisionId required, yet Genesys's own Terraform provider omits it and gets Home.
  const divisionId = optionalString(body, "divisionId") ?? homeDivision(state).id;
  if (!state.divisions.has(divisionId))
    throw badRequest(`Invalid division id: ${divisionId}`, "invalid.id", "divisionId");
  requireDivisionPermission(state, ctx.client, "directory:user:add", divisionId);
  const requestedState = body.state ?? "active";
  if (requestedState !== "active" && requestedState !== "inactive")
    throw badRequest(
      `state must be active or inactive on create, not ${show(requestedState)}`,
      "invalid.value",
      "state",
    );
  assertEmailFree(ctx, email);
  const at = nowIso();
  const offline = offlineDefinition(state);
  const user: UserRecord = {
    id: newId(),
    name,
    email,
    divisionId,
    state: requestedState,
    version: 0,
    addresses: Array.isArray(body.addresses) ? (body.addresses as Record<string, unknown>[]) : [],
    acdAutoAnswer: false,
    dateCreated: at,
    dateModified: at,
    grants: [],
    skills: new Map(),
    languages: new Map(),
    presence: { definitionId: offline?.id ?? "", message: "", modifiedDate: at },
    routingStatus: { status: "OFF_QUEUE", startTime: at },
    tokenRevocations: 0,
  };
  const title = optionalString(body, "title");
  const department = optionalString(body, "department");
  if (title !== undefined) user.title = title;
  if (department !== undefined) user.department = department;
  state.users.set(user.id, user);
  ctx.emulator.userChanged(user);
  recordDirectoryChange(ctx, user, {}, "Create");
  return { status: 200, body: userView(state, user) };
}

function getUser(ctx: RequestContext) {
  const stateParam = ctx.query.get("state") ?? "active";
  if (stateParam !== "active" && stateParam !== "deleted")
    throw badRequest(`state must be active or deleted, not ${stateParam}`, "invalid.value", "state");
  const user = lookupUser(ctx, ctx.params.userId, { deleted: stateParam === "deleted" });
  return { status: 200, body: userView(ctx.emulator.state, user, queryList(ctx.query, "expand")) };
}

function listUsers(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const stateParam = ctx.query.get("state") ?? "active";
  if (![...STATES, "any"].includes(stateParam))
    throw badRequest(`state must be one of active, inactive, deleted, any`, "invalid.value", "state");
  const ids = new Set(queryList(ctx.query, "id"));
  const expand = queryList(ctx.query, "expand");
  const descending = (ctx.query.get("sortOrder") ?? "ASC").toUpperCase() === "DESC";
  const users = [...state.users.values()]
    .filter((u) => (stateParam === "any" ? true : u.state === stateParam))
    .filter((u) => ids.size === 0 || ids.has(u.id))
    .sort((a, b) => a.name.localeCompare(b.name) * (descending ? -1 : 1));
  const page = paginate(users, ctx.query, "/api/v2/users");
  return { status: 200, body: { ...page, entities: page.entities.map((u) => userView(state, u, expand)) } };
}

function requireVersion(body: Record<string, unknown>, user: UserRecord): void {
  if (body.version === undefined || body.version === null) throw missingField("version");
  if (typeof body.version !== "number" || !Number.isInteger(body.version))
    throw badRequest("version must be an integer", "invalid.value", "version");
  if (body.version !== user.version)
    throw conflict(
      `The version supplied (${body.version}) does not match the current version of the user (${user.version}).`,
    );
}

/** Active ↔ inactive, and deleted → active (restore). Both strip directly granted roles, as Genesys does. */
export function changeUserState(ctx: RequestContext, user: UserRecord, target: unknown): void {
  const { state } = ctx.emulator;
  if (target !== "active" && target !== "inactive")
    throw badRequest(
      `state can only be set to active or inactive (use DELETE to delete), not ${String(target)}`,
      "invalid.value",
      "state",
    );
  if (user.state === "deleted" && target !== "active")
    throw badRequest("A deleted user can only be restored to active", "invalid.value", "state");
  if (user.state === target) return;
  if (target === "inactive") {
    user.grants = [];
  } else if (user.state === "deleted") {
    // Restored users come back in Home, without roles (they were removed on delete).
    user.divisionId = homeDivision(state).id;
    user.grants = [];
  }
  user.state = target;
}

function patchUser(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const body = bodyObject(ctx.body);
  const user = state.users.get(ctx.params.userId);
  // A deleted user is reachable by PATCH only to restore it.
  if (!user || (user.state === "deleted" && body.state === undefined))
    throw notFound("user", ctx.params.userId);
  requireDivisionPermission(
    state,
    ctx.client,
    ["directory:user:edit", "directory:organization:admin", "admin"],
    user.divisionId,
  );
  requireVersion(body, user);
  const before = directoryFields(user);
  if (body.state !== undefined) {
    // "If specified, it is the only modifiable field."
    changeUserState(ctx, user, body.state);
  } else {
    if (body.email !== undefined) {
      const email = requireEmail(body.email);
      assertEmailFree(ctx, email, user.id);
      user.email = email;
    }
    for (const field of ["name", "title", "department", "preferredName"] as const) {
      const value = optionalString(body, field);
      if (value !== undefined) user[field] = value;
    }
    if (body.manager !== undefined) {
      const managerId =
        typeof body.manager === "object" && body.manager !== null
          ? (body.manager as { id?: unknown }).id
          : body.manager;
      if (managerId === null || managerId === "") delete user.managerId;
      else {
        const manager = state.users.get(show(managerId));
        if (!manager || manager.state === "deleted")
          throw badRequest(`Invalid manager id: ${show(managerId)}`, "invalid.id", "manager");
        user.managerId = manager.id;
      }
    }
    if (body.employerInfo !== undefined) {
      if (
        typeof body.employerInfo !== "object" ||
        body.employerInfo === null ||
        Array.isArray(body.employerInfo)
      )
        throw badRequest("employerInfo must be an object", "invalid.value", "employerInfo");
      user.employerInfo = { ...user.employerInfo, ...(body.employerInfo as Record<string, unknown>) };
    }
    if (Array.isArray(body.addresses)) user.addresses = body.addresses as Record<string, unknown>[];
    if (typeof body.acdAutoAnswer === "boolean") user.acdAutoAnswer = body.acdAutoAnswer;
  }
  ctx.emulator.userChanged(user);
  recordDirectoryChange(ctx, user, before, "Update");
  return { status: 200, body: userView(state, user, ["employerInfo"]) };
}

function deleteUser(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const user = state.users.get(ctx.params.userId);
  if (!user || user.state === "deleted")
    throw new GenesysApiError(404, "user.not.found.on.delete", "User not found on delete.", {
      entityId: ctx.params.userId,
    });
  requireDivisionPermission(
    state,
    ctx.client,
    ["directory:user:delete", "directory:organization:admin", "admin"],
    user.divisionId,
  );
  const before = directoryFields(user);
  user.state = "deleted";
  user.grants = [];
  user.divisionId = homeDivision(state).id;
  for (const queue of state.queues.values()) queue.members.delete(user.id);
  ctx.emulator.userChanged(user);
  recordDirectoryChange(ctx, user, before, "Delete");
  return { status: 200, body: {} };
}

function inviteUser(ctx: RequestContext) {
  const user = lookupUser(ctx, ctx.params.userId);
  requireDivisionPermission(
    ctx.emulator.state,
    ctx.client,
    ["directory:user:add", "directory:user:edit"],
    user.divisionId,
  );
  user.dateWelcomeSent = nowIso();
  ctx.emulator.userChanged(user, { bumpVersion: false });
  return { status: 204 };
}

function getUserState(ctx: RequestContext) {
  const user = lookupUser(ctx, ctx.params.userId);
  return { status: 200, body: { state: user.state, version: user.version } };
}

function putUserState(ctx: RequestContext) {
  const body = bodyObject(ctx.body);
  const user = lookupUser(ctx, ctx.params.userId);
  requireDivisionPermission(ctx.emulator.state, ctx.client, "directory:user:edit", user.divisionId);
  requireVersion(body, user);
  const before = directoryFields(user);
  changeUserState(ctx, user, body.state);
  ctx.emulator.userChanged(user);
  recordDirectoryChange(ctx, user, before, "Update");
  return {
    status: 200,
    body: { state: user.state, version: user.version, stateChangeReason: body.stateChangeReason },
  };
}

export function registerUserRoutes(router: Router): void {
  router
    .add("POST", "/api/v2/users", createUser)
    .add("GET", "/api/v2/users", listUsers)
    .add("GET", "/api/v2/users/{userId}", getUser)
    .add("PATCH", "/api/v2/users/{userId}", patchUser)
    .add("DELETE", "/api/v2/users/{userId}", deleteUser)
    .add("POST", "/api/v2/users/{userId}/invite", inviteUser)
    .add("GET", "/api/v2/users/{userId}/state", getUserState)
    .add("PUT", "/api/v2/users/{userId}/state", putUserState);
}
