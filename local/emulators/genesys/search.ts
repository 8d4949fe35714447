/**
 * User search: `POST /api/v2/users/search` and `GET /api/v2/users/search?q64=`. Served from the lagging
 * search index, so a fresh write may not be found yet. Without a `state` criterion only active users match.
 */
import { badRequest, show } from "./errors";
import { bodyObject, queryList } from "./paging";
import { permittedDivisions } from "./permissions";
import type { RequestContext, Router } from "./router";
import type { EmulatorState, UserRecord } from "./state";
import { userView } from "./views";

interface Criterion {
  type?: string;
  fields?: string[];
  value?: string;
  values?: string[];
  operator?: "AND" | "OR" | "NOT";
  group?: Criterion[];
  startValue?: string;
  endValue?: string;
}

interface SearchRequest {
  query?: Criterion[];
  pageSize?: number;
  pageNumber?: number;
  sortOrder?: string;
  sortBy?: string;
  expand?: string[];
  enforcePermissions?: boolean;
}

const TYPES = [
  "EXACT",
  "STARTS_WITH",
  "CONTAINS",
  "REGEX",
  "TERM",
  "TERMS",
  "REQUIRED_FIELDS",
  "MATCH_ALL",
  "QUERY_STRING",
  "RANGE",
  "DATE_RANGE",
  "LESS_THAN",
  "GREATER_THAN",
];
const MAX_PAGE_SIZE = 100;

/** The searchable values of a field; dotted paths reach nested ones (`division.id`, `employerInfo.employeeId`). */
function fieldValues(state: EmulatorState, user: UserRecord, field: string): string[] {
  switch (field) {
    case "id":
      return [user.id];
    case "email":
    case "username":
      return [user.email];
    case "name":
      return [user.name];
    case "state":
      return [user.state];
    case "title":
      return user.title ? [user.title] : [];
    case "department":
      return user.department ? [user.department] : [];
    case "division.id":
    case "divisionId":
      return [user.divisionId];
    case "division.name":
      return [state.divisions.get(user.divisionId)?.name ?? ""];
    case "manager.id":
      return user.managerId ? [user.managerId] : [];
    case "routingSkills.name":
    case "profileSkills":
      return [...user.skills.keys()].map((id) => state.skills.get(id)?.name ?? "");
    case "languages.name":
      return [...user.languages.keys()].map((id) => state.languages.get(id)?.name ?? "");
    default: {
      if (field.startsWith("employerInfo.")) {
        const value = user.employerInfo?.[field.slice("employerInfo.".length)];
        return value === undefined || value === null ? [] : [show(value)];
      }
      return [];
    }
  }
}

function matches(state: EmulatorState, user: UserRecord, c: Criterion): boolean {
  let result: boolean;
  if (c.group && c.group.length > 0) {
    result =
      c.operator === "OR"
        ? c.group.some((g) => matches(state, user, g))
        : c.group.every((g) => matches(state, user, g));
    return c.operator === "NOT" ? !result : result;
  }
  const type = c.type ?? "EXACT";
  const wanted = (c.values ?? (c.value !== undefined ? [c.value] : [])).map((v) => String(v).toLowerCase());
  const fields = c.fields ?? [];
  const values = fields.flatMap((f) => fieldValues(state, user, f)).map((v) => v.toLowerCase());
  switch (type) {
    case "MATCH_ALL":
      result = true;
      break;
    case "REQUIRED_FIELDS":
      result = fields.every((f) => fieldValues(state, user, f).length > 0);
      break;
    case "EXACT":
    case "TERM":
    case "TERMS":
      result = values.some((v) => wanted.includes(v));
      break;
    case "STARTS_WITH":
      result = values.some((v) => wanted.some((w) => v.startsWith(w)));
      break;
    case "CONTAINS":
      result = values.some((v) => wanted.some((w) => v.includes(w)));
      break;
    case "QUERY_STRING": {
      const haystack =
        fields.length > 0
          ? values
          : ["name", "email", "title", "department"]
              .flatMap((f) => fieldValues(state, user, f))
              .map((v) => v.toLowerCase());
      result = wanted.some((w) =>
        w.split(/\s+/).every((term) => haystack.some((v) => v.includes(term.replace(/\*/g, "")))),
      );
      break;
    }
    case "REGEX":
      result = values.some((v) => wanted.some((w) => new RegExp(`^${w}$`, "i").test(v)));
      break;
    default:
      result = values.some(
        (v) =>
          (c.startValue === undefined || v >= c.startValue.toLowerCase()) &&
          (c.endValue === undefined || v <= c.endValue.toLowerCase()),
      );
  }
  return c.operator === "NOT" ? !result : result;
}

