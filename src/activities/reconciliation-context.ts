import type { GenesysCloudClient } from "../genesys";
import type { HrIntake } from "../hr/intake";
import type { HrReader } from "../hr/reconciliation-sources";
import type { OrgDirectory } from "../lifecycle/org";
import { NO_COMPARE_TOTALS, type RunSummary } from "../lifecycle/reconcile/report";
import type { AuditRepository } from "../storage/audit";
import type { EmployeeRepository } from "../storage/employees";
import type { MappingService } from "../storage/mappings-service";
import type { ReconciliationRepository } from "../storage/reconciliation";
import type { Telemetry } from "../telemetry";

/** Everything a reconciliation run's activities use; built once by the composition root. */
export interface ReconciliationDependencies {
  runs: ReconciliationRepository;
  employees: Pick<EmployeeRepository, "get" | "pendingEvents" | "recordAndPending" | "listRecords">;
  audit: Pick<AuditRepository, "record">;
  mappings: Pick<MappingService, "getActive">;
  org: OrgDirectory;
  /** The normal HR intake: what reconciliation finds enters as any event does. */
  intake: Pick<HrIntake, "accept">;
  /** The HR systems to read, in order: Workday (Get_Workers or a report), then SuccessFactors. */
  hrReaders: readonly HrReader[];
  /**
   * A Genesys client for the run's reads, from the same rate budget as everything else, which steps back (a
   * rate-limited error) instead of waiting when the budget is busy; `onCall` counts each request it sends.
   */
  genesys: (onCall: () => void) => GenesysCloudClient;
  /** The product's own OAuth client: its changes are never "who changed it". */
  ownClientId: string;
  /** Requests per minute the budget allows over all tokens: the floor a run's calls are measured against. */
  requestsPerMinute: number;
  firstWindowInMs: number;
  /** Most Genesys audit queries a run makes. */
  auditQueries: number;
  telemetry?: Telemetry;
}

/** Reads and rewrites a run's summary; the run's activities run one at a time, so nothing races. */
export async function updateSummary(
  runs: ReconciliationRepository,
  runId: string,
  change: (summary: RunSummary) => void,
): Promise<RunSummary> {
  const run = await runs.getRun<RunSummary>(runId);
  if (!run) throw new Error(`reconciliation run ${runId} has no summary: it was never started`);
  change(run.summary);
  await runs.saveRun({ id: runId, status: run.summary.status, summary: run.summary });
  return run.summary;
}

/** The summary a run starts with, before anything is read. */
export function newRunSummary(run: {
  id: string;
  trigger: RunSummary["trigger"];
  mode: RunSummary["mode"];
  startedAt: string;
}): RunSummary {
  return {
    ...run,
    status: "running",
    phase: "hr",
    hr: [],
    genesys: { managed: 0, ...NO_COMPARE_TOTALS, orphans: 0 },
    notes: [],
  };
}
