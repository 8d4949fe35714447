/**
 * Where the local Durable engine keeps instances. The memory store keeps nothing (the engine's own maps are
 * the state); the table store writes every instance to Table Storage (Azurite locally) so a restarted host
 * resumes in-flight orchestrations: one status row per instance (the engine's bookkeeping as JSON) and one
 * row per history event.
 */
import { TableClient, TableTransaction, type TableEntity } from "@azure/data-tables";
import type { HistoryEvent } from "./protocol";

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

export interface DurableStore {
  /** False for the memory store: the engine then skips the writes. */
  readonly persistent: boolean;
  loadAll(): Promise<{ snapshot: InstanceSnapshot; history: HistoryEvent[] }[]>;
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

/** Table properties hold at most 64 KiB; the snapshot JSON is split over as many properties as it needs. */
const CHUNK = 30_000;
const BATCH = 100;

const rowKey = (execution: number, index: number) =>
  `${String(execution).padStart(6, "0")}-${String(index).padStart(10, "0")}`;

export class TableDurableStore implements DurableStore {
  readonly persistent = true;
  private readonly instances: TableClient;
  private readonly history: TableClient;
  private ready?: Promise<void>;

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
    const result: { snapshot: InstanceSnapshot; history: HistoryEvent[] }[] = [];
    for await (const row of this.instances.listEntities<Record<string, unknown>>()) {
      const snapshot = JSON.parse(joinChunks(row)) as InstanceSnapshot;
      const history: HistoryEvent[] = [];
      const prefix = `${String(snapshot.execution).padStart(6, "0")}-`;
      const rows = this.history.listEntities<{ event: string }>({
        queryOptions: {
          filter: `PartitionKey eq '${escape(snapshot.instanceId)}' and RowKey ge '${prefix}' and RowKey lt '${prefix}~'`,
        },
      });
      for await (const h of rows) history.push(JSON.parse(h.event) as HistoryEvent);
      const length = Number(row.historyLength ?? history.length);
      result.push({ snapshot, history: history.slice(0, length) });
    }
    return result;
  }

  async save(snapshot: InstanceSnapshot, execution: number, fromIndex: number, events: HistoryEvent[]) {
    await this.ensureTables();
    const partitionKey = snapshot.instanceId;
    for (let i = 0; i < events.length; i += BATCH) {
      const transaction = new TableTransaction();
      events
        .slice(i, i + BATCH)
        .forEach((event, j) =>
          transaction.upsertEntity(
            { partitionKey, rowKey: rowKey(execution, fromIndex + i + j), event: JSON.stringify(event) },
            "Replace",
          ),
        );
      await this.history.submitTransaction(transaction.actions);
    }
    const entity: TableEntity<Record<string, unknown>> = {
      partitionKey,
      rowKey: "status",
      runtimeStatus: snapshot.runtimeStatus,
      historyLength: fromIndex + events.length,
      ...splitChunks(JSON.stringify(snapshot)),
    };
    await this.instances.upsertEntity(entity, "Replace");
  }

  async delete(instanceId: string) {
    await this.ensureTables();
    await this.instances.deleteEntity(instanceId, "status").catch(ignoreNotFound);
    const keys: string[] = [];
    for await (const row of this.history.listEntities({
      queryOptions: { filter: `PartitionKey eq '${escape(instanceId)}'`, select: ["RowKey"] },
    })) {
      keys.push(row.rowKey!);
    }
    for (let i = 0; i < keys.length; i += BATCH) {
      const transaction = new TableTransaction();
      for (const key of keys.slice(i, i + BATCH)) transaction.deleteEntity(instanceId, key);
      await this.history.submitTransaction(transaction.actions);
    }
  }
}

function splitChunks(json: string): Record<string, string | number> {
  const chunks: Record<string, string | number> = {};
  let n = 0;
  for (let i = 0; i < json.length; i += CHUNK) chunks[`state${n++}`] = json.slice(i, i + CHUNK);
  chunks.stateChunks = n;
  return chunks;
}

function joinChunks(row: Record<string, unknown>): string {
  let json = "";
  for (let i = 0; i < Number(row.stateChunks); i++) json += String(row[`state${i}`]);
  return json;
}

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
