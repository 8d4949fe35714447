/**
 * Division security for OAuth clients. A client-credentials token carries its client's role grants per
 * division; a call that touches an object in a division where none of those roles holds the permission is
 * refused with 403, as Genesys does.
 */
import { GenesysApiError } from "./errors";
import type { EmulatorState, OAuthClient } from "./state";

/** Whether a granted permission (segments may be `*`) covers the wanted `domain:entity:action`. */
export function permissionCovers(granted: string, wanted: string): boolean {
  if (granted === "*") return true;
  const g = granted.split(":");
  const w = wanted.split(":");
  if (g.length !== w.length) return false;
  return g.every((segment, i) => segment === "*" || segment === w[i]);
}

function roleHas(state: EmulatorState, roleId: string, permission: string): boolean {
  const role = state.roles.get(roleId);
  return role !== undefined && role.permissions.some((p) => permissionCovers(p, permission));
}

/** Division ids where the client holds the permission; `all` when a grant covers every division. */
export function permittedDivisions(
  state: EmulatorState,
  client: OAuthClient,
  permission: string,
): { all: boolean; divisionIds: Set<string> } {
  const divisionIds = new Set<string>();
  let all = false;
  for (const grant of client.roleDivisions) {
    if (!roleHas(state, grant.roleId, permission)) continue;
    if (grant.divisionId === "*") all = true;
    else divisionIds.add(grant.divisionId);
  }
  if (all) for (const id of state.divisions.keys()) divisionIds.add(id);
  return { all, divisionIds };
}

export function hasPermission(
  state: EmulatorState,
  client: OAuthClient,
  permission: string,
  divisionId: string,
): boolean {
  const { all, divisionIds } = permittedDivisions(state, client, permission);
  if (divisionId === "*") return all;
  return divisionIds.has(divisionId);
}

/**
 * Throws 403 unless the client holds one of `permissions` in `divisionId` ("*" = in every division).
 * The code `missing.division.permission` is one Genesys has used; clients should key on the status.
 */
export function requireDivisionPermission(
  state: EmulatorState,
  client: OAuthClient,
  permissions: string | string[],
  divisionId: string,
): void {
  const wanted = Array.isArray(permissions) ? permissions : [permissions];
  if (wanted.some((p) => hasPermission(state, client, p, divisionId))) return;
  const divisionName =
    divisionId === "*" ? "all divisions" : (state.divisions.get(divisionId)?.name ?? divisionId);
  throw new GenesysApiError(
    403,
    "missing.division.permission",
    `You are missing the following permission '${wanted.join("' or '")}' in the provided division(s) [${divisionName}].`,
    {
      details: [{ errorCode: "missing.division.permission", entityId: divisionId, entityName: divisionName }],
    },
  );
}

/** Throws 403 unless the client holds the permission in at least one division. */
export function requireAnyDivisionPermission(
  state: EmulatorState,
  client: OAuthClient,
  permission: string,
): void {
  if (permittedDivisions(state, client, permission).divisionIds.size > 0) return;
  throw new GenesysApiError(
    403,
    "missing.any.division.permissions",
    `You are missing the following permission '${permission}' in any division.`,
  );
}
