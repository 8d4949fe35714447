/**
 * Where the local Durable engine keeps instances. The memory store keeps nothing (the engine's own maps are
 * the state); the table store writes every instance to Table Storage (Azurite locally) so a restarted host
 * resumes in-flight orchestrations: one status row per instance (the engine's bookkeeping as JSON) and one
 * history row per save, holding the events that save appended, each spread over further rows when it is longer
 * than a row holds (table-text.ts). Builds before kept one history row per event; those still load.
 */
import { TableClient, TableTransaction, type TableEntity } from "@azure/data-tables";
import { EventType, type HistoryEvent } from "./protocol";
import { batches, joinJson, jsonRows, ROW_CHUNKS, rowCount } from "./table-text";

/** The part of an instance every store row needs; the engine adds its own bookkeeping fields. */
export interface InstanceSnapshot {
  instanceId: string;
  name: string;
  input?: string;
  createdTime: string;
  lastUpdatedTime: string;
  runtimeStatus: "Pending" | "Running" | "Completed" | "Failed" | "Terminated" | "ContinuedAsNew";
  output: unknown;
  customStatus: unknown;
  /** Counts executions (continueAsNew starts a new one); history rows are keyed by it. */
  execution: number;
}

/** An instance as stored: its snapshot and its history, as far as the history is whole. */
export interface StoredInstance {
  snapshot: InstanceSnapshot;
  history: HistoryEvent[];
  /** The index of the first history event the status row counts but the store lacks, if any. */
  missingEvent?: number;
}

export interface DurableStore {
  /** False for the memory store: the engine then skips the writes. */
  readonly persistent: boolean;
  loadAll(): Promise<StoredInstance[]>;
  /** Appends `events` at `fromIndex` of the execution's history, then replaces the status row. */
  save(
    snapshot: InstanceSnapshot,
    execution: number,
    fromIndex: number,
    events: HistoryEvent[],
  ): Promise<void>;
  delete(instanceId: string): Promise<void>;
}

export const memoryStore: DurableStore = {
  persistent: false,
  loadAll: async () => [],
  save: async () => undefined,
  delete: async () => undefined,
};

const STATUS = "status";

const rowKey = (execution: number, index: number) =>
  `${String(execution).padStart(6, "0")}-${String(index).padStart(10, "0")}`;
/** A further row of a long text: it sorts right after the row it continues, before the next event's. */
const furtherKey = (key: string, row: number) => `${key}.${String(row).padStart(4, "0")}`;

export class TableDurableStore implements DurableStore {
  readonly persistent = true;
  private readonly instances: TableClient;
  private readonly history: TableClient;
  private ready?: Promise<void>;
  /**
   * Which of two sets of further rows ("a" or "b") each instance's status row now reads. A long status is
   * written to the other set first and the status row switches to it last, so a write cut short leaves the
   * status row reading a whole set.
   */
  private readonly statusSets = new Map<string, string>();

  /** `taskHub` names the tables (`<hub>Instances`, `<hub>History`), like the Azure Storage provider does. */
  constructor(connectionString: string, taskHub: string) {
    const options = {
      allowInsecureConnection: /UseDevelopmentStorage=true|http:\/\//i.test(connectionString),
    };
    this.instances = TableClient.fromConnectionString(connectionString, `${taskHub}Instances`, options);
    this.history = TableClient.fromConnectionString(connectionString, `${taskHub}History`, options);
  }

  private ensureTables(): Promise<void> {
    this.ready ??= Promise.all([this.instances.createTable(), this.history.createTable()]).then(
      () => undefined,
    );
    return this.ready;
  }

  async loadAll() {
    await this.ensureTables();
    const result: StoredInstance[] = [];
    for await (const row of this.instances.listEntities<Record<string, unknown>>()) {
      if (row.rowKey !== STATUS) continue;
      // A status row naming no set of further rows holds its whole state (as an older build stored it).
      const set = typeof row.stateSet === "string" ? row.stateSet : undefined;
      const further: Record<string, unknown>[] = [];
      for (let r = 1; set && r < rowCount("state", row); r++)
        further.push(await this.instances.getEntity(row.partitionKey!, furtherKey(`${STATUS}.${set}`, r)));
      const perRow = set ? ROW_CHUNKS : Infinity;
      const snapshot = JSON.parse(joinJson("state", [row, ...further], perRow)) as InstanceSnapshot;
      if (set) this.statusSets.set(snapshot.instanceId, set);
      const length = Number(row.historyLength ?? Infinity);
      const stored = await this.loadHistory(snapshot, length);
      // A status row written after the first episode leaves the input to the history's ExecutionStarted.
      snapshot.input ??= stored.history.find((e) => e.EventType === EventType.ExecutionStarted)?.Input;
      result.push({ snapshot, ...stored });
    }
    return result;
  }

