import * as df from "durable-functions";
import type { OrchestrationHandler } from "durable-functions";
import type { ActivityDefinition, OrchestrationDefinition } from "../activities/contract";
import { LIFECYCLE_ACTIVITIES, RECONCILIATION_ACTIVITIES } from "../activities/registry";
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
} from "../orchestrators/onboarding";
import { RECONCILIATION_ORCHESTRATOR, reconciliationRun } from "../orchestrators/reconciliation";
import { withDurableClientActivity } from "./durable-scope";

/** Every orchestration of the lifecycle with its flow: registered by the app and by the test fixture alike. */
export const LIFECYCLE_ORCHESTRATIONS: ReadonlyArray<
  readonly [OrchestrationDefinition, OrchestrationHandler]
> = [
  [EMPLOYEE_ORCHESTRATOR, employeeLifecycle],
  [CONVERGE_ORCHESTRATOR, convergeEmployee],
  [LEAVER_ORCHESTRATOR, gracefulLeaver],
  [ONBOARDING_BATCH_ORCHESTRATOR, onboardingBatch],
  [ONBOARDING_SLICE_ORCHESTRATOR, onboardingSlice],
  [ONBOARDING_FINISH_ORCHESTRATOR, onboardingFinishSlice],
];

/** A handler for each activity, as the Durable host calls it. */
export type ActivityHandlerFor = (activity: ActivityDefinition) => (input: unknown) => Promise<unknown>;

/**
 * Registers the lifecycle's orchestrations and activities: the one list both the app and the orchestration
 * tests use. `flows` replaces an orchestration's flow (a test running an earlier version of one).
 */
export function registerLifecycleDurableFunctions(
  handlerFor: ActivityHandlerFor,
  flows: Partial<Record<string, OrchestrationHandler>> = {},
): void {
  for (const [definition, handler] of LIFECYCLE_ORCHESTRATIONS)
    df.app.orchestration(definition.name, flows[definition.name] ?? handler);
  for (const activity of LIFECYCLE_ACTIVITIES)
    df.app.activity(activity.name, { handler: handlerFor(activity) });
}

/**
 * Registers a reconciliation run's orchestration and activities. Each activity gets a Durable client in scope:
 * what a run finds goes through the HR intake, which wakes or starts the employees' orchestrations.
 */
export function registerReconciliationDurableFunctions(handlerFor: ActivityHandlerFor): void {
  df.app.orchestration(RECONCILIATION_ORCHESTRATOR.name, reconciliationRun);
  for (const activity of RECONCILIATION_ACTIVITIES)
    df.app.activity(activity.name, withDurableClientActivity(handlerFor(activity)));
}
