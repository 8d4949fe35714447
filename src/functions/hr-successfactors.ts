import type { HttpHandler } from "@azure/functions";
import { verifyBasic, type Credentials } from "../hr/auth";
import type { HrIntake } from "../hr/intake";
import { buildExternalEventResponse } from "../hr/successfactors";
import {
  interpretSuccessFactorsMessage,
  type SuccessFactorsIntakeOptions,
} from "../hr/successfactors-intake";
import { badRequest, isoDay, notConfigured, readBody, summarize, unauthorized } from "./hr-http";

export interface SuccessFactorsHandlerDependencies {
  intake: HrIntake;
  /** SF_NOTIFICATION_USER / _PASSWORD; the endpoint is disabled without them. */
  credentials: Credentials | undefined;
  options: Omit<SuccessFactorsIntakeOptions, "receivedDate">;
  now?: () => Date;
}

/**
 * `POST /api/hr/successfactors`: SOAP `ExternalEvent` notifications, answered with an `ExternalEventResponse`
 * (status 200 once every event is stored), and Integration Center JSON. HTTP Basic for both.
 */
export function createSuccessFactorsHandler(deps: SuccessFactorsHandlerDependencies): HttpHandler {
  const now = deps.now ?? (() => new Date());
  return async (request, context) => {
    if (!deps.credentials) return notConfigured("SF_NOTIFICATION_USER and SF_NOTIFICATION_PASSWORD");
    if (!verifyBasic(request.headers.get("authorization"), deps.credentials)) {
      context.warn("successfactors: rejected, HTTP Basic credentials missing or wrong");
      return unauthorized('Basic realm="hr"');
    }
    const body = await readBody(request, ["xml", "json"]);
    if (!body.ok) return body.response;
    const received = now();
    const message = interpretSuccessFactorsMessage(body.raw, body.media, {
      ...deps.options,
      receivedDate: isoDay(received),
    });
    if (!message.ok) return badRequest(message.error);
    const results = await deps.intake.receive(
      "successfactors",
      { raw: body.raw, contentType: body.contentType },
      message.value.items,
      { log: (line) => context.log(line) },
    );
    const summary = summarize(results);
    if (message.value.kind === "integration_center") return { status: 202, jsonBody: summary };
    return {
      status: 200,
      headers: { "Content-Type": "text/xml; charset=utf-8" },
      body: buildExternalEventResponse({
        status: 200,
        ...(message.value.externalEventId === undefined ? {} : { entityId: message.value.externalEventId }),
        statusDate: received.toISOString(),
        statusDetails: `accepted ${summary.accepted}, duplicates ${summary.duplicates}, quarantined ${summary.quarantined}`,
      }),
    };
  };
}