  /** The execution's first `length` history events, or those before the first one missing. */
  private async loadHistory(snapshot: InstanceSnapshot, length: number) {
    const prefix = `${String(snapshot.execution).padStart(6, "0")}-`;
    const records: Array<{ index: number; rows: Record<string, unknown>[] }> = [];
    for await (const row of this.history.listEntities<Record<string, unknown>>({
      queryOptions: {
        filter: `PartitionKey eq '${escape(snapshot.instanceId)}' and RowKey ge '${prefix}' and RowKey lt '${prefix}~'`,
      },
    })) {
      const [key, further] = row.rowKey!.split(".");
      if (further === undefined) records.push({ index: Number(key.slice(prefix.length)), rows: [row] });
      else records.at(-1)?.rows.push(row);
    }
    const history: HistoryEvent[] = [];
    for (const { index, rows } of records) {
      if (index >= length) break;
      // A row a save cut short by a crash left behind, which the save that followed wrote over from before it.
      if (index < history.length) continue;
      if (index !== history.length) return { history, missingEvent: history.length };
      const saved = isSave(rows[0])
        ? (JSON.parse(joinJson("events", rows)) as HistoryEvent[])
        : [JSON.parse(joinJson("event", rows)) as HistoryEvent];
      history.push(...saved.slice(0, length - index));
    }
    if (Number.isFinite(length) && history.length < length) return { history, missingEvent: history.length };
    return { history };
  }

  async save(snapshot: InstanceSnapshot, execution: number, fromIndex: number, events: HistoryEvent[]) {
    await this.ensureTables();
    const partitionKey = snapshot.instanceId;
    // The events of one save are one row, keyed by where they start: most saves are one write, with no
    // transaction (the SDK builds a client for each). The status row, written last, says how far they count.
    const key = rowKey(execution, fromIndex);
    const historyRows = events.length === 0 ? [] : jsonRows("events", JSON.stringify(events));
    const entities = historyRows.map((text, r) => ({
      partitionKey,
      rowKey: r === 0 ? key : furtherKey(key, r),
      ...text,
    }));
    if (entities.length === 1) await this.history.upsertEntity(entities[0], "Replace");
    else for (const batch of batches(entities)) await this.upsertAll(this.history, batch);

    const [first, ...further] = jsonRows("state", JSON.stringify(snapshot));
    const set = further.length > 0 ? (this.statusSets.get(partitionKey) === "a" ? "b" : "a") : undefined;
    const furtherRows = further.map((text, r) => ({
      partitionKey,
      rowKey: furtherKey(`${STATUS}.${set}`, r + 1),
      ...text,
    }));
    for (const batch of batches(furtherRows)) await this.upsertAll(this.instances, batch);
    const entity: TableEntity<Record<string, unknown>> = {
      partitionKey,
      rowKey: STATUS,
      runtimeStatus: snapshot.runtimeStatus,
      historyLength: fromIndex + events.length,
      ...(set ? { stateSet: set } : {}),
      ...first,
    };
    await this.instances.upsertEntity(entity, "Replace");
    if (set) this.statusSets.set(partitionKey, set);
  }

  async delete(instanceId: string) {
    await this.ensureTables();
    this.statusSets.delete(instanceId);
    await deletePartition(this.instances, instanceId);
    await deletePartition(this.history, instanceId);
  }

  private async upsertAll(table: TableClient, entities: TableEntity<object>[]): Promise<void> {
    const transaction = new TableTransaction();
    for (const entity of entities) transaction.upsertEntity(entity, "Replace");
    await table.submitTransaction(transaction.actions);
  }
}

/** Deletes every row of one partition, a batch at a time. */
async function deletePartition(table: TableClient, partitionKey: string): Promise<void> {
  const keys: string[] = [];
  for await (const row of table.listEntities({
    queryOptions: { filter: `PartitionKey eq '${escape(partitionKey)}'`, select: ["RowKey"] },
  })) {
    keys.push(row.rowKey!);
  }
  for (let i = 0; i < keys.length; i += 100) {
    const transaction = new TableTransaction();
    for (const key of keys.slice(i, i + 100)) transaction.deleteEntity(partitionKey, key);
    await table.submitTransaction(transaction.actions);
  }
}

/** A history row written by one save (its events as one array), not by a build that kept a row per event. */
const isSave = (row: Record<string, unknown>) => "events" in row || "eventsChunks" in row;

function escape(value: string): string {
  return value.replace(/'/g, "''");
}

function ignoreNotFound(error: unknown): void {
  if ((error as { statusCode?: number }).statusCode !== 404) throw error as Error;
}

/** The last occurrence of each timer function, in `<hub>Timers` (the Functions host keeps it in blobs). */
export class TableTimerStatusStore {
  private readonly table: TableClient;
  private ready?: Promise<void>;

  constructor(connectionString: string, taskHub: string) {
    this.table = TableClient.fromConnectionString(connectionString, `${taskHub}Timers`, {
      allowInsecureConnection: /UseDevelopmentStorage=true|http:\/\//i.test(connectionString),
    });
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.table.createTable().then(() => undefined);
    return this.ready;
  }

  async load(functionName: string): Promise<Date | undefined> {
    await this.ensureTable();
    try {
      const row = await this.table.getEntity<{ last: string }>("timers", functionName);
      return new Date(row.last);
    } catch (error) {
      ignoreNotFound(error);
      return undefined;
    }
  }

  async save(functionName: string, last: Date): Promise<void> {
    await this.ensureTable();
    await this.table.upsertEntity(
      { partitionKey: "timers", rowKey: functionName, last: last.toISOString() },
      "Replace",
    );
  }
}
