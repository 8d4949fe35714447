import { ALL_DIVISIONS, type Mapping } from "./mapping";
import { Catalog, type CatalogKind, type OrgDirectory, type PermittedDivisions, type Ref } from "./org";

/**
 * Checks a parsed mapping against the org it will be applied to, before it may be activated: every name exists,
 * and the OAuth client may do, in each target division, what each profile needs. Every problem is reported at
 * once, so an administrator fixes the file in one pass.
 */

/** One permission, or alternatives any of which is enough (Genesys accepts either for some calls). */
export type PermissionNeed = readonly string[];

/** Where a field lives in the file, for pointing at it; from `parseMapping`'s `locate`. */
export type Locate = (path: readonly (string | number)[]) => { line: number; column: number };

export type ValidationProblem =
  | {
      kind: "UNKNOWN_NAME";
      entity: CatalogKind;
      name: string;
      path: string;
      line: number;
      column: number;
      message: string;
    }
  | {
      kind: "MISSING_PERMISSION";
      /** `routing:queue:edit or routing:queueMember:manage` when either would do. */
      permission: string;
      division: Ref;
      /** The fields that need it, e.g. `profiles[2].queues[0]`. */
      neededBy: string[];
      line: number;
      column: number;
      message: string;
    };

export interface ValidationReport {
  ok: boolean;
  problems: ValidationProblem[];
}

/** What a profile needs where; the mapping docs are generated from it (docs/mapping-and-plan.md). */
export const REQUIRED_PERMISSIONS = {
  /** In the user's division: create the user, then patch fields, manager and employerInfo. */
  user: [["directory:user:add"], ["directory:user:edit"]],
  /** In each role grant's division: grant it, and revoke it when a mover no longer needs it. */
  roles: [["authorization:grant:add"], ["authorization:grant:delete"]],
  /** In each queue's division. */
  queues: [["routing:queue:edit", "routing:queueMember:manage"]],
  /** In the user's division. */
  skills: [["routing:skill:assign"]],
  languages: [["routing:language:assign", "routing:skill:assign"]],
} as const satisfies Record<string, readonly PermissionNeed[]>;

const QUEUE_VIEW = "routing:queue:view";

interface Need {
  permission: PermissionNeed;
  divisionId: string;
  path: (string | number)[];
}

