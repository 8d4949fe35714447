import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Secret } from "../config/secret";

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
 * How far into a message the WS-Security header is looked for. The SOAP header comes before the body and
 * Workday's is a few hundred bytes; a header further in is treated as absent, so the caller needs Basic.
 */
export const SECURITY_HEADER_SCAN_BYTES = 16 * 1024;

/** The `wsse:Security` element, found by one bounded scan of the message's start; no XML parser runs. */
const SECURITY_ELEMENT = /<([A-Za-z_][\w.-]*:)?Security\b[^<>]*>[\s\S]*?<\/\1Security\s*>/;
const element = (name: string) =>
  new RegExp(`<([A-Za-z_][\\w.-]*:)?${name}\\b([^<>]*)>([^<]*)<\\/\\1${name}\\s*>`);
const USERNAME = element("Username");
const PASSWORD = element("Password");
const TYPE_ATTRIBUTE = /\bType\s*=\s*(?:"([^"]*)"|'([^']*)')/;

const XML_TEXT_ESCAPES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const unescapeXmlText = (value: string) =>
  value.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, entity: string) =>
    entity.startsWith("#x")
      ? String.fromCodePoint(parseInt(entity.slice(2), 16))
      : entity.startsWith("#")
        ? String.fromCodePoint(Number(entity.slice(1)))
        : (XML_TEXT_ESCAPES[entity] ?? ""),
  );

/** Where the `wsse:Security` element is in a message, if it starts within the scanned part. */
export function findSecurityHeader(raw: string): { start: number; end: number } | undefined {
  const head = raw.slice(0, SECURITY_HEADER_SCAN_BYTES);
  const match = SECURITY_ELEMENT.exec(head);
  return match ? { start: match.index, end: match.index + match[0].length } : undefined;
}

/**
 * WS-Security UsernameToken with a PasswordText password, as Workday sends it in the SOAP header of outbound
 * notifications, read with a bounded scan before the message is parsed: an unauthenticated body never costs a
 * parse. A PasswordDigest token is refused: Workday does not send one and it would need a nonce store.
 */
export function verifyUsernameToken(raw: string, expected: Credentials): boolean {
  const found = findSecurityHeader(raw);
  if (!found) return false;
  const security = raw.slice(found.start, found.end);
  const username = USERNAME.exec(security);
  const password = PASSWORD.exec(security);
  if (!username || !password) return false;
  const typeMatch = TYPE_ATTRIBUTE.exec(password[2]);
  const type = typeMatch ? (typeMatch[1] ?? typeMatch[2]) : undefined;
  if (type !== undefined && type !== PASSWORD_TEXT) return false;
  return matches(unescapeXmlText(username[3].trim()), unescapeXmlText(password[3].trim()), expected);
}

/**
 * The message without its `wsse:Security` element, for storage: the notification password never rests in
 * the inbox. Everything else, including the rest of the SOAP header, is kept byte for byte.
 */
export function withoutSecurityHeader(raw: string): string {
  const found = findSecurityHeader(raw);
  return found ? raw.slice(0, found.start) + raw.slice(found.end) : raw;
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
