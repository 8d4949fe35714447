import { randomBytes } from "node:crypto";
import type { app as functionsApp, HttpResponseInit } from "@azure/functions";
import * as df from "durable-functions";
import type { DurableClient } from "durable-functions";
import { z } from "zod";
import {
  createReconciliationActivities,
  type ReconciliationDependencies,
} from "../activities/reconciliation";
import type { ActivityDefinition } from "../activities/contract";
import type { ReconciliationActivityImplementations } from "../activities/registry";
import { newRunSummary, updateSummary } from "../activities/reconciliation-context";
import type { ReconciliationSettings } from "../config/settings";
import { logValue } from "../hr/log-value";
import type { GenesysMode, RunSummary } from "../lifecycle/reconcile/report";
import { RECONCILIATION_ORCHESTRATOR, type ReconciliationInput } from "../orchestrators/reconciliation";
import type { ReconciliationRepository } from "../storage/reconciliation";
import { ATTR, NO_TELEMETRY, SPANS, type Telemetry } from "../telemetry";
import { ANY_ROLE, requireRole, ROLES, type AuthorizedHandler } from "./access";
import { withActivityTelemetry } from "./activity-telemetry";
import { withValidatedInput } from "./activity-input";
import { registerReconciliationDurableFunctions } from "./durable-registrations";
import { currentDurableClient, withDurableClient } from "./durable-scope";
import { getStatusIfExists } from "./orchestration-client";
import { readPaging } from "./paging";

export interface ReconciliationFunctionsDependencies {
  /** The activities' dependencies, but the HR intake: registration hands them the app's own. */
  activities: Omit<ReconciliationDependencies, "intake">;
  settings: Pick<ReconciliationSettings, "schedule" | "mode" | "sliceCalls" | "slicePauseInMs">;
  telemetry?: Telemetry;
}

type FunctionsApp = Pick<typeof functionsApp, "http">;

/** Employees compared per slice: one slice's per-user reads and plans stay small whatever the org. */
const EMPLOYEES_PER_SLICE = 200;

/** A run's orchestration instance: one per run id. */
export const reconciliationInstanceId = (runId: string) => `reconciliation-${runId}`;

/** Run ids are letters, digits and `-`: they travel in URLs and become storage keys. */
const RUN_ID = /^[A-Za-z0-9-]{1,64}$/;

/** `POST /api/reconciliation/runs` may name the mode of this one run; the setting decides otherwise. */
export const StartRunSchema = z.strictObject({
  mode: z.enum(["report", "fix"], { error: 'must be "report" or "fix"' }).optional(),
});

const ACTIVE: readonly string[] = [
  df.OrchestrationRuntimeStatus.Running,
  df.OrchestrationRuntimeStatus.Pending,
  df.OrchestrationRuntimeStatus.ContinuedAsNew,
];

export type StartOutcome = { kind: "started"; runId: string } | { kind: "running"; runId: string };

/**
 * Starts a run unless one is in progress (two runs would read everything twice). A run whose orchestration
 * stopped without ending it (a host gone for good) no longer counts as in progress: it is marked failed.
 */
export async function startReconciliationRun(
  client: Pick<DurableClient, "getStatus" | "startNew">,
  deps: Pick<ReconciliationFunctionsDependencies, "settings"> & { runs: ReconciliationRepository },
  run: { runId: string; trigger: RunSummary["trigger"]; mode: GenesysMode; at: Date },
): Promise<StartOutcome> {
  const { runs } = deps;
  for (let attempt = 0; attempt < 2; attempt++) {
    const running = await runs.claimCurrent(run.runId);
    if (running === undefined) break;
    const status = await getStatusIfExists(client, reconciliationInstanceId(running));
    if (status && ACTIVE.includes(status.runtimeStatus)) return { kind: "running", runId: running };
    await updateSummary(runs, running, (s) => {
      s.status = "failed";
      s.reason = "its orchestration stopped before the run ended";
    });
  }
  await runs.saveRun({
    id: run.runId,
    status: "running",
    summary: newRunSummary({
      id: run.runId,
      trigger: run.trigger,
      mode: run.mode,
      startedAt: run.at.toISOString(),
    }),
  });
  const input: ReconciliationInput = {
    runId: run.runId,
    mode: run.mode,
    slice: {
      calls: deps.settings.sliceCalls,
      pauseInMs: deps.settings.slicePauseInMs,
      employees: EMPLOYEES_PER_SLICE,
    },
  };
  await client.startNew(RECONCILIATION_ORCHESTRATOR.name, {
    instanceId: reconciliationInstanceId(run.runId),
    input,
  });
  return { kind: "started", runId: run.runId };
}

/** A new run's id: when it started, to the second, and a few random letters. */
export function newRunId(at: Date, suffix = randomBytes(3).toString("hex")): string {
  return `${at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z")}-${suffix}`;
}

const statusUrl = (runId: string) => `/api/reconciliation/runs/${runId}`;

