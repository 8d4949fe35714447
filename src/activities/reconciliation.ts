import { ATTR } from "../telemetry";
import type { ReconciliationActivityImplementations } from "./registry";
import type { FailInput, FinishInput, FinishResult } from "./reconciliation.contract";
import { updateSummary, type ReconciliationDependencies } from "./reconciliation-context";
import { createGenesysReconciliationActivities } from "./reconciliation-genesys";
import { createHrReconciliationActivities } from "./reconciliation-hr";

export type { ReconciliationDependencies } from "./reconciliation-context";

/** Every activity of a reconciliation run: the HR half, the Genesys half, and how a run ends. */
export function createReconciliationActivities(
  deps: ReconciliationDependencies,
): ReconciliationActivityImplementations {
  const { runs } = deps;
  return {
    ...createHrReconciliationActivities(deps),
    ...createGenesysReconciliationActivities(deps),

    finishReconciliation: async (input: FinishInput): Promise<FinishResult> => {
      const { runId, totals, orphans, calls, backOffs, genesysStartedAt, at } = input;
      const genesysCalls = Object.entries(calls)
        .filter(([phase]) => phase !== "hr")
        .reduce((sum, [, n]) => sum + n, 0);
      const summary = await updateSummary(runs, runId, (s) => {
        const floorSeconds = (genesysCalls / deps.requestsPerMinute) * 60;
        const genesysSeconds = Math.max(0, (Date.parse(at) - Date.parse(genesysStartedAt)) / 1000);
        s.genesys = { ...s.genesys, ...totals, orphans };
        s.cost = {
          genesysCalls,
          byPhase: { ...calls },
          callsPerManagedUser: s.genesys.managed === 0 ? 0 : round(genesysCalls / s.genesys.managed),
          requestsPerMinute: deps.requestsPerMinute,
          floorSeconds: round(floorSeconds),
          genesysSeconds: round(genesysSeconds),
          wallPerFloor: floorSeconds === 0 ? 0 : round(genesysSeconds / floorSeconds),
          backOffs,
          hrCalls: (s.cost?.hrCalls ?? 0) + (calls.hr ?? 0),
        };
        s.status = "completed";
        s.phase = "done";
        s.finishedAt = at;
      });
      // The next run reads each HR source from where this one ended; a source that failed is read again.
      for (const source of summary.hr) {
        if (source.status === "read")
          await runs.setWatermark(source.source, { through: source.window.through, runId });
      }
      await runs.deleteData(runId);
      deps.telemetry?.count("reconciliationRuns", { [ATTR.outcome]: "completed" });
      deps.telemetry?.count("reconciliationFindings", { [ATTR.outcome]: "drift" }, totals.drifted);
      deps.telemetry?.count("reconciliationFindings", { [ATTR.outcome]: "orphan" }, orphans);
      deps.telemetry?.count(
        "reconciliationFindings",
        { [ATTR.outcome]: "hr-event" },
        summary.hr.reduce((n, s) => n + s.eventsAccepted, 0),
      );
      deps.telemetry?.count("reconciliationCalls", {}, genesysCalls);
      return { status: "completed", genesysCalls };
    },

    failReconciliation: async ({ runId, reason, at }: FailInput): Promise<void> => {
      await updateSummary(runs, runId, (s) => {
        s.status = "failed";
        s.reason = reason;
        s.finishedAt = at;
      });
      await runs.deleteData(runId);
      deps.telemetry?.count("reconciliationRuns", { [ATTR.outcome]: "failed" });
    },
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
