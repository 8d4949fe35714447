import {
  app as functionsApp,
  type HttpFunctionOptions,
  type HttpHandler,
  type HttpRequest,
  type HttpResponseInit,
} from "@azure/functions";
import * as df from "durable-functions";
import type { Secret } from "../config/secret";
import type { z } from "zod";
import { createConvergeActivities } from "../activities/converge";
import {
  APPLY_STEP,
  ApplyStepInputSchema,
  PREPARE_CONVERGE,
  PrepareConvergeInputSchema,
  VERIFY_CONVERGED,
  VerifyConvergedInputSchema,
} from "../activities/converge.contract";
import type { ActivityDependencies } from "../activities/dependencies";
import { createEmployeeEventActivities } from "../activities/employee-events";
import {
  BEGIN_EVENT,
  BeginEventInputSchema,
  COMPLETE_EVENT,
  CompleteEventInputSchema,
  DELETE_AFTER_RETENTION,
  DeleteAfterRetentionInputSchema,
  TAKE_DUE_EVENTS,
  TakeDueEventsInputSchema,
} from "../activities/employee-events.contract";
import { createLeaverActivities } from "../activities/leaver";
import {
  APPROVAL_EVENT,
  CHECK_DEACTIVATION_GUARD,
  DEACTIVATE_LEAVER,
  DeactivateInputSchema,
  FINISH_LEAVER,
  FinishLeaverInputSchema,
  GuardInputSchema,
  HAND_OVER_INTERACTIONS,
  HandOverInputSchema,
  LeaverStepInputSchema,
  PREPARE_LEAVER,
  PrepareLeaverInputSchema,
  READ_APPROVAL,
  ReadApprovalInputSchema,
  TAKE_OFF_QUEUE,
} from "../activities/leaver.contract";
import { createOnboardingActivities } from "../activities/onboarding";
import {
  BatchSliceInputSchema,
  COMPLETE_BATCH,
  CompleteBatchInputSchema,
  FINISH_BATCH_SLICE,
  JOIN_BATCH_QUEUES,
  JoinBatchQueuesInputSchema,
  LOOK_UP_BATCH_SLICE,
  RECORD_BATCH_OUTCOMES,
  RecordBatchOutcomesInputSchema,
} from "../activities/onboarding.contract";
import type { HrEvent } from "../lifecycle/hr-event";
import { logValue } from "../hr/log-value";
import type { DispatchPort } from "../hr/intake";
import { CONVERGE_ORCHESTRATOR, convergeEmployee } from "../orchestrators/converge";
import { EMPLOYEE_ORCHESTRATOR, employeeLifecycle } from "../orchestrators/employee";
import { LEAVER_ORCHESTRATOR, gracefulLeaver } from "../orchestrators/leaver";
import {
  ONBOARDING_BATCH_ORCHESTRATOR,
  ONBOARDING_FINISH_ORCHESTRATOR,
  ONBOARDING_SLICE_ORCHESTRATOR,
  onboardingBatch,
  onboardingFinishSlice,
  onboardingSlice,
  tally,
  type HireState,
  type OnboardingBatchInput,
} from "../orchestrators/onboarding";
import { batchReportCsv, publicRow, type BatchRepository } from "../storage/batches";
import { batchIdOf, batchRowIndex } from "../storage/inbox";
import { createManagerLinks } from "../activities/manager-links";
import { createBatchListHandler } from "./batch-list";
import { createEmployeeAuditHandler, createEmployeeHandler, createEmployeeSearchHandler } from "./employees";
import { ATTR, NO_TELEMETRY, SPANS, type Telemetry } from "../telemetry";
import { ANY_ROLE, requireRole, ROLES } from "./access";
import { createDecideApprovalHandler, createListApprovalsHandler } from "./approvals";
import { batchesIntegration } from "./hr";
import { readPaging } from "./paging";
import { withValidatedInput } from "./activity-input";
import { createStoredTraceResolver, withActivityTelemetry } from "./activity-telemetry";
import { createGaugeReader, GAUGES_SCHEDULE, type GaugeSources } from "./telemetry-gauges";
import { currentDurableClient, withDurableClient } from "./durable-scope";
import { createEmployeeDispatcher, getStatusIfExists } from "./orchestration-client";

