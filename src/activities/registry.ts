import type { ActivityImplementation } from "./contract";
import { APPLY_STEP, PREPARE_CONVERGE, VERIFY_CONVERGED } from "./converge.contract";
import {
  BEGIN_EVENT,
  COMPLETE_EVENT,
  DELETE_AFTER_RETENTION,
  TAKE_DUE_EVENTS,
} from "./employee-events.contract";
import { ENRICH_HR_EVENT } from "./hr-enrichment.contract";
import {
  CHECK_DEACTIVATION_GUARD,
  DEACTIVATE_LEAVER,
  FINISH_LEAVER,
  HAND_OVER_INTERACTIONS,
  PREPARE_LEAVER,
  READ_APPROVAL,
  TAKE_OFF_QUEUE,
} from "./leaver.contract";
import {
  COMPLETE_BATCH,
  FINISH_BATCH_SLICE,
  JOIN_BATCH_QUEUES,
  LOOK_UP_BATCH_SLICE,
  RECORD_BATCH_OUTCOMES,
} from "./onboarding.contract";
import {
  COMPARE_GENESYS_SLICE,
  EXPLAIN_GENESYS_FINDINGS,
  FAIL_RECONCILIATION,
  FINISH_RECONCILIATION,
  PLAN_GENESYS_RECONCILIATION,
  PREPARE_HR_RECONCILIATION,
  READ_GENESYS_SLICE,
  RECONCILE_HR_PAGE,
} from "./reconciliation.contract";

/** Every activity the lifecycle's orchestrations call: the one list the app and the test fixture register. */
export const LIFECYCLE_ACTIVITIES = [
  TAKE_DUE_EVENTS,
  ENRICH_HR_EVENT,
  BEGIN_EVENT,
  COMPLETE_EVENT,
  DELETE_AFTER_RETENTION,
  PREPARE_CONVERGE,
  APPLY_STEP,
  VERIFY_CONVERGED,
  PREPARE_LEAVER,
  TAKE_OFF_QUEUE,
  HAND_OVER_INTERACTIONS,
  CHECK_DEACTIVATION_GUARD,
  READ_APPROVAL,
  DEACTIVATE_LEAVER,
  FINISH_LEAVER,
  LOOK_UP_BATCH_SLICE,
  RECORD_BATCH_OUTCOMES,
  JOIN_BATCH_QUEUES,
  FINISH_BATCH_SLICE,
  COMPLETE_BATCH,
] as const;

export type LifecycleActivity = (typeof LIFECYCLE_ACTIVITIES)[number];

/** An implementation of every activity, by name: one missing, or answering the wrong shape, does not compile. */
export type LifecycleActivityImplementations = {
  [D in LifecycleActivity as D["name"]]: ActivityImplementation<D>;
};

/**
 * Every activity a reconciliation run calls. Registered apart from the lifecycle's: they take a Durable client
 * too, because what they find enters the HR intake, which wakes or starts employees' orchestrations.
 */
export const RECONCILIATION_ACTIVITIES = [
  PREPARE_HR_RECONCILIATION,
  RECONCILE_HR_PAGE,
  PLAN_GENESYS_RECONCILIATION,
  READ_GENESYS_SLICE,
  COMPARE_GENESYS_SLICE,
  EXPLAIN_GENESYS_FINDINGS,
  FINISH_RECONCILIATION,
  FAIL_RECONCILIATION,
] as const;

export type ReconciliationActivity = (typeof RECONCILIATION_ACTIVITIES)[number];

export type ReconciliationActivityImplementations = {
  [D in ReconciliationActivity as D["name"]]: ActivityImplementation<D>;
};
