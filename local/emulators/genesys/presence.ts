/** Presence definitions and a user's Genesys Cloud (`purecloud`) presence. */
import { badRequest, invalidId } from "./errors";
import { bodyObject, nowIso } from "./paging";
import { requireAnyDivisionPermission } from "./permissions";
import type { RequestContext, Router } from "./router";
import type { PresenceDefinition } from "./state";
import { lookupUser } from "./users";
import { presenceView } from "./views";

const definitionView = (d: PresenceDefinition) => ({
  id: d.id,
  type: d.type,
  languageLabels: { en_US: d.label },
  systemPresence: d.systemPresence,
  divisionId: "*",
  deactivated: d.deactivated,
  selfUri: `/api/v2/presence/definitions/${d.id}`,
});

/** Not paged: `{ total, entities, selfUri }`. */
function listDefinitions(ctx: RequestContext) {
  requireAnyDivisionPermission(ctx.emulator.state, ctx.client, "presence:presenceDefinition:view");
  const includeDeactivated = ctx.query.get("deactivated") === "true";
  const entities = [...ctx.emulator.state.presenceDefinitions.values()]
    .filter((d) => includeDeactivated || !d.deactivated)
    .map(definitionView);
  return { status: 200, body: { total: entities.length, entities, selfUri: "/api/v2/presence/definitions" } };
}

function getPresence(ctx: RequestContext) {
  const user = lookupUser(ctx, ctx.params.userId);
  return { status: 200, body: presenceView(ctx.emulator.state, user) };
}

/** Sets the presence; going Offline also takes the user off queue, as it does in Genesys Cloud. */
function patchPresence(ctx: RequestContext) {
  const { state } = ctx.emulator;
  const user = lookupUser(ctx, ctx.params.userId);
  const body = bodyObject(ctx.body);
  const definitionId = (body.presenceDefinition as { id?: unknown } | undefined)?.id;
  if (typeof definitionId !== "string")
    throw badRequest(
      "presenceDefinition.id may not be null",
      "constraint.validation",
      "presenceDefinition.id",
    );
  const definition = state.presenceDefinitions.get(definitionId);
  if (!definition || definition.deactivated)
    throw invalidId("presence definition", definitionId, "presenceDefinition.id");
  const at = nowIso();
  user.presence = {
    definitionId,
    message: typeof body.message === "string" ? body.message : "",
    modifiedDate: at,
  };
  if (definition.systemPresence === "Offline") user.routingStatus = { status: "OFF_QUEUE", startTime: at };
  return { status: 200, body: presenceView(state, user) };
}

export function registerPresenceRoutes(router: Router): void {
  router
    .add("GET", "/api/v2/presence/definitions", listDefinitions)
    .add("GET", "/api/v2/users/{userId}/presences/purecloud", getPresence)
    .add("PATCH", "/api/v2/users/{userId}/presences/purecloud", patchPresence);
}
