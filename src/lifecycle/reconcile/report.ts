import type { HrEventType } from "../hr-event";
import type { DriftItem } from "./drift";

/**
 * What a reconciliation run reports: its summary (counts, windows, cost) and its findings, one per worker or
 * user something was found about. The JSON of `GET /api/reconciliation/runs/{id}`.
 */

export type RunStatus = "running" | "completed" | "failed";
export type RunPhase = "hr" | "genesys-read" | "genesys-compare" | "finish" | "done";
export type GenesysMode = "report" | "fix";

/** One HR system read by the run. */
export interface HrSourceSummary {
  source: "workday" | "successfactors";
  /** `Get_Workers`, `report` or `OData`. */
  via: string;
  window: { from: string; through: string };
  status: "pending" | "reading" | "read" | "failed";
  reason?: string;
  workersRead: number;
  /** Events handed to the intake: accepted, or already there from an earlier run (duplicates). */
  eventsAccepted: number;
  eventsDuplicate: number;
  eventsQuarantined: number;
  inSync: number;
  /** Not the product's to act on: a title no profile matches, a worker never provisioned and gone. */
  outOfScope: number;
  /** Skipped for a reason worth a look: events still pending, a termination in progress. */
  skipped: number;
  /** HR gave too little to make an event of (a worker without a work email). */
  unreadable: number;
  calls: number;
}

export interface GenesysSummary {
  /** Employees the product manages (provisioned and active). */
  managed: number;
  compared: number;
  inSync: number;
  drifted: number;
  driftItems: number;
  /** Drifted employees whose fix went to their lifecycle (fix mode). */
  fixesQueued: number;
  /** Not compared: events pending for them, or a profile the mapping cannot give. */
  notCompared: number;
  orphans: number;
  /** How the shared reads were chosen: listings per queue and division, or one read per user. */
  reads?: { queues: "listed" | "per-user"; grants: "listed" | "per-user"; units: number };
  /** Why who and when are missing, when Genesys's audit could not be read. */
  auditUnavailable?: string;
}

export interface CostSummary {
  /** Genesys calls the run made, by phase. */
  genesysCalls: number;
  byPhase: Record<string, number>;
  callsPerManagedUser: number;
  /** The budget the calls spent from: requests per minute over all tokens. */
  requestsPerMinute: number;
  /** The least time those calls could take at that budget. */
  floorSeconds: number;
  /** Wall time of the Genesys half of the run. */
  genesysSeconds: number;
  /** Wall time ÷ floor: 1 means the run went as fast as the budget allows. */
  wallPerFloor: number;
  /** Times the run stepped back for the budget (event processing first, or a 429). */
  backOffs: number;
  hrCalls: number;
}

export interface RunSummary {
  id: string;
  status: RunStatus;
  phase: RunPhase;
  trigger: { kind: "schedule" | "operator"; by?: string };
  mode: GenesysMode;
  startedAt: string;
  finishedAt?: string;
  reason?: string;
  hr: HrSourceSummary[];
  genesys: GenesysSummary;
  cost?: CostSummary;
  notes: string[];
}

/** One thing found: an HR event sent, a worker skipped, a user's drift, an orphan. */
export type Finding =
  | {
      kind: "hr-event";
      employeeId: string;
      source: "workday" | "successfactors";
      type: HrEventType;
      effectiveDate: string;
      eventId: string;
      status: "accepted" | "duplicate" | "quarantined";
      why: string;
      reason?: string;
    }
  | { kind: "hr-skipped"; employeeId: string; source: "workday" | "successfactors"; why: string }
  | {
      kind: "drift";
      employeeId: string;
      userId: string;
      items: (DriftItem & { changedBy?: string; changedAt?: string })[];
      action: "reported" | "fix queued" | "fix refused";
      eventId?: string;
      reason?: string;
    }
  | { kind: "not-compared"; employeeId: string; why: string }
  | {
      kind: "orphan";
      userId: string;
      employeeId: string;
      name: string;
      email?: string;
      /** Whether HR was asked and does not know the id, or there was no HR system to ask. */
      hrChecked: boolean;
    };

/** Counts the Genesys half adds up over its slices. */
export interface CompareTotals {
  compared: number;
  inSync: number;
  drifted: number;
  driftItems: number;
  fixesQueued: number;
  notCompared: number;
}

export const NO_COMPARE_TOTALS: CompareTotals = {
  compared: 0,
  inSync: 0,
  drifted: 0,
  driftItems: 0,
  fixesQueued: 0,
  notCompared: 0,
};
