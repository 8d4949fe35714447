import { createHash } from "node:crypto";
import { interpretBatch } from "../hr/generic-intake";
import type { HrIntake } from "../hr/intake";
import type { AuthorizedHandler } from "./access";
import { badRequest, readBody, summarize } from "./hr-http";

/** Starts a stored batch's orchestration (once: a batch submitted again is already running or done). */
export type BatchStartPort = (batch: { id: string; rows: number; submittedBy: string }) => Promise<void>;

export interface BatchIntakeDependencies {
  intake: HrIntake;
  /** Where a stored batch goes next; absent, the batch is only stored (tests of the intake alone). */
  startBatch?: BatchStartPort;
  /** ONBOARDING_BATCH_MAX_ROWS: a larger batch is refused with 413 before anything is stored. */
  maxRows?: number;
  newBatchId?: () => string;
}

/**
 * `POST /api/onboarding/batches`: a bulk CSV or a JSON array of events. Every row is checked, then stored and
 * either handed over or quarantined with its row number, and the batch's orchestration is started, before the
 * 202 names the batch.
 */
export function createBatchIntakeHandler(deps: BatchIntakeDependencies): AuthorizedHandler {
  // The id comes from the content, so the same batch submitted twice is the same batch and runs once.
  const newBatchId = (raw: string) =>
    deps.newBatchId?.() ?? createHash("sha256").update(raw).digest("hex").slice(0, 32);
  return async (request, context, caller) => {
    const body = await readBody(request, ["csv", "json"]);
    if (!body.ok) return body.response;
    const id = newBatchId(body.raw);
    const items = interpretBatch(body.raw, body.media, id, deps.maxRows);
    if (!items.ok) return badRequest(items.error);
    const results = await deps.intake.accept(
      "batch",
      { raw: body.raw, contentType: body.contentType },
      items.value,
      { batchId: id, log: (line) => context.log(line) },
    );
    await deps.startBatch?.({ id, rows: results.length, submittedBy: caller.name });
    const statusUrl = `/api/onboarding/batches/${id}`;
    return {
      status: 202,
      headers: { Location: statusUrl },
      jsonBody: {
        id,
        status: "accepted",
        rows: results.length,
        submittedBy: caller.name,
        statusUrl,
        quarantineUrl: "/api/hr/quarantine",
        ...summarize(results),
      },
    };
  };
}
