import type { AppliedEvents, LifecycleState } from "../lifecycle/employee-lifecycle";
import type { HrEventType } from "../lifecycle/hr-event";

// The rows of the employees table and how they are read: the repository in ./employees writes them.

/**
 * What the product remembers about each employee it manages, beyond what Genesys holds:
 * the Genesys user, how far the HR timeline has been applied, what the mapping assigned (so a mover removes
 * only that), the snapshot taken at deactivation (inactive users lose their roles, so it is the only memory
 * a rehire or return from leave can be restored from), and a pending deletion.
 */
export interface EmployeeRecord {
  employeeKey: string;
  /** Where the employee is in the lifecycle (src/lifecycle/employee-lifecycle.ts); read with `lifecycleStateOf`. */
  lifecycleState?: LifecycleState;
  /** JSON of the HR worker as last applied or recorded: for dry runs of a mapping change, and a later rehire. */
  worker?: string;
  /** The effective date of the event `worker` came from: a late event plans from it when it is newer. */
  workerAsOf?: string;
  genesysUserId?: string;
  /** JSON `AppliedEvents`: the latest applied event of each type, which late arrivals are compared with. */
  applied?: string;
  /** Before the lifecycle table: the effective date of the newest applied event. */
  lastAppliedEffectiveDate?: string;
  lastAppliedEventId?: string;
  /** JSON `ManagerLink`: the manager HR names has no active Genesys user yet. */
  managerPending?: string;
  /** JSON of what the mapping assigned last time, with the mapping version. */
  assigned?: string;
  /** JSON of the assigned profile at deactivation. */
  snapshot?: string;
  deactivatedAt?: string;
  deleteAt?: string;
  /** Set while this product runs a leaver for the employee (see `startLeaver`). */
  leaverEventId?: string;
  leaverUserId?: string;
  leaverStartedAt?: string;
}

/** A leaver this product is running: from the moment it starts until it ends, whichever way it ends. */
export interface LeaverInProgress {
  employeeKey: string;
  /** The Genesys user leaving. */
  userId: string;
  eventId: string;
  startedAt: string;
}

/** An accepted HR event waiting in (or done from) its employee's queue. */
export interface QueuedHrEvent {
  /** `source:idempotencyKey`, unique across sources. */
  key: string;
  source: string;
  idempotencyKey: string;
  eventId: string;
  type: HrEventType;
  effectiveDate: string;
  receivedAt: string;
  status: "pending" | "done";
  /** JSON of the outcome once done. */
  outcome?: string;
  /** The due time already announced in the audit for this waiting event, so it is announced once. */
  waitingUntil?: string;
  /** W3C trace context of the intake that accepted it: the event's activities continue that trace. */
  traceparent?: string;
}

/**
 * An HR item stored and acknowledged whose event is not known yet: the employee's orchestration reads it back
 * from HR first (a thin Workday notification, a SuccessFactors event read through OData).
 */
export interface AwaitingHrItem {
  /** `source:idempotencyKey`, the key its event takes in the queue once read back. */
  key: string;
  source: string;
  idempotencyKey: string;
  receivedAt: string;
  traceparent?: string;
}

/** A manager named by HR who has no active Genesys user yet: linked as soon as one exists. */
export interface ManagerLink {
  managerEmployeeId?: string;
  managerEmail?: string;
  /** When the link was first found missing. */
  since: string;
}

const FIELDS = [
  "lifecycleState",
  "worker",
  "workerAsOf",
  "genesysUserId",
  "applied",
  "lastAppliedEffectiveDate",
  "lastAppliedEventId",
  "managerPending",
  "assigned",
  "snapshot",
  "deactivatedAt",
  "deleteAt",
  "leaverEventId",
  "leaverUserId",
  "leaverStartedAt",
] as const;

export type Patch = { [K in (typeof FIELDS)[number]]?: string | null };

/** The lifecycle state of a record, also for records written before the state was stored. */
export function lifecycleStateOf(record: EmployeeRecord | undefined): LifecycleState {
  if (record?.lifecycleState) return record.lifecycleState;
  if (!record?.genesysUserId) return "not_provisioned";
  if (record.deleteAt) return "terminated";
  return record.deactivatedAt ? "on_leave" : "active";
}

/** The applied events of a record, also for records written before they were stored by type. */
export function appliedEventsOf(record: EmployeeRecord | undefined): AppliedEvents {
  if (record?.applied) return JSON.parse(record.applied) as AppliedEvents;
  if (!record?.lastAppliedEffectiveDate) return {};
  return {
    change: { eventId: record.lastAppliedEventId ?? "", effectiveDate: record.lastAppliedEffectiveDate },
  };
}

/** Where a manager is looked for: by HR employee id when HR gives one, else by email. */
export function managerKeyOf(link: Pick<ManagerLink, "managerEmployeeId" | "managerEmail">): string {
  return link.managerEmployeeId
    ? `id:${link.managerEmployeeId}`
    : `email:${link.managerEmail?.toLowerCase()}`;
}

/** The record a state row holds; empty fields are absent. */
export function toRecord(employeeKey: string, entity: Record<string, unknown>): EmployeeRecord {
  const record: EmployeeRecord = { employeeKey };
  for (const field of FIELDS) {
    const value = entity[field];
    if (typeof value === "string" && value !== "")
      (record as unknown as Record<string, string>)[field] = value;
  }
  return record;
}

export function toQueued(row: QueuedHrEvent): QueuedHrEvent {
  const {
    key,
    source,
    idempotencyKey,
    eventId,
    type,
    effectiveDate,
    receivedAt,
    status,
    outcome,
    waitingUntil,
    traceparent,
  } = row;
  return {
    key,
    source,
    idempotencyKey,
    eventId,
    type,
    effectiveDate,
    receivedAt,
    status,
    ...(outcome ? { outcome } : {}),
    ...(waitingUntil ? { waitingUntil } : {}),
    ...(traceparent ? { traceparent } : {}),
  };
}
