import type { HttpHandler } from "@azure/functions";
import { verifyBasic, verifyUsernameToken, withoutSecurityHeader, type Credentials } from "../hr/auth";
import type { HrIntake } from "../hr/intake";
import { interpretWorkdayMessage, type WorkdayIntakeOptions } from "../hr/workday-intake";
import { badRequest, isoDay, notConfigured, readBody, summarize, unauthorized } from "./hr-http";

export interface WorkdayHandlerDependencies {
  intake: HrIntake;
  /** WORKDAY_NOTIFICATION_USER / _PASSWORD; the endpoint is disabled without them. */
  credentials: Credentials | undefined;
  options: Omit<WorkdayIntakeOptions, "receivedDate">;
  now?: () => Date;
}

/**
 * `POST /api/hr/workday`: outbound notifications (WS-Security UsernameToken in the SOAP header) and pushed worker
 * documents or RaaS reports (the same UsernameToken, or HTTP Basic with the same credentials).
 *
 * The caller is authenticated before the message is parsed: Basic from the header, the UsernameToken by a
 * bounded scan of the message's start. Only then is the message read, and it is stored without its
 * WS-Security header, so the notification password never rests in the inbox.
 */
export function createWorkdayHandler(deps: WorkdayHandlerDependencies): HttpHandler {
  const now = deps.now ?? (() => new Date());
  return async (request, context) => {
    if (!deps.credentials)
      return notConfigured("WORKDAY_NOTIFICATION_USER and WORKDAY_NOTIFICATION_PASSWORD");
    const body = await readBody(request, ["xml", "json"]);
    if (!body.ok) return body.response;
    const authorization = request.headers.get("authorization");
    const authenticated =
      authorization !== null
        ? verifyBasic(authorization, deps.credentials)
        : body.media === "xml" && verifyUsernameToken(body.raw, deps.credentials);
    if (!authenticated) {
      context.warn("workday: rejected, WS-Security UsernameToken or Basic credentials missing or wrong");
      return unauthorized('Basic realm="hr"');
    }
    const raw = body.media === "xml" ? withoutSecurityHeader(body.raw) : body.raw;
    const message = interpretWorkdayMessage(raw, body.media, {
      ...deps.options,
      receivedDate: isoDay(now()),
    });
    if (!message.ok) return badRequest(message.error);
    const results = await deps.intake.receive(
      "workday",
      { raw, contentType: body.contentType },
      message.value.items,
      { log: (line) => context.log(line) },
    );
    return { status: 202, jsonBody: { kind: message.value.kind, ...summarize(results) } };
  };
}
