import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Secret } from "../config/secret";
import { attr, child, path, text, type XmlNode } from "./xml";

/**
 * Message authentication for the intake endpoints. Every comparison is constant-time: both sides are hashed to
 * equal-length digests first, so neither the content nor the length of a credential leaks through timing.
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

export interface Credentials {
  user: string;
  password: Secret;
}

/** Both checks always run, so a wrong user costs the same time as a wrong password. */
function matches(user: string, password: string, expected: Credentials): boolean {
  const userOk = constantTimeEqual(user, expected.user);
  const passwordOk = constantTimeEqual(password, expected.password.reveal());
  return userOk && passwordOk;
}

/** HTTP Basic (`Authorization: Basic base64(user:password)`). */
export function verifyBasic(authorization: string | null | undefined, expected: Credentials): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? "");
  if (!match) return false;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  return matches(decoded.slice(0, colon), decoded.slice(colon + 1), expected);
}

const PASSWORD_TEXT =
  "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";

/**
 * WS-Security UsernameToken with a PasswordText password, as Workday sends it in the SOAP header of outbound
 * notifications. A PasswordDigest token is refused: Workday does not send one and it would need a nonce store.
 */
export function verifyUsernameToken(header: XmlNode | undefined, expected: Credentials): boolean {
  const token = path(header, "Security", "UsernameToken");
  const username = text(child(token, "Username"));
  const passwordNode = child(token, "Password");
  const password = text(passwordNode);
  const type = attr(passwordNode, "Type");
  if (username === undefined || password === undefined) return false;
  if (type !== undefined && type !== PASSWORD_TEXT) return false;
  return matches(username, password, expected);
}

export const HMAC_SIGNATURE_HEADER = "x-hr-signature";

/** The signature header value for a body: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

export function verifyHmacSignature(
  body: string,
  header: string | null | undefined,
  secret: Secret,
): boolean {
  if (!header) return false;
  return constantTimeEqual(header.trim().toLowerCase(), signBody(body, secret.reveal()));
}
