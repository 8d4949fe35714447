import {
  stateOfOutcome,
  COMPLETE_EVENT,
  type CompleteEventInput,
} from "../activities/employee-events.contract";
import {
  HAND_OVER_INTERACTIONS,
  type HandOverInput,
  type HandOverResult,
} from "../activities/leaver.contract";
import { RECORD_BATCH_OUTCOMES, type RecordBatchOutcomesInput } from "../activities/onboarding.contract";
import type { GenesysAuditSink } from "../genesys";
import type { EmployeeRepository } from "../storage/employees";
import { ATTR, SPANS, type Attributes, type Telemetry, type TraceCarrier } from "../telemetry";

/**
 * Activity telemetry, applied once where activities are registered, so no activity carries telemetry code:
 * each run is a span in the trace of the HR event it works on, and the lifecycle counters (hires provisioned,
 * leavers completed, batch rows…) are read off the activities' own contracts. Orchestrators stay silent:
 * they replay, and a replayed orchestrator would count everything again.
 */

/** The HR event an activity works on, as intake queued it: its trace, and its id when the input has only its key. */
export interface QueuedEventTrace {
  parent?: TraceCarrier;
  eventId?: string;
}

/** Finds the trace an activity belongs to: the one its HR event was accepted in. */
export type ActivityTraceResolver = (input: unknown) => Promise<QueuedEventTrace>;

