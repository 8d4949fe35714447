import { app as functionsApp } from "@azure/functions";
import type { Secret } from "../config/secret";
import type { ActivityDefinition } from "../activities/contract";
import { createConvergeActivities } from "../activities/converge";
import type { ActivityDependencies } from "../activities/dependencies";
import { createEmployeeEventActivities } from "../activities/employee-events";
import { createHrEnrichmentActivities } from "../activities/hr-enrichment";
import { createLeaverActivities } from "../activities/leaver";
import { APPROVAL_EVENT } from "../activities/leaver.contract";
import { createOnboardingActivities } from "../activities/onboarding";
import type { LifecycleActivityImplementations } from "../activities/registry";
import { NO_TELEMETRY, type Telemetry } from "../telemetry";
import { ANY_ROLE, requireRole, ROLES } from "./access";
import { withValidatedInput } from "./activity-input";
import { createStoredTraceResolver, withActivityTelemetry } from "./activity-telemetry";
import { createDecideApprovalHandler, createListApprovalsHandler } from "./approvals";
import { createBatchListHandler } from "./batch-list";
import { batchInstanceId, createBatchStatusHandler, type SliceSettings } from "./batch-status";
import { registerLifecycleDurableFunctions } from "./durable-registrations";
import { currentDurableClient, withDurableClient } from "./durable-scope";
import { createEmployeeAuditHandler, createEmployeeHandler, createEmployeeSearchHandler } from "./employees";
import { batchesIntegration } from "./hr";
import { registerInboxSweep } from "./inbox-sweep";
import { createGaugeReader, GAUGES_SCHEDULE, type GaugeSources } from "./telemetry-gauges";

export interface LifecycleFunctionsDependencies {
  activities: ActivityDependencies;
  /** The Logic App's key, also accepted on the batch status route it polls. */
  batchesFunctionKey?: Secret;
  /** How bulk batches are cut into slices. */
  onboarding: SliceSettings;
  /** Activity spans and lifecycle counters. */
  telemetry?: Telemetry;
  /** What the gauges timer reads; it is registered only when telemetry is on. */
  gauges?: GaugeSources;
}

type FunctionsApp = Pick<typeof functionsApp, "http">;

/** Every activity implemented, each from the factory of its area with the dependencies that area uses. */
export function lifecycleActivityImplementations(
  deps: ActivityDependencies,
): LifecycleActivityImplementations {
  const converge = createConvergeActivities(deps);
  return {
    ...converge,
    ...createEmployeeEventActivities(deps),
    ...createHrEnrichmentActivities(deps),
    ...createLeaverActivities(deps),
    ...createOnboardingActivities(deps, converge),
  };
}

/**
 * Registers the orchestrations and their activities, the operator routes over them (approvals, employees, batch
 * status), the inbox sweep and, with telemetry on, the gauges timer.
 */
export function registerLifecycleFunctions(app: FunctionsApp, deps: LifecycleFunctionsDependencies): void {
  const telemetry = deps.telemetry ?? NO_TELEMETRY;
  const implementations = lifecycleActivityImplementations(deps.activities);
  const traces = createStoredTraceResolver(deps.activities.employees);
  // Each activity checks its input against its contract before it runs, in a span of its HR event's trace.
  registerLifecycleDurableFunctions((activity: ActivityDefinition) => {
    // The schema has checked the input by the time the implementation sees it: it gets what it is typed for.
    const implementation = implementations[activity.name as keyof LifecycleActivityImplementations] as (
      input: unknown,
    ) => Promise<unknown>;
    return withActivityTelemetry(
      telemetry,
      traces,
      activity.name,
      withValidatedInput(activity.name, activity.input, implementation),
    );
  });

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

  registerInboxSweep(deps.activities, telemetry);
  if (telemetry.enabled && deps.gauges) {
    functionsApp.timer("telemetryGauges", {
      schedule: GAUGES_SCHEDULE,
      handler: createGaugeReader(telemetry, deps.gauges),
    });
  }
}