/** `POST /api/reconciliation/runs`: 202 with `Location`; 409 naming the run in progress. */
function createStartRunHandler(
  deps: Pick<ReconciliationFunctionsDependencies, "settings"> & { runs: ReconciliationRepository },
): AuthorizedHandler {
  return async (request, context, caller) => {
    const text = await request.text();
    let body: unknown = {};
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        return { status: 400, jsonBody: { error: "malformed", message: "the body is not JSON" } };
      }
    }
    const parsed = StartRunSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        status: 400,
        jsonBody: {
          error: "invalid_field",
          field: issue.path.join(".") || "body",
          message: `${issue.path.join(".") || "body"} ${issue.message}`,
        },
      };
    }
    const at = new Date();
    const mode = parsed.data.mode ?? deps.settings.mode;
    const outcome = await startReconciliationRun(currentDurableClient(), deps, {
      runId: newRunId(at),
      trigger: { kind: "operator", by: caller.name },
      mode,
      at,
    });
    if (outcome.kind === "running") {
      return {
        status: 409,
        headers: { Location: statusUrl(outcome.runId) },
        jsonBody: {
          error: "run_in_progress",
          message: `reconciliation run ${outcome.runId} is still running: one run at a time`,
          id: outcome.runId,
          statusUrl: statusUrl(outcome.runId),
        },
      };
    }
    context.log(`reconciliation run ${outcome.runId} started by ${logValue(caller.name)} (${mode} mode)`);
    return {
      status: 202,
      headers: { Location: statusUrl(outcome.runId) },
      jsonBody: { id: outcome.runId, status: "running", mode, statusUrl: statusUrl(outcome.runId) },
    };
  };
}

/**
 * `GET /api/reconciliation/runs/{id}`: 202 with the summary so far while the run goes on; 200 with the summary
 * and one page of findings (`pageSize`, `continuationToken`) once it has ended, completed or failed.
 */
function createRunStatusHandler(runs: ReconciliationRepository): AuthorizedHandler {
  return async (request): Promise<HttpResponseInit> => {
    const id = request.params.id ?? "";
    const notFound = {
      status: 404,
      jsonBody: { error: "not_found", message: `no reconciliation run '${logValue(id)}'` },
    };
    if (!RUN_ID.test(id)) return notFound;
    const run = await runs.getRun<RunSummary>(id);
    if (!run) return notFound;
    if (run.summary.status === "running") {
      return {
        status: 202,
        headers: { Location: statusUrl(id), "Retry-After": "10" },
        jsonBody: run.summary,
      };
    }
    const paging = readPaging(request);
    if (!paging.ok) return paging.response;
    const page = await runs.findingsPage(id, paging.value);
    return {
      status: 200,
      jsonBody: {
        ...run.summary,
        findings: page.items.map((f) => f.finding),
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      },
    };
  };
}

/** A listed run is one row read with the page: the list shows the last runs, so pages stay small. */
export const RUN_LIST_PAGE = { defaultSize: 20, maxSize: 100 };

/**
 * `GET /api/reconciliation/runs[?pageSize=N][&continuationToken=T]`: the runs, newest first, each with its
 * summary (trigger, mode, status, times, counts, cost once ended) and where its report is.
 */
function createRunListHandler(runs: ReconciliationRepository): AuthorizedHandler {
  return async (request): Promise<HttpResponseInit> => {
    const paging = readPaging(request, RUN_LIST_PAGE);
    if (!paging.ok) return paging.response;
    const page = await runs.listRuns<RunSummary>(paging.value);
    return {
      status: 200,
      headers: { "Cache-Control": "no-store" },
      jsonBody: {
        runs: page.items.map((run) => ({ ...run.summary, statusUrl: statusUrl(run.id) })),
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      },
    };
  };
}

/** Registers the run's orchestrator and activities, its three routes, and the timer when a schedule is set. */
export function registerReconciliationFunctions(
  app: FunctionsApp,
  deps: ReconciliationFunctionsDependencies,
  intake: ReconciliationDependencies["intake"],
): void {
  const implementations = createReconciliationActivities({ ...deps.activities, intake });
  const telemetry = deps.telemetry ?? NO_TELEMETRY;
  registerReconciliationDurableFunctions((activity: ActivityDefinition) => {
    const implementation = implementations[activity.name as keyof ReconciliationActivityImplementations] as (
      input: unknown,
    ) => Promise<unknown>;
    // Reconciliation works on no one HR event: each activity is a trace of its own.
    return withActivityTelemetry(
      telemetry,
      async () => ({}),
      activity.name,
      withValidatedInput(activity.name, activity.input, implementation),
    );
  });

  const runs = deps.activities.runs;
  const routeDeps = { settings: deps.settings, runs };
  withDurableClient(app).http("reconciliationRunsStart", {
    route: "reconciliation/runs",
    methods: ["POST"],
    authLevel: "anonymous",
    handler: requireRole(ROLES.operator, createStartRunHandler(routeDeps)),
  });
  app.http("reconciliationRunsList", {
    route: "reconciliation/runs",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(ANY_ROLE, createRunListHandler(runs)),
  });
  app.http("reconciliationRunStatus", {
    route: "reconciliation/runs/{id}",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(ANY_ROLE, createRunStatusHandler(runs)),
  });

  const { schedule } = deps.settings;
  if (schedule !== undefined) {
    df.app.client.timer("reconciliationTimer", {
      schedule,
      handler: (_timer, client, context) =>
        telemetry.inSpan(SPANS.timer, { [ATTR.functionName]: "reconciliationTimer" }, async () => {
          const at = new Date();
          const outcome = await startReconciliationRun(client, routeDeps, {
            runId: newRunId(at, "scheduled"),
            trigger: { kind: "schedule" },
            mode: deps.settings.mode,
            at,
          });
          context.log(
            outcome.kind === "started"
              ? `reconciliation run ${outcome.runId} started on schedule`
              : `reconciliation: run ${outcome.runId} is still running; the scheduled run is skipped`,
          );
        }),
    });
  }
}
