/**
 * What App Service authentication does in front of the app in Azure, done by the local host: every
 * `x-ms-client-principal*` header a caller sends is removed, and a signed-in caller's principal is added in
 * the platform's format (base64 JSON: `auth_typ`, `claims` of `{ typ, val }`, `name_typ`, `role_typ`).
 *
 * Who is signed in comes from two local settings (never deployed):
 * - `LOCAL_DEV_IDENTITY`: `{"name": "...", "roles": ["Lifecycle.Reader", ...]}`, the identity of every request
 *   that presents no token (a developer with curl). Empty: nobody is signed in.
 * - `LOCAL_DEV_TOKENS`: `{"<token>": {"name": ..., "roles": [...]}}`; a request with `Authorization: Bearer
 *   <token>` is signed in as that identity instead, as an Entra access token would be. An unknown bearer token
 *   is refused with 401, as the platform refuses a token it cannot validate.
 */
export interface DevIdentity {
  name: string;
  roles: string[];
}

const NAME_TYPE = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
const ROLE_TYPE = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

/** A principal header exactly as App Service authentication with Entra ID writes it. */
export function encodeClientPrincipal(identity: DevIdentity): string {
  const principal = {
    auth_typ: "aad",
    name_typ: NAME_TYPE,
    role_typ: ROLE_TYPE,
    claims: [
      { typ: NAME_TYPE, val: identity.name },
      {
        typ: "http://schemas.microsoft.com/identity/claims/objectidentifier",
        val: devObjectId(identity.name),
      },
      ...identity.roles.map((role) => ({ typ: "roles", val: role })),
    ],
  };
  return Buffer.from(JSON.stringify(principal), "utf8").toString("base64");
}

/** A stable, recognisable id for a dev identity (a real principal carries the Entra object id). */
const devObjectId = (name: string) => `dev-${Buffer.from(name).toString("hex").slice(0, 24)}`;

/** The headers App Service adds for a signed-in caller. */
export function principalHeaders(identity: DevIdentity): Record<string, string> {
  return {
    "x-ms-client-principal": encodeClientPrincipal(identity),
    "x-ms-client-principal-name": identity.name,
    "x-ms-client-principal-id": devObjectId(identity.name),
    "x-ms-client-principal-idp": "aad",
  };
}

function parseIdentity(value: unknown, setting: string): DevIdentity {
  const identity = value as Partial<DevIdentity> | null;
  if (
    typeof identity !== "object" ||
    identity === null ||
    typeof identity.name !== "string" ||
    identity.name.trim() === "" ||
    !Array.isArray(identity.roles) ||
    !identity.roles.every((r) => typeof r === "string")
  ) {
    throw new Error(`${setting} must be {"name": "<who>", "roles": ["Lifecycle.Reader", ...]}`);
  }
  return { name: identity.name.trim(), roles: identity.roles };
}

function parseJson(text: string, setting: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${setting} is not JSON`);
  }
}

export type PlatformAuthentication = (
  headers: Record<string, string>,
) => { ok: true; headers: Record<string, string> } | { ok: false };

/** Reads the two settings; a malformed one stops the host at start with the setting's name. */
export function createPlatformAuthentication(settings: {
  identity?: string;
  tokens?: string;
}): PlatformAuthentication {
  const fallback = settings.identity?.trim()
    ? parseIdentity(parseJson(settings.identity, "LOCAL_DEV_IDENTITY"), "LOCAL_DEV_IDENTITY")
    : undefined;
  const tokens = new Map<string, DevIdentity>();
  if (settings.tokens?.trim()) {
    const parsed = parseJson(settings.tokens, "LOCAL_DEV_TOKENS");
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error('LOCAL_DEV_TOKENS must be {"<token>": {"name": ..., "roles": [...]}}');
    for (const [token, identity] of Object.entries(parsed))
      tokens.set(token, parseIdentity(identity, `LOCAL_DEV_TOKENS["${token}"]`));
  }
  return (incoming) => {
    const headers = Object.fromEntries(
      Object.entries(incoming).filter(([name]) => !/^x-ms-client-principal/i.test(name)),
    );
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
    if (bearer) {
      const identity = tokens.get(bearer[1]);
      return identity ? { ok: true, headers: { ...headers, ...principalHeaders(identity) } } : { ok: false };
    }
    return { ok: true, headers: fallback ? { ...headers, ...principalHeaders(fallback) } : headers };
  };
}