export interface LifecycleFunctionsDependencies {
  activities: ActivityDependencies;
  /** The Logic App's key, also accepted on the batch status route it polls. */
  batchesFunctionKey?: Secret;
  /** Hires converged at once, and the pause between slices (the user's guide: 10 per second). */
  onboarding: { sliceSize: number; sliceIntervalInMs: number };
  /** Activity spans and lifecycle counters. */
  telemetry?: Telemetry;
  /** What the gauges timer reads; it is registered only when telemetry is on. */
  gauges?: GaugeSources;
}

type FunctionsApp = Pick<typeof functionsApp, "http">;

/** The bulk batch's orchestration instance: one per batch id, so a batch submitted twice runs once. */
export const batchInstanceId = (batchId: string) => `batch-${batchId}`;

/** Registers the orchestrators, their activities, approvals, batch status and the inbox sweep. */
export function registerLifecycleFunctions(app: FunctionsApp, deps: LifecycleFunctionsDependencies): void {
  df.app.orchestration(EMPLOYEE_ORCHESTRATOR, employeeLifecycle);
  df.app.orchestration(CONVERGE_ORCHESTRATOR, convergeEmployee);
  df.app.orchestration(LEAVER_ORCHESTRATOR, gracefulLeaver);
  df.app.orchestration(ONBOARDING_BATCH_ORCHESTRATOR, onboardingBatch);
  df.app.orchestration(ONBOARDING_SLICE_ORCHESTRATOR, onboardingSlice);
  df.app.orchestration(ONBOARDING_FINISH_ORCHESTRATOR, onboardingFinishSlice);

  const converge = createConvergeActivities(deps.activities);
  const events = createEmployeeEventActivities(deps.activities);
  const leaver = createLeaverActivities(deps.activities);
  const onboarding = createOnboardingActivities(deps.activities, converge);
  const telemetry = deps.telemetry ?? NO_TELEMETRY;
  const traces = createStoredTraceResolver(deps.activities.employees);
  // Each activity checks its input against the contract's schema before it runs, in a span of its HR event's trace.
  const activity = <S extends z.ZodType>(
    name: string,
    schema: S,
    handler: (input: z.output<S>) => Promise<unknown>,
  ) =>
    df.app.activity(name, {
      handler: withActivityTelemetry(telemetry, traces, name, withValidatedInput(name, schema, handler)),
    });
  activity(PREPARE_CONVERGE, PrepareConvergeInputSchema, converge.prepareConverge);
  activity(APPLY_STEP, ApplyStepInputSchema, converge.applyPlanStep);
  activity(VERIFY_CONVERGED, VerifyConvergedInputSchema, converge.verifyConverged);
  activity(TAKE_DUE_EVENTS, TakeDueEventsInputSchema, events.takeDueEvents);
  activity(BEGIN_EVENT, BeginEventInputSchema, events.beginEvent);
  activity(COMPLETE_EVENT, CompleteEventInputSchema, events.completeEvent);
  activity(DELETE_AFTER_RETENTION, DeleteAfterRetentionInputSchema, events.deleteAfterRetention);
  activity(PREPARE_LEAVER, PrepareLeaverInputSchema, leaver.prepareLeaver);
  activity(TAKE_OFF_QUEUE, LeaverStepInputSchema, leaver.takeAgentOffQueue);
  activity(HAND_OVER_INTERACTIONS, HandOverInputSchema, leaver.handOverInteractions);
  activity(CHECK_DEACTIVATION_GUARD, GuardInputSchema, leaver.checkDeactivationGuard);
  activity(READ_APPROVAL, ReadApprovalInputSchema, leaver.readApprovalDecision);
  activity(DEACTIVATE_LEAVER, DeactivateInputSchema, leaver.deactivateLeaver);
  activity(FINISH_LEAVER, FinishLeaverInputSchema, leaver.finishLeaver);
  activity(LOOK_UP_BATCH_SLICE, BatchSliceInputSchema, onboarding.lookUpBatchSlice);
  activity(RECORD_BATCH_OUTCOMES, RecordBatchOutcomesInputSchema, onboarding.recordBatchOutcomes);
  activity(JOIN_BATCH_QUEUES, JoinBatchQueuesInputSchema, onboarding.joinBatchQueues);
  activity(FINISH_BATCH_SLICE, BatchSliceInputSchema, onboarding.finishBatchSlice);
  activity(COMPLETE_BATCH, CompleteBatchInputSchema, onboarding.completeBatch);

  const durable = withDurableClient(app);
  // Operator routes: the caller's app role decides (see ./access); anonymous to the Functions host.
  durable.http("approvalsList", {
    route: "approvals",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(ANY_ROLE, createListApprovalsHandler({ approvals: deps.activities.approvals })),
  });
  durable.http("approvalsDecide", {
    route: "approvals/{id}",
    methods: ["POST"],
    authLevel: "anonymous",
    handler: requireRole(
      ROLES.approver,
      createDecideApprovalHandler({
        approvals: deps.activities.approvals,
        raiseDecision: (instanceId, decision) =>
          currentDurableClient().raiseEvent(instanceId, APPROVAL_EVENT, decision),
      }),
    ),
  });
  app.http("employeeSearch", {
    route: "employees",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(ANY_ROLE, createEmployeeSearchHandler(deps.activities)),
  });
  app.http("employee", {
    route: "employees/{employeeId}",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(ANY_ROLE, createEmployeeHandler(deps.activities)),
  });
  app.http("employeeAudit", {
    route: "employees/{employeeId}/audit",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(ANY_ROLE, createEmployeeAuditHandler(deps.activities)),
  });
  durable.http("onboardingBatchList", {
    route: "onboarding/batches",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(
      ANY_ROLE,
      createBatchListHandler({
        batches: deps.activities.batches,
        durableClient: currentDurableClient,
        instanceIdOf: batchInstanceId,
      }),
    ),
  });
  durable.http("onboardingBatchStatus", {
    route: "onboarding/batches/{id}",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: requireRole(ANY_ROLE, createBatchStatusHandler(deps.activities), {
      integration: batchesIntegration({ batchesFunctionKey: deps.batchesFunctionKey }, [ROLES.reader]),
    }),
  });

  const { employees } = deps.activities;
  const managerLinks = createManagerLinks(deps.activities);
  df.app.client.timer("inboxSweep", {
    // Every five minutes: an event whose wake-up was lost in a race still gets its orchestration, and a
    // report whose manager now has a Genesys user is linked even if the manager's provisioning missed it.
    schedule: "0 */5 * * * *",
    handler: (_timer, client, context) =>
      telemetry.inSpan(SPANS.timer, { [ATTR.functionName]: "inboxSweep" }, async () => {
        const dispatch = createEmployeeDispatcher(client);
        const waiting = await employees.employeesWithPendingEvents();
        let restarted = 0;
        // An employee whose orchestration had to be started again was stuck: its wake-up was lost.
        for (const employeeKey of waiting) if ((await dispatch(employeeKey)) === "started") restarted++;
        if (restarted > 0) telemetry.count("sweepStuckEmployees", {}, restarted);
        if (waiting.length > 0)
          context.log(
            `inbox sweep: ${waiting.length} employee(s) with pending events woken, ${restarted} restarted`,
          );
        const links = await managerLinks.sweep();
        if (links.linked > 0)
          context.log(`inbox sweep: ${links.linked} manager link(s) made, ${links.waiting} still waiting`);
      }),
  });

  if (telemetry.enabled && deps.gauges) {
    functionsApp.timer("telemetryGauges", {
      schedule: GAUGES_SCHEDULE,
      handler: createGaugeReader(telemetry, deps.gauges),
    });
  }
}

