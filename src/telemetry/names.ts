/**
 * Every span name, metric name and attribute key the product emits, in one place. The alert rules and the
 * workbook in infra/ query these names, and their tests check every name they use is defined here.
 *
 * The attribute keys are an allow-list: anything else is dropped before it reaches a span or a metric. Only
 * identifiers and outcome kinds are allowed (the HR event id, the employee key, which is the HR system's id,
 * the source, outcome kinds, Genesys status codes), never a name, an email address, a message or a secret.
 */

/** Span names. Spans run in activities, HTTP functions and the Genesys client, never in orchestrators. */
export const SPANS = {
  /** An HTTP function invocation (the Functions host records the request itself). */
  http: "lifecycle.http",
  /** One HR event through intake: stored, then handed over, found a duplicate or quarantined. */
  hrEvent: "lifecycle.hr.event",
  /** One activity run for an employee or a batch. */
  activity: "lifecycle.activity",
  /** A timer function run (the inbox sweep, the gauges). */
  timer: "lifecycle.timer",
  /** One logical Genesys Cloud request, retries and rate-limit waits included. */
  genesysRequest: "genesys.request",
} as const;

/** Attribute keys: the allow-list. */
export const ATTR = {
  eventId: "lifecycle.hr.event_id",
  employeeKey: "lifecycle.employee_key",
  source: "lifecycle.hr.source",
  eventType: "lifecycle.hr.event_type",
  outcome: "lifecycle.outcome",
  change: "lifecycle.change",
  action: "lifecycle.action",
  batchId: "lifecycle.batch_id",
  credential: "lifecycle.credential",
  functionName: "faas.name",
  httpMethod: "http.request.method",
  httpRoute: "http.route",
  statusCode: "http.response.status_code",
  /** A Genesys request as a path template (`GET /api/v2/users/{id}`): ids, never values. */
  genesysOperation: "genesys.operation",
  /** An error's type or Genesys error code (`general.conflict`), never its message. */
  errorType: "error.type",
} as const;

export type AttributeKey = (typeof ATTR)[keyof typeof ATTR];
export type AttributeValue = string | number | boolean;
export type Attributes = Partial<Record<AttributeKey, AttributeValue | undefined>>;

export const ALLOWED_ATTRIBUTES: ReadonlySet<string> = new Set(Object.values(ATTR));

export type MetricKind = "counter" | "histogram" | "gauge";

export interface MetricDefinition {
  kind: MetricKind;
  unit: string;
  description: string;
}

