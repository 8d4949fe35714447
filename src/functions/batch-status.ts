import type { HttpHandler, HttpRequest, HttpResponseInit } from "@azure/functions";
import * as df from "durable-functions";
import { logValue } from "../hr/log-value";
import { ONBOARDING_BATCH_ORCHESTRATOR, tally, type HireState } from "../orchestrators/onboarding";
import { batchReportCsv, publicRow, type BatchRepository } from "../storage/batches";
import { currentDurableClient } from "./durable-scope";
import type { BatchStartPort } from "./hr-batches";
import { getStatusIfExists } from "./orchestration-client";
import { readPaging } from "./paging";

/** The bulk batch's orchestration instance: one per batch id, so a batch submitted twice runs once. */
export const batchInstanceId = (batchId: string) => `batch-${batchId}`;

/** How a batch is cut into slices; from the settings. */
export interface SliceSettings {
  /** Hires converged at once. */
  sliceSize: number;
  /** Least time between the starts of two slices. */
  sliceIntervalInMs: number;
}

/**
 * Starts a stored batch's orchestration, unless it already runs or ran (the same batch submitted again), and
 * lists it in the index of batches with who submitted it.
 */
export function createBatchStart(
  settings: SliceSettings,
  index: Pick<BatchRepository, "register">,
  now: () => Date = () => new Date(),
): BatchStartPort {
  return async (batch) => {
    // Listed first: registering again keeps the first submission, so a retry after a crash loses nothing.
    await index.register({ ...batch, submittedAt: now().toISOString() });
    const client = currentDurableClient();
    const instanceId = batchInstanceId(batch.id);
    if (await getStatusIfExists(client, instanceId)) return;
    await client.startNew(ONBOARDING_BATCH_ORCHESTRATOR.name, {
      instanceId,
      input: { batchId: batch.id, total: batch.rows, ...settings, schedule: 2 },
    });
  };
}

const notFound = (error: string): HttpResponseInit => ({ status: 404, jsonBody: { error } });

/** Batch ids are 32 hex characters (a content hash); anything else names no batch. */
const BATCH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `GET /api/onboarding/batches/{id}`: 202 with progress while it runs, 200 with the per-hire report when done:
 * JSON one page of hires at a time (`pageSize`, `continuationToken`), or the whole report as CSV
 * (`Accept: text/csv`), every cell safe to open in a spreadsheet.
 */
export function createBatchStatusHandler(deps: { batches: BatchRepository }): HttpHandler {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    const id = request.params.id ?? "";
    if (!BATCH_ID.test(id)) return notFound(`no onboarding batch with id '${logValue(id)}'`);
    const status = await getStatusIfExists(currentDurableClient(), batchInstanceId(id));
    if (!status) return notFound(`no onboarding batch with id '${id}'`);
    if (status.runtimeStatus === df.OrchestrationRuntimeStatus.Completed) {
      if ((request.headers.get("accept") ?? "").includes("text/csv")) {
        return {
          status: 200,
          body: batchReportCsv(await deps.batches.listRows(id)),
          headers: { "Content-Type": "text/csv; charset=utf-8" },
        };
      }
      const paging = readPaging(request);
      if (!paging.ok) return paging.response;
      const [page, totals] = await Promise.all([
        deps.batches.listRowsPage(id, paging.value),
        // From the report, which shows each row's latest outcome (retried rows included).
        deps.batches.countStates(id).then((states) => tally(states as HireState[])),
      ]);
      return {
        status: 200,
        jsonBody: {
          id,
          status: "completed",
          totals,
          hires: page.items.map(publicRow),
          ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
        },
      };
    }
    if (status.runtimeStatus === df.OrchestrationRuntimeStatus.Failed) {
      return { status: 500, jsonBody: { id, status: "failed", error: status.output } };
    }
    return {
      status: 202,
      headers: { Location: `/api/onboarding/batches/${id}`, "Retry-After": "5" },
      jsonBody: { id, status: "running", progress: status.customStatus },
    };
  };
}
