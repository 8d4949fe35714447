import { RestError } from "@azure/data-tables";
import type { HrWorker } from "../lifecycle/hr-event";
import {
  managerKeyOf,
  toQueued,
  toRecord,
  type AwaitingHrItem,
  type EmployeeRecord,
  type LeaverInProgress,
  type ManagerLink,
  type Patch,
  type QueuedHrEvent,
} from "./employee-records";
import { decodeKey, encodeKey } from "./tables";
import { TableRepository } from "./table-repository";

export {
  appliedEventsOf,
  lifecycleStateOf,
  managerKeyOf,
  type AwaitingHrItem,
  type EmployeeRecord,
  type LeaverInProgress,
  type ManagerLink,
  type QueuedHrEvent,
} from "./employee-records";

const STATE_ROW = "state";
const EVENT_ROW = "event|";
const DEACTIVATIONS = "deactivations";
const MANAGER_WAITS = "manager-waits";
/** One row per running leaver, keyed by Genesys user id: "is this person leaving?" is a point read. */
const LEAVERS = "leavers-in-progress";
/**
 * Employee state in Table Storage: one partition per employee, so each employee's single writer never
 * contends with another's; deactivations are also logged in a partition of their own for the guard's window.
 */
export class EmployeeRepository extends TableRepository {
  async get(employeeKey: string): Promise<EmployeeRecord | undefined> {
    await this.ready();
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(encodeKey(employeeKey), STATE_ROW);
      return toRecord(employeeKey, entity);
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
      // Replace, not merge: an item that awaited HR loses its mark once its event is known.
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

  /**
   * Queues an item still to be read back from HR, in the row its event takes once read back. Only if the row is
   * absent: a redelivery never turns an event that was read back into one awaiting HR again.
   */
  async enqueueAwaitingHr(employeeKey: string, item: Omit<AwaitingHrItem, "key">): Promise<void> {
    await this.ready();
    const key = `${item.source}:${item.idempotencyKey}`;
    try {
      await this.table.createEntity({
        partitionKey: encodeKey(employeeKey),
        rowKey: EVENT_ROW + encodeKey(key),
        ...item,
        key,
        status: "pending",
        awaitingHr: true,
      });
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 409)) throw error;
    }
  }

  async pendingEvents(employeeKey: string): Promise<QueuedHrEvent[]> {
    return (await this.pendingQueue(employeeKey)).events;
  }

  /** The employee's pending queue: events known, and items still to be read back from HR. */
  async pendingQueue(
    employeeKey: string,
  ): Promise<{ events: QueuedHrEvent[]; awaitingHr: AwaitingHrItem[] }> {
    await this.ready();
    const partition = encodeKey(employeeKey).replace(/'/g, "''");
    const filter = `PartitionKey eq '${partition}' and RowKey ge '${EVENT_ROW}' and RowKey lt 'event}' and status eq 'pending'`;
    const events: QueuedHrEvent[] = [];
    const awaitingHr: AwaitingHrItem[] = [];
    for await (const row of this.table.listEntities<QueuedHrEvent & { awaitingHr?: boolean }>({
      queryOptions: { filter },
    })) {
      if (row.awaitingHr) {
        const { key, source, idempotencyKey, receivedAt, traceparent } = row;
        awaitingHr.push({ key, source, idempotencyKey, receivedAt, ...(traceparent ? { traceparent } : {}) });
      } else events.push(toQueued(row));
    }
    return { events, awaitingHr };
  }

  /**
   * The employee's record and how many known events wait in their queue, in one query of their partition
   * (`get` and `pendingEvents` together): for checking many employees at once.
   */
  async recordAndPending(employeeKey: string): Promise<{ record?: EmployeeRecord; pendingEvents: number }> {
    await this.ready();
    const partition = encodeKey(employeeKey).replace(/'/g, "''");
    const filter =
      `PartitionKey eq '${partition}' and (RowKey eq '${STATE_ROW}' or ` +
      `(RowKey ge '${EVENT_ROW}' and RowKey lt 'event}' and status eq 'pending'))`;
    let record: EmployeeRecord | undefined;
    let pendingEvents = 0;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      if (row.rowKey === STATE_ROW) record = toRecord(employeeKey, row);
      else if (!row.awaitingHr) pendingEvents++;
    }
    return { ...(record ? { record } : {}), pendingEvents };
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

  /** Notes that a waiting event was announced in the audit as waiting until `until`. */
  async markWaiting(employeeKey: string, key: string, until: string): Promise<void> {
    await this.ready();
    await this.table.updateEntity(
      { partitionKey: encodeKey(employeeKey), rowKey: EVENT_ROW + encodeKey(key), waitingUntil: until },
      "Merge",
    );
  }

  /**
   * Records that the employee waits for a manager who has no active Genesys user yet (or, with `null`, that the
   * wait is over). The wait is also indexed by the manager, so the manager's own provisioning finds it.
   */
  async setManagerPending(employeeKey: string, link: ManagerLink | null): Promise<void> {
    await this.ready();
    const previous = (await this.get(employeeKey))?.managerPending;
    if (previous) {
      const old = JSON.parse(previous) as ManagerLink;
      if (!link || managerKeyOf(old) !== managerKeyOf(link)) {
        await this.table
          .deleteEntity(MANAGER_WAITS, `${encodeKey(managerKeyOf(old))}|${encodeKey(employeeKey)}`)
          .catch((error: unknown) => {
            if (!(error instanceof RestError && error.statusCode === 404)) throw error;
          });
      }
    }
    if (link) {
      await this.table.upsertEntity(
        {
          partitionKey: MANAGER_WAITS,
          rowKey: `${encodeKey(managerKeyOf(link))}|${encodeKey(employeeKey)}`,
          employeeKey,
          managerKey: managerKeyOf(link),
        },
        "Replace",
      );
    }
    await this.update(employeeKey, { managerPending: link ? JSON.stringify(link) : null });
  }

  /** Employees waiting for a manager, by the manager's key (`managerKeyOf`); all of them without `managerKeys`. */
  async managerWaits(
    managerKeys?: readonly string[],
  ): Promise<Array<{ employeeKey: string; managerKey: string }>> {
    await this.ready();
    const waits: Array<{ employeeKey: string; managerKey: string }> = [];
    const partition = `PartitionKey eq '${MANAGER_WAITS}'`;
    // Row keys are `<manager key>|<employee key>`, both URI-encoded, so `}` (after `|`) ends one manager's range.
    const filters = managerKeys?.map((key) => {
      const prefix = encodeKey(key).replace(/'/g, "''");
      return `${partition} and RowKey ge '${prefix}|' and RowKey lt '${prefix}}'`;
    }) ?? [partition];
    for (const filter of filters) {
      for await (const row of this.table.listEntities<{ employeeKey: string; managerKey: string }>({
        queryOptions: { filter },
      })) {
        waits.push({ employeeKey: row.employeeKey, managerKey: row.managerKey });
      }
    }
    return waits;
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

  /**
   * Marks the employee's leaver as running for Genesys user `userId`: on the employee's record, and in an index
   * by user id so another leaver can tell that this person is no one to hand work to. Idempotent.
   */
  async startLeaver(marker: LeaverInProgress): Promise<void> {
    await this.ready();
    const { employeeKey, userId, eventId, startedAt } = marker;
    await this.update(employeeKey, {
      leaverEventId: eventId,
      leaverUserId: userId,
      leaverStartedAt: startedAt,
    });
    await this.table.upsertEntity(
      { partitionKey: LEAVERS, rowKey: encodeKey(userId), employeeKey, eventId, startedAt },
      "Replace",
    );
  }

  /** Clears the employee's running-leaver marker; nothing to do when there is none. Idempotent. */
  async endLeaver(employeeKey: string): Promise<void> {
    const userId = (await this.get(employeeKey))?.leaverUserId;
    if (userId === undefined) return;
    const running = await this.leaverInProgress(userId);
    // The index row may already belong to a newer leaver of the same Genesys user: leave that one alone.
    if (running?.employeeKey === employeeKey) {
      try {
        await this.table.deleteEntity(LEAVERS, encodeKey(userId));
      } catch (error) {
        if (!(error instanceof RestError && error.statusCode === 404)) throw error;
      }
    }
    await this.update(employeeKey, { leaverEventId: null, leaverUserId: null, leaverStartedAt: null });
  }

  /** The leaver running for this Genesys user, if this product runs one. */
  async leaverInProgress(userId: string): Promise<LeaverInProgress | undefined> {
    await this.ready();
    try {
      const row = await this.table.getEntity<{ employeeKey: string; eventId: string; startedAt: string }>(
        LEAVERS,
        encodeKey(userId),
      );
      return { employeeKey: row.employeeKey, userId, eventId: row.eventId, startedAt: row.startedAt };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
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

  /** Every employee's record, in any state (reconciliation compares them all with HR and Genesys). */
  async listRecords(): Promise<EmployeeRecord[]> {
    await this.ready();
    const records: EmployeeRecord[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: `RowKey eq '${STATE_ROW}'` },
    })) {
      records.push(toRecord(decodeKey(row.partitionKey as string), row));
    }
    return records;
  }

  /**
   * The employees whose HR record (as last applied or recorded) has this email, ignoring case. The email is
   * inside the stored record, so this reads every employee's record: an operator's search, not a hot path.
   */
  async findByEmail(email: string): Promise<EmployeeRecord[]> {
    await this.ready();
    const wanted = email.trim().toLowerCase();
    const keys: string[] = [];
    for await (const row of this.table.listEntities<{ partitionKey: string; worker?: string }>({
      queryOptions: { filter: `RowKey eq '${STATE_ROW}'`, select: ["PartitionKey", "worker"] },
    })) {
      const worker = row.worker ? (JSON.parse(row.worker) as Partial<HrWorker>) : undefined;
      if (worker?.email?.toLowerCase() === wanted) keys.push(decodeKey(row.partitionKey));
    }
    const records = await Promise.all(keys.map((key) => this.get(key)));
    return records.filter((record): record is EmployeeRecord => record !== undefined);
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
