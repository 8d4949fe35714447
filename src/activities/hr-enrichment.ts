import type { ActivityDependencies } from "./dependencies";
import type { EnrichHrEventInput, EnrichHrEventResult } from "./hr-enrichment.contract";
import type { EventOutcome } from "./employee-events.contract";

/** Reads items the intake acknowledged before asking HR back, inside the employee's orchestration. */
export function createHrEnrichmentActivities(
  deps: Pick<ActivityDependencies, "employees" | "hrEnrichment" | "now">,
) {
  const { employees } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    enrichHrEvent: async ({
      employeeKey,
      source,
      idempotencyKey,
      finalAttempt,
    }: EnrichHrEventInput): Promise<EnrichHrEventResult> => {
      const key = `${source}:${idempotencyKey}`;
      const outcome = deps.hrEnrichment
        ? await deps.hrEnrichment(source, idempotencyKey, { finalAttempt })
        : ({ kind: "quarantined", reason: "no HR intake runs here to read the event back" } as const);
      if (outcome.kind === "hr_unavailable") return outcome;
      if (outcome.kind === "quarantined") {
        const done: EventOutcome = { kind: "QUARANTINED", reason: outcome.reason };
        await employees.completeEvent(employeeKey, key, done);
        return outcome;
      }
      const { event } = outcome;
      const queued = await employees.getEvent(employeeKey, key);
      const result = {
        kind: "queued",
        eventId: event.eventId,
        type: event.type,
        effectiveDate: event.effectiveDate,
      } as const;
      // Already applied (through a replay from quarantine): queueing it again would apply it twice.
      if (queued?.status === "done") return result;
      // The row takes the event in place of the awaiting mark, keeping when it arrived and its trace.
      await employees.enqueueEvent(employeeKey, {
        source,
        idempotencyKey,
        eventId: event.eventId,
        type: event.type,
        effectiveDate: event.effectiveDate,
        receivedAt: queued?.receivedAt ?? now().toISOString(),
        ...(queued?.traceparent ? { traceparent: queued.traceparent } : {}),
      });
      return result;
    },
  };
}
