import { RestError } from "@azure/data-tables";
import type { HrWorker } from "../lifecycle/hr-event";
import { decodeKey, encodeKey } from "./tables";
import { TableRepository } from "./table-repository";

/**
 * What the product remembers about each employee it manages, beyond what Genesys holds:
 * the Genesys user, how far the HR timeline has been applied, what the mapping assigned (so a mover removes
 * only that), the snapshot taken at deactivation (inactive users lose their roles, so it is the only memory
 * a rehire or return from leave can be restored from), and a pending deletion.
 */
export interface EmployeeRecord {
  employeeKey: string;
  /** JSON of the HR worker as last applied, for dry runs of a mapping change. */
  worker?: string;
  genesysUserId?: string;
  lastAppliedEffectiveDate?: string;
  lastAppliedEventId?: string;
  /** JSON of what the mapping assigned last time, with the mapping version. */
  assigned?: string;
  /** JSON of the assigned profile at deactivation. */
  snapshot?: string;
  deactivatedAt?: string;
  deleteAt?: string;
}

/** An accepted HR event waiting in (or done from) its employee's queue. */
export interface QueuedHrEvent {
  /** `source:idempotencyKey`, unique across sources. */
  key: string;
  source: string;
  idempotencyKey: string;
  eventId: string;
  type: "hire" | "change" | "terminate" | "rehire" | "leave_start" | "leave_end";
  effectiveDate: string;
  receivedAt: string;
  status: "pending" | "done";
  /** JSON of the outcome once done. */
  outcome?: string;
  /** W3C trace context of the intake that accepted it: the event's activities continue that trace. */
  traceparent?: string;
}

const STATE_ROW = "state";
const EVENT_ROW = "event|";
const DEACTIVATIONS = "deactivations";
const FIELDS = [
  "worker",
  "genesysUserId",
  "lastAppliedEffectiveDate",
  "lastAppliedEventId",
  "assigned",
  "snapshot",
  "deactivatedAt",
  "deleteAt",
] as const;

type Patch = { [K in (typeof FIELDS)[number]]?: string | null };

/**
 * Employee state in Table Storage: one partition per employee, so each employee's single writer never
 * contends with another's; deactivations are also logged in a partition of their own for the guard's window.
 */
