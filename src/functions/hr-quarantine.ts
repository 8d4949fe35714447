import type { HttpHandler } from "@azure/functions";
import type { HrIntake } from "../hr/intake";
import type { QuarantineRepository } from "../storage/quarantine";
import { readPaging } from "./paging";

/**
 * `GET /api/hr/quarantine[?status=all][&pageSize=N][&continuationToken=T]`: open entries (all with
 * `status=all`) one page at a time, with the token for the next page while there is one.
 */
export function createQuarantineListHandler(deps: { quarantine: QuarantineRepository }): HttpHandler {
  return async (request) => {
    const paging = readPaging(request);
    if (!paging.ok) return paging.response;
    const page = await deps.quarantine.listPage({
      includeResolved: request.query.get("status") === "all",
      ...paging.value,
    });
    return {
      status: 200,
      jsonBody: {
        count: page.items.length,
        entries: page.items,
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      },
      headers: { "Cache-Control": "no-store" },
    };
  };
}

/**
 * `POST /api/hr/quarantine/{id}/replay`: 200 with the event when it now goes through, 422 with the new reason if
 * not, 409 when the entry was already resolved or another replay of it is running, 404 when there is none.
 */
export function createQuarantineReplayHandler(deps: { intake: HrIntake }): HttpHandler {
  return async (request, context) => {
    const id = request.params.id ?? "";
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(id)) {
      return { status: 404, jsonBody: { error: "not_found", message: "no quarantine entry with that id" } };
    }
    const result = await deps.intake.replay(id, (line) => context.log(line));
    switch (result.kind) {
      case "not_found":
        return { status: 404, jsonBody: { error: "not_found", message: `no quarantine entry ${id}` } };
      case "already_resolved":
        return {
          status: 409,
          jsonBody: {
            error: "already_resolved",
            message: `quarantine entry ${id} was resolved${result.resolvedAt ? ` at ${result.resolvedAt}` : ""}; it is not replayed again`,
          },
        };
      case "in_progress":
        return {
          status: 409,
          jsonBody: {
            error: "replay_in_progress",
            message: `a replay of quarantine entry ${id} has been running since ${result.since}`,
          },
        };
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
