import type { TableClient } from "@azure/data-tables";
import type { HrSource } from "../lifecycle/hr-event";
import { ensureTable, isNotFound, type TableClientFactory } from "./tables";

/**
 * What could not be processed, and why. An entry points at its inbox item (source + idempotency key), so a replay
 * re-reads the stored raw message; nothing needs to be resent by the HR system.
 */
export interface QuarantineEntry {
  id: string;
  source: HrSource;
  idempotencyKey: string;
  reason: string;
  field?: string;
  employeeKey?: string;
  /** A bulk row: its batch and row (the CSV line, header = line 1; a JSON batch's item number). */
  batchId?: string;
  row?: number;
  status: "open" | "resolved";
  quarantinedAt: string;
  replayCount: number;
  lastReplayAt?: string;
  resolvedAt?: string;
}

export const QUARANTINE_TABLE = "hrquarantine";
const PARTITION = "quarantine";

/** A bulk row's idempotency key is `<batch id>:<row>`. */
export function batchRowOf(idempotencyKey: string): { batchId: string; row: number } {
  const at = idempotencyKey.lastIndexOf(":");
  return { batchId: idempotencyKey.slice(0, at), row: Number(idempotencyKey.slice(at + 1)) };
}

/** The entry id for an inbox item: URL-safe, stable, so quarantining the same item again updates one entry. */
export const quarantineId = (source: HrSource, idempotencyKey: string): string =>
  Buffer.from(`${source}\n${idempotencyKey}`, "utf8").toString("base64url");

type QuarantineEntity = Omit<QuarantineEntry, "id"> & { partitionKey: string; rowKey: string };

export class QuarantineRepository {
  readonly #table: TableClient;
  #ready: Promise<void> | undefined;

  constructor(tables: TableClientFactory) {
    this.#table = tables(QUARANTINE_TABLE);
  }

  /** Creates the table on first use. */
  ensureTable(): Promise<void> {
    this.#ready ??= ensureTable(this.#table).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** Opens (or re-opens) the entry for an item with a new reason; earlier replay counts are kept. */
  async quarantine(entry: {
    source: HrSource;
    idempotencyKey: string;
    reason: string;
    field?: string;
    employeeKey?: string;
    now: Date;
  }): Promise<QuarantineEntry> {
    await this.ensureTable();
    const id = quarantineId(entry.source, entry.idempotencyKey);
    const previous = await this.get(id);
    const stored: QuarantineEntry = {
      id,
      source: entry.source,
      idempotencyKey: entry.idempotencyKey,
      reason: entry.reason,
      status: "open",
      quarantinedAt: previous?.quarantinedAt ?? entry.now.toISOString(),
      replayCount: previous?.replayCount ?? 0,
      ...(entry.field === undefined ? {} : { field: entry.field }),
      ...(entry.employeeKey === undefined ? {} : { employeeKey: entry.employeeKey }),
      ...(entry.source === "batch" ? batchRowOf(entry.idempotencyKey) : {}),
      ...(previous?.lastReplayAt === undefined ? {} : { lastReplayAt: previous.lastReplayAt }),
    };
    const { id: _id, ...rest } = stored;
    await this.#table.upsertEntity<QuarantineEntity>(
      { partitionKey: PARTITION, rowKey: id, ...rest },
      "Replace",
    );
    return stored;
  }

  async get(id: string): Promise<QuarantineEntry | undefined> {
    await this.ensureTable();
    try {
      return fromEntity(await this.#table.getEntity<QuarantineEntity>(PARTITION, id));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Open entries, oldest first; `includeResolved` adds the ones a replay fixed. */
  async list(options: { includeResolved?: boolean } = {}): Promise<QuarantineEntry[]> {
    await this.ensureTable();
    const filter = options.includeResolved
      ? `PartitionKey eq '${PARTITION}'`
      : `PartitionKey eq '${PARTITION}' and status eq 'open'`;
    const entries: QuarantineEntry[] = [];
    for await (const entity of this.#table.listEntities<QuarantineEntity>({ queryOptions: { filter } })) {
      entries.push(fromEntity(entity));
    }
    return entries.sort((a, b) => a.quarantinedAt.localeCompare(b.quarantinedAt));
  }

  /** Records a replay attempt: resolved, or still open with the new reason. */
  async recordReplay(
    id: string,
    outcome: { resolved: boolean; reason?: string; field?: string; now: Date },
  ): Promise<void> {
    const current = await this.get(id);
    if (!current) return;
    const at = outcome.now.toISOString();
    await this.#table.updateEntity(
      {
        partitionKey: PARTITION,
        rowKey: id,
        replayCount: current.replayCount + 1,
        lastReplayAt: at,
        status: outcome.resolved ? "resolved" : "open",
        ...(outcome.resolved ? { resolvedAt: at } : {}),
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason, field: outcome.field ?? "" }),
      },
      "Merge",
    );
  }
}

function fromEntity(entity: QuarantineEntity): QuarantineEntry {
  const entry: QuarantineEntry = {
    id: entity.rowKey,
    source: entity.source,
    idempotencyKey: entity.idempotencyKey,
    reason: entity.reason,
    status: entity.status,
    quarantinedAt: entity.quarantinedAt,
    replayCount: entity.replayCount,
  };
  if (entity.field) entry.field = entity.field;
  if (entity.employeeKey) entry.employeeKey = entity.employeeKey;
  if (entity.batchId) entry.batchId = entity.batchId;
  if (entity.row) entry.row = entity.row;
  if (entity.lastReplayAt) entry.lastReplayAt = entity.lastReplayAt;
  if (entity.resolvedAt) entry.resolvedAt = entity.resolvedAt;
  return entry;
}