export class EmployeeRepository extends TableRepository {
  async get(employeeKey: string): Promise<EmployeeRecord | undefined> {
    await this.ready();
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(encodeKey(employeeKey), STATE_ROW);
      const record: EmployeeRecord = { employeeKey };
      for (const field of FIELDS) {
        const value = entity[field];
        if (typeof value === "string" && value !== "") record[field] = value;
      }
      return record;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Sets the given fields; `null` clears one. Idempotent: the same patch twice leaves the same row. */
  async update(employeeKey: string, patch: Patch): Promise<void> {
    await this.ready();
    const values = Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v ?? ""]));
    await this.table.upsertEntity(
      { partitionKey: encodeKey(employeeKey), rowKey: STATE_ROW, ...values },
      "Merge",
    );
  }

  /**
   * Puts an accepted event in the employee's queue as pending. Intake hands an event over once; it hands it
   * over again only on a replay from quarantine, which must make it pending again.
   */
  async enqueueEvent(
    employeeKey: string,
    event: Omit<QueuedHrEvent, "key" | "status" | "outcome">,
  ): Promise<void> {
    await this.ready();
    const key = `${event.source}:${event.idempotencyKey}`;
    await this.table.upsertEntity(
      {
        partitionKey: encodeKey(employeeKey),
        rowKey: EVENT_ROW + encodeKey(key),
        ...event,
        key,
        status: "pending",
        outcome: "",
      },
      "Replace",
    );
  }

  async getEvent(employeeKey: string, key: string): Promise<QueuedHrEvent | undefined> {
    await this.ready();
    try {
      return toQueued(
        await this.table.getEntity<QueuedHrEvent>(encodeKey(employeeKey), EVENT_ROW + encodeKey(key)),
      );
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  async pendingEvents(employeeKey: string): Promise<QueuedHrEvent[]> {
    await this.ready();
    const partition = encodeKey(employeeKey).replace(/'/g, "''");
    const filter = `PartitionKey eq '${partition}' and RowKey ge '${EVENT_ROW}' and RowKey lt 'event}' and status eq 'pending'`;
    const events: QueuedHrEvent[] = [];
    for await (const row of this.table.listEntities<QueuedHrEvent>({ queryOptions: { filter } })) {
      events.push(toQueued(row));
    }
    return events;
  }

  /** Employees with at least one pending event, for the sweep that makes sure each has a running orchestration. */
  async employeesWithPendingEvents(): Promise<string[]> {
    await this.ready();
    const keys = new Set<string>();
    const filter = `RowKey ge '${EVENT_ROW}' and RowKey lt 'event}' and status eq 'pending'`;
    for await (const row of this.table.listEntities<{ partitionKey: string }>({
      queryOptions: { filter, select: ["PartitionKey"] },
    })) {
      keys.add(decodeKey(row.partitionKey));
    }
    return [...keys];
  }

  /** Marks an event done with its outcome; idempotent. */
  async completeEvent(employeeKey: string, key: string, outcome: unknown): Promise<void> {
    await this.ready();
    await this.table.updateEntity(
      {
        partitionKey: encodeKey(employeeKey),
        rowKey: EVENT_ROW + encodeKey(key),
        status: "done",
        outcome: JSON.stringify(outcome),
      },
      "Merge",
    );
  }

  /** Logs a deactivation; the row key makes a repeated log of the same one a no-op. */
  async logDeactivation(employeeKey: string, at: string): Promise<void> {
    await this.ready();
    await this.table.upsertEntity(
      { partitionKey: DEACTIVATIONS, rowKey: `${at}|${encodeKey(employeeKey)}`, employeeKey, at },
      "Replace",
    );
  }

  /** When the deactivations since `since` happened, excluding this employee's own. */
  async deactivationsSince(since: string, excludeEmployeeKey?: string): Promise<string[]> {
    await this.ready();
    const found: string[] = [];
    const filter = `PartitionKey eq '${DEACTIVATIONS}' and RowKey ge '${since}'`;
    for await (const row of this.table.listEntities<{ employeeKey: string; at: string }>({
      queryOptions: { filter },
    })) {
      if (row.employeeKey !== excludeEmployeeKey) found.push(row.at);
    }
    return found;
  }

  /** The HR workers of every employee with an active Genesys user managed by the product. */
  async listManagedWorkers(): Promise<HrWorker[]> {
    await this.ready();
    const workers: HrWorker[] = [];
    for await (const row of this.table.listEntities<{
      worker?: string;
      genesysUserId?: string;
      deactivatedAt?: string;
    }>({
      queryOptions: {
        filter: `RowKey eq '${STATE_ROW}'`,
        select: ["worker", "genesysUserId", "deactivatedAt"],
      },
    })) {
      if (row.worker && row.genesysUserId && !row.deactivatedAt)
        workers.push(JSON.parse(row.worker) as HrWorker);
    }
    return workers;
  }

  /** How many employees currently have an active Genesys user managed by the product. */
  async countManaged(): Promise<number> {
    await this.ready();
    let count = 0;
    for await (const row of this.table.listEntities<{ genesysUserId?: string; deactivatedAt?: string }>({
      queryOptions: { filter: `RowKey eq '${STATE_ROW}'`, select: ["genesysUserId", "deactivatedAt"] },
    })) {
      if (row.genesysUserId && !row.deactivatedAt) count++;
    }
    return count;
  }
}

function toQueued(row: QueuedHrEvent): QueuedHrEvent {
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
    ...(traceparent ? { traceparent } : {}),
  };
}
