import type { HttpHandler } from "@azure/functions";
import type { HrIntake } from "../hr/intake";
import type { ReplayResult } from "../hr/intake-ports";
import type { BatchRepository } from "../storage/batches";
import { batchRowKey } from "../storage/inbox";
import { quarantineId } from "../storage/quarantine";

export interface BatchRetryDependencies {
  intake: Pick<HrIntake, "replay">;
  batches: Pick<BatchRepository, "listRows" | "getSummary">;
}

/** What became of one row's replay. */
function retryStatus(result: ReplayResult): { status: string; reason?: string } {
  switch (result.kind) {
    case "resolved":
      return { status: "retrying" };
    case "still_quarantined":
      return { status: "quarantined", reason: result.reason };
    case "in_progress":
      return { status: "retrying", reason: `a replay started at ${result.since} is under way` };
    case "already_resolved":
      return { status: "not_retried", reason: "the row was already replayed successfully" };
    case "not_found":
      return { status: "not_retried", reason: "the row is not in quarantine" };
  }
}

/**
 * `POST /api/onboarding/batches/{id}/retry`: every failed row of a finished batch is replayed from quarantine as
 * a new attempt of that row (read again from the stored batch, so a fixed mapping or HR record takes effect),
 * in the employee's own lifecycle. The batch report then shows each row's latest outcome.
 */
export function createBatchRetryHandler(deps: BatchRetryDependencies): HttpHandler {
  return async (request, context) => {
    const id = request.params.id ?? "";
    const [summary, rows] = await Promise.all([deps.batches.getSummary(id), deps.batches.listRows(id)]);
    if (rows.length === 0)
      return {
        status: 404,
        jsonBody: { error: "not_found", message: `no onboarding batch with id '${id}'` },
      };
    if (!summary) {
      return {
        status: 409,
        jsonBody: {
          error: "running",
          message: `batch ${id} is still running: retry its failed rows once it is done`,
        },
      };
    }
    const failed = rows.filter((row) => row.state === "failed");
    const retried = [];
    for (const row of failed) {
      const key = batchRowKey(id, row.position + 1);
      const result = await deps.intake.replay(quarantineId("batch", key), (line) => context.log(line));
      retried.push({
        row: row.row,
        employeeKey: row.employeeKey,
        ...retryStatus(result),
      });
    }
    const statusUrl = `/api/onboarding/batches/${id}`;
    return {
      status: 202,
      headers: { Location: statusUrl },
      jsonBody: {
        id,
        retried: retried.filter((r) => r.status === "retrying").length,
        rows: retried,
        statusUrl,
      },
    };
  };
}
