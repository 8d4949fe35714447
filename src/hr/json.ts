import { EventIdSchema } from "../lifecycle/hr-event";
import { validEmployeeKey } from "./normalize";
import { fail, MAX_BODY_BYTES, ok, type Parsed } from "./result";

/** Deepest nesting of arrays and objects an untrusted JSON body may have; HR payloads need a handful. */
export const MAX_JSON_DEPTH = 32;

/**
 * The nesting depth of a JSON text, in one linear pass that skips strings. Checked before `JSON.parse`, so
 * a body of ten thousand `[` never reaches the recursive code that walks a parsed value.
 */
export function jsonDepth(body: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Parses an untrusted JSON body, with the size and depth limits every intake endpoint applies. */
export function parseUntrustedJson(body: string): Parsed<unknown> {
  if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) {
    return fail("too_large", `body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  if (body.trim() === "") return fail("malformed", "body is empty");
  if (jsonDepth(body) > MAX_JSON_DEPTH) {
    return fail("too_large", `JSON is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  try {
    return ok(JSON.parse(body) as unknown);
  } catch (error) {
    return fail(
      "malformed",
      `JSON is not well-formed: ${error instanceof Error ? error.message : "parse error"}`,
    );
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The identity of a normalized event sent as JSON. Without a valid `eventId` there is no idempotency key, so
 * such a message is refused (400) rather than quarantined; everything else is validated later.
 */
export function normalizedEventIdentity(
  value: unknown,
  at = "",
): Parsed<{ eventId: string; employeeKey?: string }> {
  if (!isRecord(value))
    return fail("unsupported_format", `${at || "body"} must be a JSON object (a normalized HR event)`);
  const eventId = EventIdSchema.safeParse(value.eventId);
  if (!eventId.success) {
    const problem = value.eventId === undefined ? "is required" : eventId.error.issues[0].message;
    return fail("invalid_field", `${at}eventId ${problem}`, `${at}eventId`);
  }
  const worker = value.worker;
  const employeeId =
    isRecord(worker) && typeof worker.employeeId === "string"
      ? validEmployeeKey(worker.employeeId)
      : undefined;
  return ok({ eventId: eventId.data, employeeKey: employeeId });
}