function mentionsState(criteria: Criterion[]): boolean {
  return criteria.some((c) => (c.fields ?? []).includes("state") || mentionsState(c.group ?? []));
}

function validate(request: SearchRequest): void {
  const check = (criteria: Criterion[]) => {
    for (const c of criteria) {
      if (c.group && c.group.length > 0) {
        check(c.group);
        continue;
      }
      if (!c.type) throw badRequest("Each query criterion needs a type", "invalid.value", "query.type");
      if (!TYPES.includes(c.type))
        throw badRequest(`Unknown search type ${c.type}`, "invalid.value", "query.type");
      if (c.type !== "MATCH_ALL" && (!c.fields || c.fields.length === 0))
        throw badRequest("Each query criterion needs fields", "invalid.value", "query.fields");
    }
  };
  if (!Array.isArray(request.query)) throw badRequest("query is required", "invalid.value", "query");
  check(request.query);
  if (request.pageSize !== undefined && (request.pageSize < 1 || request.pageSize > MAX_PAGE_SIZE))
    throw badRequest(`pageSize must be between 1 and ${MAX_PAGE_SIZE}`, "invalid.value", "pageSize");
}

const encodeQ64 = (request: SearchRequest): string => Buffer.from(JSON.stringify(request)).toString("base64");

function runSearch(ctx: RequestContext, request: SearchRequest, expandOverride?: string[]) {
  validate(request);
  const { state } = ctx.emulator;
  const criteria = request.query ?? [];
  const activeOnly = !mentionsState(criteria);
  let users = ctx.emulator.index
    .visible()
    .filter((u) => (activeOnly ? u.state === "active" : true))
    .filter((u) => criteria.every((c) => matches(state, u, c)));
  if (request.enforcePermissions === true) {
    const allowed = permittedDivisions(state, ctx.client, "directory:user:view").divisionIds;
    users = users.filter((u) => allowed.has(u.divisionId));
  }
  const descending = (request.sortOrder ?? "ASC").toUpperCase() === "DESC";
  const sortBy = request.sortBy ?? "name";
  users.sort(
    (a, b) =>
      (fieldValues(state, a, sortBy)[0] ?? "").localeCompare(fieldValues(state, b, sortBy)[0] ?? "") *
      (descending ? -1 : 1),
  );
  const pageSize = request.pageSize ?? 25;
  const pageNumber = request.pageNumber ?? 1;
  const pageCount = Math.ceil(users.length / pageSize);
  const expand = expandOverride ?? request.expand ?? [];
  const response: Record<string, unknown> = {
    total: users.length,
    pageCount,
    pageSize,
    pageNumber,
    types: ["users"],
    currentPage: encodeQ64({ ...request, pageNumber }),
    results: users
      .slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
      .map((u) => userView(state, u, expand)),
  };
  if (pageNumber < pageCount) response.nextPage = encodeQ64({ ...request, pageNumber: pageNumber + 1 });
  if (pageNumber > 1) response.previousPage = encodeQ64({ ...request, pageNumber: pageNumber - 1 });
  return { status: 200, body: response };
}

function postSearch(ctx: RequestContext) {
  return runSearch(ctx, bodyObject(ctx.body));
}

function getSearch(ctx: RequestContext) {
  const q64 = ctx.query.get("q64");
  if (!q64) throw badRequest("q64 is required", "invalid.value", "q64");
  let request: SearchRequest;
  try {
    request = JSON.parse(Buffer.from(q64, "base64").toString("utf8")) as SearchRequest;
  } catch {
    throw badRequest("q64 is not a value returned by a previous search", "invalid.value", "q64");
  }
  const expand = queryList(ctx.query, "expand");
  return runSearch(ctx, request, expand.length > 0 ? expand : undefined);
}

export function registerSearchRoutes(router: Router): void {
  router.add("POST", "/api/v2/users/search", postSearch).add("GET", "/api/v2/users/search", getSearch);
}
