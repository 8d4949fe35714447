import { foundInHr, reconciliationItems, type FoundEvent } from "../hr/reconciliation-intake";
import type { ObservedWorker } from "../hr/reconciliation-sources";
import type { HrWorker } from "../lifecycle/hr-event";
import { ProfileMatcher } from "../lifecycle/match";
import { decideHrReconciliation } from "../lifecycle/reconcile/hr";
import type { Finding, HrSourceSummary } from "../lifecycle/reconcile/report";
import { appliedEventsOf, lifecycleStateOf } from "../storage/employees";
import type { HrPageInput, HrPageResult, PrepareHrInput, PrepareHrResult } from "./reconciliation.contract";
import { updateSummary, type ReconciliationDependencies } from "./reconciliation-context";

/** A window starts a little before the last one ended: a change entered as that run read is not missed. */
const WINDOW_OVERLAP_IN_MS = 10 * 60_000;

/** The HR half of a run: each configured HR system's changed workers against what the product last applied. */
export function createHrReconciliationActivities(deps: ReconciliationDependencies) {
  const { runs, employees, intake, audit, hrReaders } = deps;

  /** What one observed worker means: an event to send, in sync, or skipped (and why). */
  async function decide(observed: ObservedWorker, matcher: ProfileMatcher | undefined, today: string) {
    if (!observed.outcome.ok) return { kind: "UNREADABLE", reason: observed.outcome.problem.reason } as const;
    const { type, effectiveDate, worker } = observed.outcome.event;
    const record = await employees.get(worker.employeeId);
    const pending = record ? (await employees.pendingEvents(worker.employeeId)).length : 0;
    const decision = decideHrReconciliation({
      observed: { type, effectiveDate, worker },
      applied: record && {
        state: lifecycleStateOf(record),
        ...(record.worker ? { worker: JSON.parse(record.worker) as HrWorker } : {}),
        ...(record.workerAsOf ? { workerAsOf: record.workerAsOf } : {}),
        applied: appliedEventsOf(record),
        pendingEvents: pending,
      },
      inScope: matcher?.match(worker).kind === "MATCHED",
      today,
    });
    return { kind: "DECIDED", worker, decision } as const;
  }

  return {
    prepareHrReconciliation: async ({ runId, at }: PrepareHrInput): Promise<PrepareHrResult> => {
      const windows = await Promise.all(
        hrReaders.map(async (reader): Promise<HrSourceSummary> => {
          const last = await runs.watermark(reader.source);
          const from = last
            ? new Date(Date.parse(last.through) - WINDOW_OVERLAP_IN_MS).toISOString()
            : new Date(Date.parse(at) - deps.firstWindowInMs).toISOString();
          return {
            source: reader.source,
            via: reader.via,
            window: { from, through: at },
            status: "pending",
            workersRead: 0,
            eventsAccepted: 0,
            eventsDuplicate: 0,
            eventsQuarantined: 0,
            inSync: 0,
            outOfScope: 0,
            skipped: 0,
            unreadable: 0,
            calls: 0,
          };
        }),
      );
      await updateSummary(runs, runId, (summary) => {
        summary.hr = windows;
        if (hrReaders.length === 0)
          summary.notes.push(
            "no HR system is configured to be read (WORKDAY_API_URL, WORKDAY_RECONCILIATION_REPORT_URL or " +
              "SF_API_URL): only Genesys is reconciled",
          );
      });
      return { sources: hrReaders.length };
    },

    reconcileHrPage: async ({ runId, source, cursor, today }: HrPageInput): Promise<HrPageResult> => {
      const reader = hrReaders[source];
      const run = await runs.getRun<{ hr: HrSourceSummary[] }>(runId);
      const window = run?.summary.hr[source]?.window;
      if (!reader || !window) return { kind: "FAILED", reason: `run ${runId} has no HR source ${source}` };
      let page;
      try {
        page = await reader.readPage(window, cursor, today);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await updateSummary(runs, runId, (summary) => {
          Object.assign(summary.hr[source], { status: "failed", reason });
        });
        return { kind: "FAILED", reason };
      }
      const loaded = await deps.mappings.getActive();
      const matcher = loaded && new ProfileMatcher(loaded.mapping);
      const counts = { inSync: 0, outOfScope: 0, skipped: 0, unreadable: 0 };
      const found: FoundEvent[] = [];
      const findings: Finding[] = [];
      for (const observed of page.workers) {
        const outcome = await decide(observed, matcher, today);
        if (outcome.kind === "UNREADABLE") {
          counts.unreadable++;
          if (observed.employeeKey && (await employees.get(observed.employeeKey)))
            findings.push({
              kind: "hr-skipped",
              employeeId: observed.employeeKey,
              source: reader.source,
              why: `HR's record cannot be read into an event: ${outcome.reason}`,
            });
          continue;
        }
        const { worker, decision } = outcome;
        if (decision.kind === "IN_SYNC") counts.inSync++;
        else if (decision.kind === "SKIPPED" && decision.quiet) counts.outOfScope++;
        else if (decision.kind === "SKIPPED") {
          counts.skipped++;
          findings.push({
            kind: "hr-skipped",
            employeeId: worker.employeeId,
            source: reader.source,
            why: decision.why,
          });
        } else {
          const { type, effectiveDate, why } = decision;
          found.push(foundInHr(reader.source, { type, effectiveDate, worker }, why));
        }
      }
      const sent = { accepted: 0, duplicate: 0, quarantined: 0 };
      if (found.length > 0) {
        const message = { reconciliationRun: runId, foundIn: reader.source, events: found };
        const results = await intake.accept(
          "reconciliation",
          { raw: JSON.stringify(message), contentType: "application/json" },
          reconciliationItems(message),
        );
        for (const [i, result] of results.entries()) {
          const { event, why } = found[i];
          sent[result.status]++;
          findings.push({
            kind: "hr-event",
            employeeId: event.worker.employeeId,
            source: reader.source,
            type: event.type,
            effectiveDate: event.effectiveDate,
            eventId: event.eventId,
            status: result.status,
            why,
            ...(result.reason === undefined ? {} : { reason: result.reason }),
          });
          if (result.status === "duplicate") continue;
          // The employee's story says where this event came from.
          await audit.record(`reconciliation|${runId}|${event.eventId}`, {
            employeeKey: event.worker.employeeId,
            at: new Date().toISOString(),
            eventId: event.eventId,
            operation: "reconciliation.found",
            summary: `${event.type} effective ${event.effectiveDate} found by reconciliation run ${runId} in ${reader.source}: ${why}`,
            after: { runId, source: reader.source, type: event.type, effectiveDate: event.effectiveDate },
          });
        }
      }
      await runs.saveFindings(
        runId,
        findings.map((finding) => ({
          kind: finding.kind,
          key: `${reader.source}|${"employeeId" in finding ? finding.employeeId : ""}`,
          finding,
        })),
      );
      await updateSummary(runs, runId, (summary) => {
        const s = summary.hr[source];
        s.status = page.next === undefined ? "read" : "reading";
        s.workersRead += page.workers.length;
        s.eventsAccepted += sent.accepted;
        s.eventsDuplicate += sent.duplicate;
        s.eventsQuarantined += sent.quarantined;
        s.inSync += counts.inSync;
        s.outOfScope += counts.outOfScope;
        s.skipped += counts.skipped;
        s.unreadable += counts.unreadable;
        s.calls += page.calls;
        if (!loaded && !summary.notes.some((n) => n.startsWith("no mapping")))
          summary.notes.push(
            "no mapping is active: new workers in HR cannot be told in scope, so none is hired",
          );
      });
      return { kind: "PAGE", ...(page.next === undefined ? {} : { next: page.next }), calls: page.calls };
    },
  };
}
