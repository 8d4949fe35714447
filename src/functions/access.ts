import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { Secret } from "../config/secret";
import { constantTimeEqual } from "../hr/auth";

/**
 * Who may call the operator routes, and who they are. The identity comes only from the principal App Service
 * authentication (Entra ID) puts in `x-ms-client-principal` after validating the caller's token: never from a
 * body or a header the caller chooses. Roles are the app roles of the app registration.
 */
export const ROLES = {
  /** Reads: mappings, batches, quarantine, approvals, audit, employees. */
  reader: "Lifecycle.Reader",
  /** Changes: imports a mapping or a batch, runs a dry run, replays quarantine. */
  operator: "Lifecycle.Operator",
  /** Decides a paused mass deactivation. */
  approver: "Lifecycle.Approver",
} as const;
export type Role = (typeof ROLES)[keyof typeof ROLES];

/** Any Lifecycle role may read. */
export const ANY_ROLE: readonly Role[] = [ROLES.reader, ROLES.operator, ROLES.approver];

/** A caller the platform has verified. */
export interface Caller {
  /** Display name for records: the name claim (UPN or email), as App Service reports it. */
  name: string;
  /** Stable id (Entra object id) where the token carries one. */
  id: string;
  roles: ReadonlySet<string>;
}

interface ClientPrincipal {
  auth_typ?: unknown;
  name_typ?: unknown;
  role_typ?: unknown;
  claims?: unknown;
}

const ROLE_CLAIM_TYPES = ["roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];
const NAME_CLAIM_TYPES = ["name", "preferred_username", "email", "upn"];
const ID_CLAIM_TYPES = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];
/** A principal header is a few KB; anything far larger is not from the platform. */
const MAX_PRINCIPAL_HEADER_LENGTH = 64 * 1024;

/**
 * The caller App Service authentication verified, from `x-ms-client-principal` (base64 JSON with `claims`
 * of `{ typ, val }`, `name_typ` and `role_typ`); undefined when there is none or it cannot be read.
 */
export function callerOf(request: HttpRequest): Caller | undefined {
  const header = request.headers.get("x-ms-client-principal");
  if (!header || header.length > MAX_PRINCIPAL_HEADER_LENGTH) return undefined;
  let principal: ClientPrincipal;
  try {
    principal = JSON.parse(Buffer.from(header, "base64").toString("utf8")) as ClientPrincipal;
  } catch {
    return undefined;
  }
  if (typeof principal !== "object" || principal === null || !Array.isArray(principal.claims))
    return undefined;
  const claims = (principal.claims as unknown[]).flatMap((claim) => {
    const { typ, val } = (claim ?? {}) as { typ?: unknown; val?: unknown };
    return typeof typ === "string" && typeof val === "string" ? [{ typ, val }] : [];
  });
  const valuesOf = (types: readonly string[]) =>
    claims.filter((c) => types.includes(c.typ)).map((c) => c.val);
  const roleTypes =
    typeof principal.role_typ === "string" ? [principal.role_typ, ...ROLE_CLAIM_TYPES] : ROLE_CLAIM_TYPES;
  const nameTypes =
    typeof principal.name_typ === "string" ? [principal.name_typ, ...NAME_CLAIM_TYPES] : NAME_CLAIM_TYPES;
  const name = valuesOf(nameTypes)[0] ?? request.headers.get("x-ms-client-principal-name") ?? undefined;
  if (name === undefined || name.trim() === "") return undefined;
  return {
    name: name.trim(),
    id: valuesOf(ID_CLAIM_TYPES)[0] ?? request.headers.get("x-ms-client-principal-id") ?? name.trim(),
    roles: new Set(valuesOf(roleTypes)),
  };
}

export type AuthorizedHandler = (
  request: HttpRequest,
  context: InvocationContext,
  caller: Caller,
) => ReturnType<HttpHandler>;

export const unauthenticated = (): HttpResponseInit => ({
  status: 401,
  jsonBody: {
    error: "unauthenticated",
    message: "sign in with Entra ID: this route needs a caller App Service authentication has verified",
  },
});

/**
 * The operator routes' access check, in one line at registration:
 * `handler: requireRole(ROLES.reader, async (request, context, caller) => …)`.
 * 401 without a verified caller; 403 naming the roles when the caller has none of them. The handler gets the
 * caller, the only identity it may record.
 */
export function requireRole(
  roles: Role | readonly Role[],
  handler: AuthorizedHandler,
  options: { integration?: IntegrationKey } = {},
): HttpHandler {
  const allowed: readonly Role[] = typeof roles === "string" ? [roles] : roles;
  return async (request, context) => {
    const caller = callerOf(request) ?? integrationCaller(request, options.integration);
    if (!caller) return unauthenticated();
    const crossSite = crossSiteChange(request);
    if (crossSite !== undefined)
      return { status: 403, jsonBody: { error: "cross_site", message: crossSite } };
    if (!allowed.some((role) => caller.roles.has(role))) {
      return {
        status: 403,
        jsonBody: {
          error: "forbidden",
          message: `this route needs the app role ${allowed.join(" or ")}; ${caller.name} has ${
            caller.roles.size === 0 ? "none" : [...caller.roles].join(", ")
          }`,
        },
      };
    }
    return handler(request, context, caller);
  };
}

const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];

/**
 * Why a change (any method but GET, HEAD or OPTIONS) is refused as coming from another site, or undefined.
 * A browser signed in to the console through App Service authentication sends its session cookie with every
 * request to the app, even one a page on another site makes it send (a form posted to
 * `/api/approvals/{id}`). Browsers say where a request comes from: `Sec-Fetch-Site` (anything but
 * `same-origin` or `none`, a request the user typed, is another site), or, from older browsers, an `Origin`
 * whose host is not the one called. Scripts, the Logic App and HR systems send neither and are not affected.
 */
export function crossSiteChange(request: HttpRequest): string | undefined {
  if (SAFE_METHODS.includes(request.method.toUpperCase())) return undefined;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) {
    return site === "same-origin" || site === "none"
      ? undefined
      : `a change must come from the console's own pages, not from another site (Sec-Fetch-Site: ${site})`;
  }
  const origin = request.headers.get("origin");
  if (origin === null) return undefined;
  const called =
    request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  let from: string | undefined;
  try {
    from = new URL(origin).host;
  } catch {
    from = undefined;
  }
  return from === called ? undefined : `a change must come from the console's own pages, not from ${origin}`;
}

/**
 * A key an integration (the Logic App) presents instead of a person's token, on the few routes it calls
 * (`x-functions-key` header or `?code=`). It acts with the roles given here and is recorded under `name`.
 */
export interface IntegrationKey {
  key: Secret | undefined;
  name: string;
  roles: readonly Role[];
}

function integrationCaller(
  request: HttpRequest,
  integration: IntegrationKey | undefined,
): Caller | undefined {
  if (!integration?.key) return undefined;
  const given = request.headers.get("x-functions-key") ?? request.query.get("code");
  if (given === null || !constantTimeEqual(given, integration.key.reveal())) return undefined;
  return { name: integration.name, id: integration.name, roles: new Set(integration.roles) };
}
