import type { HttpHandler } from "@azure/functions";
import type { HrIntake } from "../hr/intake";
import type { QuarantineRepository } from "../storage/quarantine";

/** `GET /api/hr/quarantine`: open entries with their reasons; `?status=all` includes replayed ones. */
export function createQuarantineListHandler(deps: { quarantine: QuarantineRepository }): HttpHandler {
  return async (request) => {
    const entries = await deps.quarantine.list({ includeResolved: request.query.get("status") === "all" });
    return {
      status: 200,
      jsonBody: { count: entries.length, entries },
      headers: { "Cache-Control": "no-store" },
    };
  };
}

/** `POST /api/hr/quarantine/{id}/replay`: 200 with the event when it now goes through, 422 with the new reason if not. */
export function createQuarantineReplayHandler(deps: { intake: HrIntake }): HttpHandler {
  return async (request, context) => {
    const id = request.params.id ?? "";
    const result = await deps.intake.replay(id, (line) => context.log(line));
    switch (result.kind) {
      case "not_found":
        return { status: 404, jsonBody: { error: "not_found", message: `no quarantine entry ${id}` } };
      case "resolved":
        return { status: 200, jsonBody: { id, status: "resolved", event: result.event } };
      case "still_quarantined":
        return {
          status: 422,
          jsonBody: {
            id,
            status: "quarantined",
            reason: result.reason,
            ...(result.field ? { field: result.field } : {}),
          },
        };
    }
  };
}
