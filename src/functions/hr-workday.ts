import type { HttpHandler } from "@azure/functions";
import { verifyBasic, verifyUsernameToken, type Credentials } from "../hr/auth";
import type { HrIntake } from "../hr/intake";
import { interpretWorkdayMessage, type WorkdayIntakeOptions } from "../hr/workday-intake";
import { child } from "../hr/xml";
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
 */
export function createWorkdayHandler(deps: WorkdayHandlerDependencies): HttpHandler {
  const now = deps.now ?? (() => new Date());
  return async (request, context) => {
    if (!deps.credentials)
      return notConfigured("WORKDAY_NOTIFICATION_USER and WORKDAY_NOTIFICATION_PASSWORD");
    const body = await readBody(request, ["xml", "json"]);
    if (!body.ok) return body.response;
    const received = now();
    const message = interpretWorkdayMessage(body.raw, body.media, {
      ...deps.options,
      receivedDate: isoDay(received),
    });
    if (!message.ok) return badRequest(message.error);
    const { soapHeader, items, kind } = message.value;
    const authenticated = child(soapHeader, "Security")
      ? verifyUsernameToken(soapHeader, deps.credentials)
      : verifyBasic(request.headers.get("authorization"), deps.credentials);
    if (!authenticated) {
      context.warn(
        `workday ${kind}: rejected, WS-Security UsernameToken or Basic credentials missing or wrong`,
      );
      return unauthorized(
        "WS-Security UsernameToken (or HTTP Basic) credentials are missing or wrong",
        'Basic realm="hr"',
      );
    }
    const results = await deps.intake.accept(
      "workday",
      { raw: body.raw, contentType: body.contentType },
      items,
      {
        log: (line) => context.log(line),
      },
    );
    return { status: 202, jsonBody: { kind, ...summarize(results) } };
  };
}
