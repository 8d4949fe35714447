import type { HttpHandler } from "@azure/functions";
import { OrchestrationRuntimeStatus, type DurableClient } from "durable-functions";
import type { BatchTotals } from "../activities/onboarding.contract";
import { tally, type HireState } from "../orchestrators/onboarding";
import type { BatchEntry, BatchRepository } from "../storage/batches";
import { getStatusIfExists } from "./orchestration-client";
import { readPaging } from "./paging";

export interface BatchListDependencies {
  batches: Pick<BatchRepository, "listBatches" | "countStates">;
  /** The Durable client of the invocation: a running batch's progress is its orchestration's custom status. */
  durableClient: () => Pick<DurableClient, "getStatus">;
  /** The batch's orchestration instance id. */
  instanceIdOf: (batchId: string) => string;
}

/** Each listed batch costs a status read and, once done, a read of its rows' states: pages stay small. */
export const BATCH_LIST_PAGE = { defaultSize: 20, maxSize: 100 };

/** The custom status a running batch reports (src/orchestrators/onboarding.ts). */
type BatchProgress = Partial<BatchTotals> & { phase?: string; batchId?: string };

/**
 * `GET /api/onboarding/batches[?pageSize=N][&continuationToken=T]`: the batches submitted, newest first, each
 * with who submitted it and when, its status and its totals: live progress while it runs; once done, each
 * row's latest outcome (so a retried row counts as what it became).
 */
export function createBatchListHandler(deps: BatchListDependencies): HttpHandler {
  return async (request) => {
    const paging = readPaging(request, BATCH_LIST_PAGE);
    if (!paging.ok) return paging.response;
    const page = await deps.batches.listBatches(paging.value);
    const client = deps.durableClient();
    const batches = await Promise.all(page.items.map((entry) => describe(entry)));
    return {
      status: 200,
      headers: { "Cache-Control": "no-store" },
      jsonBody: {
        batches,
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      },
    };

    async function describe(entry: BatchEntry) {
      const statusUrl = `/api/onboarding/batches/${entry.id}`;
      const status = await getStatusIfExists(client, deps.instanceIdOf(entry.id));
      if (status?.runtimeStatus === OrchestrationRuntimeStatus.Completed || status === undefined) {
        const states = await deps.batches.countStates(entry.id);
        // A batch whose orchestration history was purged still has its report.
        if (status !== undefined || states.length > 0) {
          return { ...entry, status: "completed", totals: tally(states as HireState[]), statusUrl };
        }
        return { ...entry, status: "unknown", statusUrl };
      }
      if (status.runtimeStatus === OrchestrationRuntimeStatus.Failed) {
        return { ...entry, status: "failed", statusUrl };
      }
      const progress = (status.customStatus ?? {}) as BatchProgress;
      const { phase, batchId: _batchId, ...counts } = progress;
      return {
        ...entry,
        status: "running",
        ...(phase ? { phase } : {}),
        totals: { ...tally([]), total: entry.rows, pending: entry.rows, ...counts },
        statusUrl,
      };
    }
  };
}
