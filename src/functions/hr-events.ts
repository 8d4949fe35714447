import type { HttpHandler, HttpRequest } from "@azure/functions";
import type { Secret } from "../config/secret";
import { constantTimeEqual, HMAC_SIGNATURE_HEADER, verifyHmacSignature } from "../hr/auth";
import { interpretNormalizedEvent } from "../hr/generic-intake";
import type { HrIntake } from "../hr/intake";
import { badRequest, notConfigured, readBody, summarize, unauthorized } from "./hr-http";

export interface EventsHandlerDependencies {
  intake: HrIntake;
  /** HR_EVENTS_HMAC_SECRET. */
  hmacSecret: Secret | undefined;
  /** HR_EVENTS_FUNCTION_KEY. */
  functionKey: Secret | undefined;
}

function functionKeyOf(request: HttpRequest): string | undefined {
  return request.headers.get("x-functions-key") ?? request.query.get("code") ?? undefined;
}

/**
 * `POST /api/hr/events`: the normalized event (what a Logic App sends). Authenticated by an HMAC-SHA256 signature
 * of the raw body (`X-HR-Signature: sha256=<hex>`) or by the function key.
 */
export function createEventsHandler(deps: EventsHandlerDependencies): HttpHandler {
  return async (request, context) => {
    if (!deps.hmacSecret && !deps.functionKey)
      return notConfigured("HR_EVENTS_HMAC_SECRET or HR_EVENTS_FUNCTION_KEY");
    const body = await readBody(request, ["json"]);
    if (!body.ok) return body.response;
    const signature = request.headers.get(HMAC_SIGNATURE_HEADER);
    const key = functionKeyOf(request);
    const authenticated =
      (deps.hmacSecret !== undefined &&
        signature !== null &&
        verifyHmacSignature(body.raw, signature, deps.hmacSecret)) ||
      (deps.functionKey !== undefined &&
        key !== undefined &&
        constantTimeEqual(key, deps.functionKey.reveal()));
    if (!authenticated) {
      context.warn("events: rejected, signature or function key missing or wrong");
      return unauthorized();
    }
    const items = interpretNormalizedEvent(body.raw, body.media);
    if (!items.ok) return badRequest(items.error);
    const results = await deps.intake.accept(
      "events",
      { raw: body.raw, contentType: body.contentType },
      items.value,
      {
        log: (line) => context.log(line),
      },
    );
    const [result] = results;
    return {
      status: result?.status === "duplicate" ? 200 : 202,
      jsonBody: { ...result, ...summarize(results) },
    };
  };
}