interface ActivityIdentity {
  employeeKey?: string;
  eventId?: string;
  /** The queued event's key (`source:idempotencyKey`). */
  eventKey?: string;
  batchId?: string;
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** Who an activity input is about, read from the field names every activity contract uses. */
export function identityOf(input: unknown): ActivityIdentity {
  if (typeof input !== "object" || input === null) return {};
  const fields = input as Record<string, unknown>;
  const event = (typeof fields.event === "object" && fields.event !== null ? fields.event : {}) as Record<
    string,
    unknown
  >;
  const identity: ActivityIdentity = {};
  const employeeKey = text(fields.employeeKey);
  const eventId = text(fields.eventId) ?? text(event.eventId);
  const eventKey = text(fields.eventKey) ?? text(event.key);
  const batchId = text(fields.batchId);
  if (employeeKey) identity.employeeKey = employeeKey;
  if (eventId) identity.eventId = eventId;
  if (eventKey) identity.eventKey = eventKey;
  if (batchId) identity.batchId = batchId;
  return identity;
}

/** The kind of a tagged result (`DONE`, `RATE_LIMITED`, `FAILED`…), for the span's outcome. */
function kindOf(result: unknown): string | undefined {
  return typeof result === "object" && result !== null
    ? text((result as { kind?: unknown }).kind)
    : undefined;
}

/** Wraps an activity: a span in its HR event's trace, and the lifecycle counters its result stands for. */
export function withActivityTelemetry(
  telemetry: Telemetry,
  resolveTrace: ActivityTraceResolver,
  name: string,
  handler: (input: unknown) => Promise<unknown>,
): (input: unknown) => Promise<unknown> {
  if (!telemetry.enabled) return handler;
  return async (input) => {
    const identity = identityOf(input);
    // A lost trace context must never fail the activity: the span then starts a trace of its own.
    const { parent, eventId } = await resolveTrace(input).catch((): QueuedEventTrace => ({}));
    const attributes: Attributes = {
      [ATTR.functionName]: name,
      [ATTR.employeeKey]: identity.employeeKey,
      [ATTR.eventId]: identity.eventId ?? eventId,
      [ATTR.batchId]: identity.batchId,
    };
    return telemetry.inSpan(
      SPANS.activity,
      attributes,
      async (span) => {
        const result = await handler(input);
        span.set({ [ATTR.outcome]: kindOf(result) });
        countLifecycle(telemetry, name, input, result);
        return result;
      },
      parent ? { parent } : {},
    );
  };
}

/** The lifecycle counters, from the activities whose input or result says what was achieved. */
function countLifecycle(telemetry: Telemetry, name: string, input: unknown, result: unknown): void {
  switch (name) {
    case COMPLETE_EVENT.name: {
      const { event, outcome } = input as CompleteEventInput;
      telemetry.count("eventsCompleted", { [ATTR.eventType]: event.type, [ATTR.outcome]: outcome.kind });
      if (outcome.kind !== "APPLIED") return;
      if (event.type === "hire" || event.type === "rehire")
        telemetry.count("hiresProvisioned", { [ATTR.change]: outcome.change ?? "updated" });
      if (event.type === "terminate" || event.type === "leave_start")
        telemetry.count("leaversCompleted", { [ATTR.eventType]: event.type });
      return;
    }
    case HAND_OVER_INTERACTIONS.name: {
      const { employeeKey, eventId, deadlinePassed } = input as HandOverInput;
      const handOver = result as HandOverResult;
      if (handOver.kind === "HANDED_OVER") {
        if (deadlinePassed) telemetry.count("leaversPastDeadline");
        // Per leaver, so an alert can tell how long each one has held live interactions.
        telemetry.gauge("leaverLiveInteractions", handOver.remaining, {
          [ATTR.employeeKey]: employeeKey,
          [ATTR.eventId]: eventId,
        });
      }
      return;
    }
    case RECORD_BATCH_OUTCOMES.name: {
      for (const hire of (input as RecordBatchOutcomesInput).outcomes) {
        const state = stateOfOutcome(hire.outcome);
        telemetry.count("batchRows", { [ATTR.outcome]: state });
        if (hire.outcome.kind === "APPLIED") telemetry.count("hiresProvisioned", { [ATTR.change]: state });
      }
      return;
    }
  }
}

/**
 * Reads an activity's trace from its HR event as intake queued it (the trace context cannot travel in
 * process: the orchestration between intake and activity replays, restarts and moves between instances).
 * Found contexts are remembered, so an event's later activities on this instance cost no read.
 */
export function createStoredTraceResolver(
  employees: Pick<EmployeeRepository, "getEvent" | "pendingEvents">,
  capacity = 2000,
): ActivityTraceResolver {
  const known = new Map<string, QueuedEventTrace>();
  const remember = (key: string, value: QueuedEventTrace) => {
    if (known.size >= capacity) known.delete(known.keys().next().value as string);
    known.set(key, value);
  };
  return async (input) => {
    const { employeeKey, eventId, eventKey } = identityOf(input);
    if (!employeeKey || (!eventId && !eventKey)) return {};
    const cacheKey = eventKey ? `${employeeKey}|key|${eventKey}` : `${employeeKey}|id|${eventId}`;
    const cached = known.get(cacheKey);
    if (cached) return cached;
    const queued = eventKey
      ? await employees.getEvent(employeeKey, eventKey)
      : (await employees.pendingEvents(employeeKey)).find((e) => e.eventId === eventId);
    if (!queued) return {};
    const found: QueuedEventTrace = {
      eventId: queued.eventId,
      ...(queued.traceparent ? { parent: { traceparent: queued.traceparent } } : {}),
    };
    remember(`${employeeKey}|key|${queued.key}`, found);
    remember(`${employeeKey}|id|${queued.eventId}`, found);
    return found;
  };
}

/** Genesys writes that hand a leaver's interaction over, and how `lifecycle.interactions.handed_over` names them. */
const HAND_OVER_WRITES: Record<string, string> = {
  transferInteraction: "transferred",
  disconnectInteraction: "disconnected",
};

/**
 * Counts interactions transferred and disconnected where the Genesys client reports every write (its audit
 * sink), so the count is right however the leaver's activities are arranged.
 */
export function countingHandOvers(sink: GenesysAuditSink, telemetry: Telemetry): GenesysAuditSink {
  if (!telemetry.enabled) return sink;
  return async (record) => {
    await sink(record);
    const action = HAND_OVER_WRITES[record.operation];
    if (action && !record.noChange) telemetry.count("interactionsHandedOver", { [ATTR.action]: action });
  };
}
