import { fail, MAX_BODY_BYTES, ok, type Parsed } from "./result";

/** Parses an untrusted JSON body, with the size limit every intake endpoint applies. */
export function parseUntrustedJson(body: string): Parsed<unknown> {
  if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) {
    return fail("too_large", `body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  if (body.trim() === "") return fail("malformed", "body is empty");
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
 * The identity of a normalized event sent as JSON. Without an `eventId` there is no idempotency key, so such a
 * message is refused (400) rather than quarantined; everything else is validated later and quarantined if wrong.
 */
export function normalizedEventIdentity(
  value: unknown,
  at = "",
): Parsed<{ eventId: string; employeeKey?: string }> {
  if (!isRecord(value))
    return fail("unsupported_format", `${at || "body"} must be a JSON object (a normalized HR event)`);
  const eventId = value.eventId;
  if (typeof eventId !== "string" || eventId.trim() === "") {
    return fail("invalid_field", `${at}eventId is required and must be a non-empty string`, `${at}eventId`);
  }
  const worker = value.worker;
  const employeeId =
    isRecord(worker) && typeof worker.employeeId === "string" ? worker.employeeId : undefined;
  return ok({ eventId: eventId.trim(), employeeKey: employeeId });
}
