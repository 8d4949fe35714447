import type { HrRetryPolicy } from "../config/settings";
import type { GenesysCloudClient } from "../genesys";
import type { EnrichmentOutcome } from "../hr/intake-ports";
import type { HrSource } from "../lifecycle/hr-event";
import type { DeactivationGuardPolicy } from "../lifecycle/deactivation-guard";
import type { OrgDirectory } from "../lifecycle/org";
import type { ApprovalRepository } from "../storage/approvals";
import type { AuditRepository } from "../storage/audit";
import type { BatchRepository } from "../storage/batches";
import type { EmployeeRepository } from "../storage/employees";
import type { InboxRepository } from "../storage/inbox";
import type { MappingService } from "../storage/mappings-service";
import type { QuarantineRepository } from "../storage/quarantine";
import type { GenesysStateReader } from "../adapters/genesys-state";

/** Timings and thresholds of the lifecycle, from the settings. */
export interface LifecyclePolicy {
  /** How long before a hire's effective date the account is provisioned. */
  hireLeadTimeInMs: number;
  /** How long a leaver's live interactions are re-checked before the fallback applies. */
  drainDeadlineInMs: number;
  recheckIntervalInMs: number;
  /** Whether an Offline manager or supervisor may still be handed a leaver's work (else they are passed over). */
  allowOfflineTargets: boolean;
  /** How long a paused leaver waits for an operator. */
  approvalTimeoutInMs: number;
  guard: DeactivationGuardPolicy;
  /** How reading an event back from HR is retried through an HR outage before quarantine. */
  hrRetry: HrRetryPolicy;
}

/** Everything the lifecycle activities use; built once by the composition root. */
export interface ActivityDependencies {
  genesys: GenesysCloudClient;
  org: OrgDirectory;
  state: GenesysStateReader;
  employees: EmployeeRepository;
  inbox: Pick<InboxRepository, "get" | "update" | "listBatch">;
  quarantine: Pick<QuarantineRepository, "quarantine">;
  mappings: Pick<MappingService, "getActive">;
  audit: AuditRepository;
  approvals: ApprovalRepository;
  batches: BatchRepository;
  policy: LifecyclePolicy;
  /**
   * Reads an item the intake deferred back from HR (`HrIntake.enrichDeferred`); absent where no HR intake runs,
   * and then such an item is quarantined with that reason.
   */
  hrEnrichment?: HrEnrichmentPort;
  now?: () => Date;
}

export type HrEnrichmentPort = (
  source: HrSource,
  idempotencyKey: string,
  options: { finalAttempt: boolean },
) => Promise<EnrichmentOutcome>;
