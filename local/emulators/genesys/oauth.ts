/**
 * `POST /oauth/token` (client credentials) and bearer-token checks. The token endpoint answers with the
 * OAuth error shape (`error`, `description`, `error_description`), not the Platform API's ErrorBody.
 */
import { randomBytes } from "node:crypto";
import type { Emulator, IssuedToken } from "./emulator";
import { GenesysApiError } from "./errors";
import type { OAuthClient } from "./state";

export interface TokenReply {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (status: number, error: string, description: string): TokenReply => ({
  status,
  body: { error, description, error_description: description },
});

function credentials(
  authorization: string | undefined,
  form: URLSearchParams,
): { id: string; secret: string } | undefined {
  if (authorization?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return undefined;
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  }
  const id = form.get("client_id");
  const secret = form.get("client_secret");
  return id && secret ? { id, secret } : undefined;
}

/** Issues a token for valid client credentials; unknown client → 400, wrong secret → 401. */
export function issueToken(
  emulator: Emulator,
  authorization: string | undefined,
  rawBody: string,
): TokenReply {
  const form = new URLSearchParams(rawBody);
  const grantType = form.get("grant_type");
  if (grantType !== "client_credentials")
    return oauthError(
      400,
      "unsupported_grant_type",
      `grant_type must be client_credentials, got ${grantType ?? "nothing"}`,
    );
  const given = credentials(authorization, form);
  if (!given) return oauthError(401, "invalid_client", "client authentication required");
  const client = emulator.state.clients.get(given.id);
  if (!client) return oauthError(400, "invalid_client", "client not found");
  if (client.secret !== given.secret) return oauthError(401, "invalid_client", "authentication failed");
  const now = Date.now();
  const token: IssuedToken = {
    token: randomBytes(32).toString("base64url"),
    clientId: client.id,
    issuedAt: now,
    expiresAt: now + emulator.tokenLifetimeSeconds * 1000,
    invalidated: false,
  };
  emulator.tokens.set(token.token, token);
  return {
    status: 200,
    body: { access_token: token.token, token_type: "bearer", expires_in: emulator.tokenLifetimeSeconds },
  };
}

/** The token in an `Authorization: Bearer …` header; "" when there is none. */
export function bearerToken(authorization: string | undefined): string {
  return authorization?.toLowerCase().startsWith("bearer ") ? authorization.slice(7).trim() : "";
}

/** The OAuth client behind a bearer token, or the 401 Genesys sends. */
export function authenticate(
  emulator: Emulator,
  authorization: string | undefined,
): { client: OAuthClient; token: string } {
  const value = bearerToken(authorization);
  if (value === "")
    throw new GenesysApiError(
      401,
      "authentication.required",
      "No authentication bearer token specified in authorization header.",
    );
  const token = emulator.tokens.get(value);
  const client = token ? emulator.state.clients.get(token.clientId) : undefined;
  if (!token || !client || token.invalidated || token.expiresAt <= Date.now())
    throw new GenesysApiError(401, "bad.credentials", "Invalid login credentials.");
  return { client, token: value };
}
