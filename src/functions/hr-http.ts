import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { ItemResult } from "../hr/intake";
import { mediaKind, type MediaKind } from "../hr/media";
import { MAX_BODY_BYTES, type HrInputError } from "../hr/result";

/** Shared HTTP plumbing of the HR intake endpoints: body limits, content types, error answers. */

/** 400 naming the problem; 413 when the problem is size (a body, a batch, a document over its limits). */
export function badRequest(error: HrInputError): HttpResponseInit {
  return {
    status: error.kind === "too_large" ? 413 : 400,
    jsonBody: {
      error: error.kind,
      message: error.message,
      ...(error.field === undefined ? {} : { field: error.field }),
      ...(error.row === undefined ? {} : { row: error.row }),
    },
  };
}

/** A plain 401: an unauthenticated caller learns nothing about the message or why it was refused. */
export const unauthorized = (challenge?: string): HttpResponseInit => ({
  status: 401,
  jsonBody: { error: "unauthorized" },
  ...(challenge ? { headers: { "WWW-Authenticate": challenge } } : {}),
});

export const notConfigured = (settings: string): HttpResponseInit => ({
  status: 503,
  jsonBody: { error: "not_configured", message: `this endpoint is disabled until ${settings} are set` },
});

export type ReadBody =
  | { ok: true; raw: string; media: MediaKind; contentType: string }
  | { ok: false; response: HttpResponseInit };

/** Checks the content type and size (declared and actual) before anything is parsed or stored. */
export async function readBody(request: HttpRequest, accepted: MediaKind[]): Promise<ReadBody> {
  const contentType = request.headers.get("content-type") ?? "";
  const media = mediaKind(contentType);
  if (!media || !accepted.includes(media)) {
    return {
      ok: false,
      response: badRequest({
        kind: "unsupported_format",
        message: `unsupported Content-Type "${contentType || "(none)"}": expected ${accepted.join(" or ")}`,
      }),
    };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = badRequest({
    kind: "too_large",
    message: `body is larger than the limit of ${MAX_BODY_BYTES} bytes`,
  });
  if (declared > MAX_BODY_BYTES) return { ok: false, response: tooLarge };
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > MAX_BODY_BYTES) return { ok: false, response: tooLarge };
  return { ok: true, raw: bytes.toString("utf8"), media, contentType };
}

/** The answer for a stored message: what became of each event it carried. */
export function summarize(results: ItemResult[]) {
  const count = (status: ItemResult["status"]) => results.filter((r) => r.status === status).length;
  return {
    accepted: count("accepted"),
    duplicates: count("duplicate"),
    quarantined: count("quarantined"),
    items: results,
  };
}

/** `yyyy-MM-dd` of an instant, the "received" date parsers fall back on. */
export const isoDay = (at: Date): string => at.toISOString().slice(0, 10);
