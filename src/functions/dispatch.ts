import type { ActivityDependencies } from "../activities/dependencies";
import type { DeferPort, DispatchPort, HandedOverPort } from "../hr/intake-ports";
import type { HrEvent } from "../lifecycle/hr-event";
import { batchIdOf, batchRowIndex } from "../storage/inbox";
import { NO_TELEMETRY, type Telemetry } from "../telemetry";
import { currentDurableClient } from "./durable-scope";
import { createEmployeeDispatcher, type OrchestrationClient } from "./orchestration-client";

/**
 * Where the HR intake hands accepted events: into the employee's queue, then the employee's orchestration is
 * woken or started. Bulk rows wait for their batch's orchestration instead, unless replayed from quarantine: a
 * replayed row is a new attempt of that one event, in the employee's own lifecycle.
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
    await wakeEmployee(currentDurableClient(), event.worker.employeeId, telemetry);
  };
}

/** Whether an accepted event is in its employee's queue; a bulk row waits for its batch's orchestration instead. */
export function createHandedOverCheck({
  employees,
}: Pick<ActivityDependencies, "employees">): HandedOverPort {
  return async ({ source, idempotencyKey, employeeKey }) =>
    source === "batch" ||
    (await employees.getEvent(employeeKey, `${source}:${idempotencyKey}`)) !== undefined;
}

/**
 * Where the HR intake hands items whose event is read back from HR later: into the employee's queue as awaiting
 * HR; the employee's orchestration, once woken, reads the item back itself.
 */
export function createLifecycleDefer(
  { employees }: Pick<ActivityDependencies, "employees">,
  telemetry: Telemetry = NO_TELEMETRY,
): DeferPort {
  return {
    store: async ({ source, idempotencyKey, employeeKey, receivedAt }) => {
      const trace = telemetry.traceContext();
      await employees.enqueueAwaitingHr(employeeKey, {
        source,
        idempotencyKey,
        receivedAt,
        ...(trace ? { traceparent: trace.traceparent } : {}),
      });
    },
    wake: (employeeKey) => wakeEmployee(currentDurableClient(), employeeKey, telemetry),
  };
}

/**
 * Wakes or starts the employee's orchestration. The event is already stored in the employee's queue, which is what
 * the answer to HR promises, so a wake-up that fails is not the event's failure: it is counted, and the inbox sweep
 * (every five minutes) starts any employee with pending events and no orchestration.
 */
export async function wakeEmployee(
  client: OrchestrationClient,
  employeeKey: string,
  telemetry: Telemetry,
): Promise<void> {
  try {
    await createEmployeeDispatcher(client)(employeeKey);
  } catch {
    telemetry.count("employeeWakeUpsFailed");
  }
}