const formatPath = (path: readonly (string | number)[]) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${p}`)).join("");

/** Validates `mapping` against `org`. `locate` adds line numbers; without it they are 0. */
export async function validateMapping(
  mapping: Mapping,
  org: OrgDirectory,
  locate: Locate = () => ({ line: 0, column: 0 }),
): Promise<ValidationReport> {
  const [catalog, queueView] = await Promise.all([Catalog.load(org), org.divisionsPermitted(QUEUE_VIEW)]);
  // Genesys lists only the queues in divisions where the caller holds routing:queue:view, so a queue missing
  // from the list may exist where this client cannot look: say so rather than claim it does not exist.
  const queueHint = queueView.all
    ? ""
    : `, or none this OAuth client can see: it holds ${QUEUE_VIEW} only in ` +
      (queueView.divisionIds.length === 0
        ? "no division"
        : `division(s) ${queueView.divisionIds.map((id) => `'${catalog.describe("division", id).name}'`).join(", ")}`);
  const problems: ValidationProblem[] = [];
  const needs: Need[] = [];

  const resolve = (entity: CatalogKind, name: string, path: (string | number)[]): Ref | undefined => {
    const ref = catalog.find(entity, name);
    if (ref === undefined) {
      problems.push({
        kind: "UNKNOWN_NAME",
        entity,
        name,
        path: formatPath(path),
        ...locate(path),
        message: `the org has no ${entity} named "${name}"${entity === "queue" ? queueHint : ""}`,
      });
    }
    return ref;
  };
  const need = (
    permissions: readonly PermissionNeed[],
    division: Ref | undefined,
    path: (string | number)[],
  ) => {
    if (division === undefined) return;
    for (const permission of permissions) needs.push({ permission, divisionId: division.id, path });
  };

  const defaultDivision = resolve("division", mapping.defaults.division, ["defaults", "division"]);
  if (mapping.defaults.leaver.queue !== undefined) {
    resolve("queue", mapping.defaults.leaver.queue, ["defaults", "leaver", "queue"]);
  }

  mapping.profiles.forEach((profile, p) => {
    const at = (...rest: (string | number)[]) => ["profiles", p, ...rest];
    const division =
      profile.division === undefined
        ? defaultDivision
        : resolve("division", profile.division, at("division"));
    need(REQUIRED_PERMISSIONS.user, division, at("division"));
    profile.roles.forEach((role, r) => {
      resolve("role", role.name, at("roles", r, "name"));
      const grantDivision =
        role.division === undefined
          ? division
          : resolve("division", role.division, at("roles", r, "division"));
      need(REQUIRED_PERMISSIONS.roles, grantDivision, at("roles", r));
    });
    profile.queues.forEach((name, q) => {
      const queue = resolve("queue", name, at("queues", q));
      const queueDivision = queue === undefined ? undefined : catalog.divisionOfQueue(queue.id);
      if (queueDivision !== undefined && queueDivision !== "") {
        need(REQUIRED_PERMISSIONS.queues, catalog.describe("division", queueDivision), at("queues", q));
      }
    });
    profile.skills.forEach((skill, s) => resolve("skill", skill.name, at("skills", s, "name")));
    if (profile.skills.length > 0) need(REQUIRED_PERMISSIONS.skills, division, at("skills"));
    profile.languages.forEach((language, l) =>
      resolve("language", language.name, at("languages", l, "name")),
    );
    if (profile.languages.length > 0) need(REQUIRED_PERMISSIONS.languages, division, at("languages"));
  });

  problems.push(...(await checkPermissions(needs, org, catalog, locate)));
  return { ok: problems.length === 0, problems };
}

async function checkPermissions(
  needs: readonly Need[],
  org: OrgDirectory,
  catalog: Catalog,
  locate: Locate,
): Promise<ValidationProblem[]> {
  const distinct = [...new Set(needs.flatMap((n) => n.permission))];
  const permitted = new Map<string, PermittedDivisions>(
    await Promise.all(distinct.map(async (p) => [p, await org.divisionsPermitted(p)] as const)),
  );
  const allowedIn = (permission: string, divisionId: string) => {
    const grant = permitted.get(permission);
    if (grant === undefined) return false;
    if (grant.all) return true;
    if (divisionId === ALL_DIVISIONS) {
      // A grant in every division needs the permission in every division.
      return catalog.allDivisionIds().every((id) => grant.divisionIds.includes(id));
    }
    return grant.divisionIds.includes(divisionId);
  };

  // One problem per missing (permission, division), naming every field that needs it.
  const missing = new Map<string, { need: Need; neededBy: string[] }>();
  for (const need of needs) {
    if (need.permission.some((p) => allowedIn(p, need.divisionId))) continue;
    const key = `${need.permission.join("|")}@${need.divisionId}`;
    const entry = missing.get(key) ?? { need, neededBy: [] };
    const path = formatPath(need.path);
    if (!entry.neededBy.includes(path)) entry.neededBy.push(path);
    missing.set(key, entry);
  }
  return [...missing.values()].map(({ need, neededBy }) => {
    const division = catalog.describe("division", need.divisionId);
    const permission = need.permission.join(" or ");
    const where = division.id === ALL_DIVISIONS ? "in every division" : `in division '${division.name}'`;
    return {
      kind: "MISSING_PERMISSION",
      permission,
      division,
      neededBy,
      ...locate(need.path),
      message: `OAuth client lacks ${permission} ${where} (needed by ${neededBy.join(", ")})`,
    };
  });
}
