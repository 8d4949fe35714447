import { flag, positiveInt, wholeNumber, type ParsedSettings } from "./values";

/** Timings and thresholds of joiners, leavers and bulk onboarding. */
export const LIFECYCLE_SETTINGS = {
  ONBOARDING_BATCH_SIZE: {
    schema: positiveInt(10),
    description: "Hires per slice of a bulk onboarding batch; up to 3 slices converge at once.",
    secret: false,
  },
  ONBOARDING_BATCH_INTERVAL_MS: {
    schema: wholeNumber(1000, 0),
    description:
      "Least time between the starts of two slices of a bulk onboarding batch, in milliseconds. Slices always start at least 250 ms apart, so the first hires' writes are not held back by the next slices'.",
    secret: false,
  },
  HIRE_LEAD_TIME_DAYS: {
    schema: wholeNumber(3, 0, 60),
    description:
      "How many days (0 to 60) before a future hire date the account is provisioned, so the agent is ready on day one.",
    secret: false,
  },
  LEAVER_DRAIN_DEADLINE_MINUTES: {
    schema: positiveInt(120),
    description:
      "How long a leaver's live interactions are re-checked and handed over before the fallback applies (down to disconnecting).",
    secret: false,
  },
  LEAVER_RECHECK_SECONDS: {
    schema: positiveInt(300),
    description: "How often a leaver's live interactions are re-checked before that deadline.",
    secret: false,
  },
  LEAVER_ALLOW_OFFLINE_TARGETS: {
    schema: flag(false),
    description:
      "Whether a leaver's work may still go to a manager or supervisor who is Offline (true), or only to people who are not (false).",
    secret: false,
  },
  DEACTIVATION_GUARD_MAX_COUNT: {
    schema: positiveInt(25),
    description:
      "Leavers pause for an operator's approval when more deactivations than this fall within the window.",
    secret: false,
  },
  DEACTIVATION_GUARD_MAX_PERCENT: {
    schema: wholeNumber(10, 1, 100),
    description:
      "Leavers also pause when deactivations within the window exceed this percentage (1 to 100) of managed users, counted from 5 deactivations on, so a small pilot is not a mass event.",
    secret: false,
  },
  DEACTIVATION_GUARD_WINDOW_MINUTES: {
    schema: positiveInt(60),
    description: "The window the deactivation guard counts over, in minutes.",
    secret: false,
  },
  APPROVAL_TIMEOUT_HOURS: {
    schema: positiveInt(72),
    description:
      "How long a paused leaver waits for an operator before giving up (the agent stays off queue, active).",
    secret: false,
  },
  HR_OUTAGE_RETRY_HOURS: {
    schema: positiveInt(24),
    description:
      "How long an event is retried while Workday or SuccessFactors does not answer its read-back, before it is quarantined.",
    secret: false,
  },
  HR_RETRY_FIRST_SECONDS: {
    schema: positiveInt(30),
    description: "The first wait before an HR read-back is tried again; each wait doubles from there.",
    secret: false,
  },
  HR_RETRY_MAX_SECONDS: {
    schema: positiveInt(900),
    description: "The longest wait between two tries of an HR read-back.",
    secret: false,
  },
} as const;

/** Timings and thresholds of joiners, leavers and bulk onboarding. */
export interface LifecycleSettings {
  onboardingBatchSize: number;
  onboardingBatchIntervalInMs: number;
  hireLeadTimeInMs: number;
  drainDeadlineInMs: number;
  recheckIntervalInMs: number;
  allowOfflineTargets: boolean;
  approvalTimeoutInMs: number;
  guard: { maxCount: number; maxShare: number; windowInMs: number };
  hrRetry: HrRetryPolicy;
}

/** How an HR read-back is retried through an HR outage (durable timers, doubling waits) before quarantine. */
export interface HrRetryPolicy {
  firstIntervalInMs: number;
  maxIntervalInMs: number;
  /** Counted from the moment the item was received. */
  giveUpAfterInMs: number;
}

export function readLifecycleSettings(s: ParsedSettings<typeof LIFECYCLE_SETTINGS>): LifecycleSettings {
  return {
    onboardingBatchSize: s.ONBOARDING_BATCH_SIZE,
    onboardingBatchIntervalInMs: s.ONBOARDING_BATCH_INTERVAL_MS,
    hireLeadTimeInMs: s.HIRE_LEAD_TIME_DAYS * 86_400_000,
    drainDeadlineInMs: s.LEAVER_DRAIN_DEADLINE_MINUTES * 60_000,
    recheckIntervalInMs: s.LEAVER_RECHECK_SECONDS * 1000,
    allowOfflineTargets: s.LEAVER_ALLOW_OFFLINE_TARGETS,
    approvalTimeoutInMs: s.APPROVAL_TIMEOUT_HOURS * 3_600_000,
    guard: {
      maxCount: s.DEACTIVATION_GUARD_MAX_COUNT,
      maxShare: s.DEACTIVATION_GUARD_MAX_PERCENT / 100,
      windowInMs: s.DEACTIVATION_GUARD_WINDOW_MINUTES * 60_000,
    },
    hrRetry: {
      firstIntervalInMs: s.HR_RETRY_FIRST_SECONDS * 1000,
      maxIntervalInMs: s.HR_RETRY_MAX_SECONDS * 1000,
      giveUpAfterInMs: s.HR_OUTAGE_RETRY_HOURS * 3_600_000,
    },
  };
}