/**
 * Where the HR intake hands accepted events: into the employee's queue, then the employee's orchestration is
 * woken or started. Bulk rows wait for their batch's orchestration instead, unless replayed from quarantine:
 * a replayed row is a new attempt of that one event, in the employee's own lifecycle.
 */
export function createLifecycleDispatch(
  { employees, batches }: Pick<ActivityDependencies, "employees" | "batches">,
  telemetry: Telemetry = NO_TELEMETRY,
): DispatchPort {
  return async (event: HrEvent, meta) => {
    if (meta.source === "batch") {
      if (!meta.replay) return;
      await batches.setRowState(batchIdOf(meta.idempotencyKey), batchRowIndex(meta.idempotencyKey), {
        state: "pending",
        summary: "retried: waiting for the employee's lifecycle",
      });
    }
    // The intake's trace goes with the event, so the activities that apply it continue that trace.
    const trace = telemetry.traceContext();
    await employees.enqueueEvent(event.worker.employeeId, {
      ...(trace ? { traceparent: trace.traceparent } : {}),
      source: meta.source,
      idempotencyKey: meta.idempotencyKey,
      eventId: event.eventId,
      type: event.type,
      effectiveDate: event.effectiveDate,
      receivedAt: new Date().toISOString(),
    });
    await createEmployeeDispatcher(currentDurableClient())(event.worker.employeeId);
  };
}