/** Metric names, with their kind and unit. Counters are exported as deltas (Azure Monitor's choice). */
export const METRICS = {
  hrEvents: {
    name: "lifecycle.hr.events",
    kind: "counter",
    unit: "{event}",
    description: "HR events through intake, by source and outcome (accepted, duplicate, quarantined).",
  },
  hrCallbackFailures: {
    name: "lifecycle.hr.callback.failures",
    kind: "counter",
    unit: "{call}",
    description: "Calls back to Workday or SuccessFactors that failed (unreachable, refused, timed out).",
  },
  eventsCompleted: {
    name: "lifecycle.events.completed",
    kind: "counter",
    unit: "{event}",
    description: "HR events an employee's orchestration finished, by event type and outcome.",
  },
  hiresProvisioned: {
    name: "lifecycle.hires.provisioned",
    kind: "counter",
    unit: "{hire}",
    description: "Hires and rehires applied in Genesys, by change (created, restored, updated).",
  },
  leaversCompleted: {
    name: "lifecycle.leavers.completed",
    kind: "counter",
    unit: "{leaver}",
    description: "Terminations and leaves of absence applied: off queue, handed over, deactivated.",
  },
  leaversPastDeadline: {
    name: "lifecycle.leavers.past_deadline",
    kind: "counter",
    unit: "{leaver}",
    description: "Leavers still holding live interactions at the drain deadline, so the fallback applied.",
  },
  leaverLiveInteractions: {
    name: "lifecycle.leaver.live_interactions",
    kind: "gauge",
    unit: "{interaction}",
    description: "Live interactions a draining leaver still holds after each hand-over attempt.",
  },
  interactionsHandedOver: {
    name: "lifecycle.interactions.handed_over",
    kind: "counter",
    unit: "{interaction}",
    description: "A leaver's live interactions transferred or, as the last resort, disconnected.",
  },
  batchRows: {
    name: "lifecycle.batch.rows",
    kind: "counter",
    unit: "{row}",
    description: "Bulk onboarding rows settled, by outcome (created, restored, updated, unchanged, failed).",
  },
  sweepStuckEmployees: {
    name: "lifecycle.sweep.stuck_employees",
    kind: "counter",
    unit: "{employee}",
    description: "Employees with pending events but no running orchestration, restarted by the inbox sweep.",
  },
  employeeWakeUpsFailed: {
    name: "lifecycle.employee.wake_ups_failed",
    kind: "counter",
    unit: "{employee}",
    description:
      "Employee orchestrations the intake could not wake after storing an event; the inbox sweep does.",
  },
  reconciliationRuns: {
    name: "lifecycle.reconciliation.runs",
    kind: "counter",
    unit: "{run}",
    description: "Reconciliation runs ended, by outcome (completed, failed).",
  },
  reconciliationFindings: {
    name: "lifecycle.reconciliation.findings",
    kind: "counter",
    unit: "{finding}",
    description:
      "What reconciliation runs found, by kind: hr-event (an HR event that never came), drift (a user changed in Genesys), orphan.",
  },
  reconciliationCalls: {
    name: "lifecycle.reconciliation.genesys_calls",
    kind: "counter",
    unit: "{request}",
    description: "Genesys requests reconciliation runs made, from the shared rate budget.",
  },
  approvalsPending: {
    name: "lifecycle.approvals.pending",
    kind: "gauge",
    unit: "{approval}",
    description: "Leavers paused by the deactivation guard, waiting for an operator.",
  },
  approvalsOldestAge: {
    name: "lifecycle.approvals.oldest_age",
    kind: "gauge",
    unit: "s",
    description: "How long the oldest pending approval has waited.",
  },
  quarantineSize: {
    name: "lifecycle.quarantine.size",
    kind: "gauge",
    unit: "{event}",
    description: "Open quarantine entries: HR events that could not be applied and wait for a replay.",
  },
  credentialExpiresIn: {
    name: "lifecycle.credential.expires_in",
    kind: "gauge",
    unit: "d",
    description: "Days until a watched Key Vault secret or certificate expires (negative: expired).",
  },
  genesysRequests: {
    name: "genesys.requests",
    kind: "counter",
    unit: "{request}",
    description: "HTTP requests sent to Genesys Cloud, by method and status code (429: rate limited).",
  },
  genesysBudgetWaits: {
    name: "genesys.budget.waits",
    kind: "counter",
    unit: "{wait}",
    description:
      "Requests that waited for the rate budget: slept in the activity, or deferred to a durable timer.",
  },
  genesysBudgetWaitTime: {
    name: "genesys.budget.wait_time",
    kind: "histogram",
    unit: "ms",
    description: "How long requests waited for the rate budget (slept, or deferred to a durable timer).",
  },
} as const satisfies Record<string, MetricDefinition & { name: string }>;

export type MetricId = keyof typeof METRICS;
type MetricsOfKind<K extends MetricKind> = {
  [Id in MetricId]: (typeof METRICS)[Id]["kind"] extends K ? Id : never;
}[MetricId];
export type CounterId = MetricsOfKind<"counter">;
export type HistogramId = MetricsOfKind<"histogram">;
export type GaugeId = MetricsOfKind<"gauge">;

/** Outcome kinds of the HR intake, as `lifecycle.outcome` carries them. */
export type IntakeOutcome = "accepted" | "duplicate" | "quarantined";
