import { ALLOWED_ATTRIBUTES, type AttributeValue } from "./names";

/** Longer values are cut: an identifier is never this long, free text might be. */
const MAX_LENGTH = 128;

/**
 * Keeps only allow-listed keys, and of their values only those that look like identifiers: a string with an
 * `@` (an email address that ended up in an id) or a control character is dropped, a long one is cut. The
 * allow-list is what keeps names, emails and secrets out; the value check is the second line.
 */
export function safeAttributes(attributes: object): Record<string, AttributeValue> {
  const safe: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!ALLOWED_ATTRIBUTES.has(key)) continue;
    const kept = safeValue(value);
    if (kept !== undefined) safe[key] = kept;
  }
  return safe;
}

function safeValue(value: unknown): AttributeValue | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean") return value;
  if (typeof value !== "string" || value === "") return undefined;
  // eslint-disable-next-line no-control-regex
  if (value.includes("@") || /[\u0000-\u001f]/.test(value)) return undefined;
  return value.length > MAX_LENGTH ? value.slice(0, MAX_LENGTH) : value;
}

const ID_SEGMENT = /^(v\d+|[A-Za-z][A-Za-z_-]*)$/;

/**
 * A Genesys request path as a template: every segment that is not a plain word (`users`, `v2`) becomes `{id}`,
 * so user, queue and conversation ids stay out of metric dimensions. Query strings are never part of it.
 */
export function pathTemplate(path: string): string {
  return path
    .split("?")[0]
    .split("/")
    .map((segment) => (segment === "" || ID_SEGMENT.test(segment) ? segment : "{id}"))
    .join("/");
}