/** Starts a batch's orchestration once its rows are stored; called with the intake's 202 answer. */
export async function startBatch(
  batch: { id: string; rows: number },
  settings: LifecycleFunctionsDependencies["onboarding"],
): Promise<void> {
  const client = currentDurableClient();
  const instanceId = batchInstanceId(batch.id);
  if (await getStatusIfExists(client, instanceId)) return;
  const input: OnboardingBatchInput = { batchId: batch.id, total: batch.rows, ...settings };
  await client.startNew(ONBOARDING_BATCH_ORCHESTRATOR, { instanceId, input });
}

type HttpApp = { http(name: string, options: HttpFunctionOptions): void };

/**
 * Starts the batch's orchestration once the intake has stored the batch and answered 202, then lists it in the
 * index of batches with who submitted it (the verified caller the intake answered with).
 */
export function withBatchStart(
  app: HttpApp,
  settings: LifecycleFunctionsDependencies["onboarding"],
  index: Pick<BatchRepository, "register">,
  now: () => Date = () => new Date(),
): HttpApp {
  return {
    http(name, options) {
      if (name !== BATCH_INTAKE_FUNCTION) return app.http(name, options);
      app.http(name, {
        ...options,
        handler: async (request, context) => {
          const response = await options.handler(request, context);
          const body =
            "jsonBody" in response
              ? (response.jsonBody as { id?: unknown; rows?: unknown; submittedBy?: unknown })
              : undefined;
          if (response.status === 202 && typeof body?.id === "string" && typeof body.rows === "number") {
            await startBatch({ id: body.id, rows: body.rows }, settings);
            await index.register({
              id: body.id,
              rows: body.rows,
              submittedBy: typeof body.submittedBy === "string" ? body.submittedBy : "unknown",
              submittedAt: now().toISOString(),
            });
          }
          return response;
        },
      });
    },
  };
}

/** The HR intake's function that accepts a bulk batch. */
const BATCH_INTAKE_FUNCTION = "onboardingBatchesCreate";

const notFound = (error: string): HttpResponseInit => ({ status: 404, jsonBody: { error } });

/** Batch ids are 32 hex characters (a content hash); anything else names no batch. */
const BATCH_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `GET /api/onboarding/batches/{id}`: 202 with progress while it runs, 200 with the per-hire report when done:
 * JSON one page of hires at a time (`pageSize`, `continuationToken`), or the whole report as CSV
 * (`Accept: text/csv`), every cell safe to open in a spreadsheet.
 */
function createBatchStatusHandler(deps: ActivityDependencies): HttpHandler {
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
