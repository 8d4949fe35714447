import { RestError, type TableClient } from "@azure/data-tables";
import type { HrSource } from "../lifecycle/hr-event";
import { batchIdOf } from "./inbox";
import { ensureTable, isNotFound, readPage, type TableClientFactory } from "./tables";

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
  /** Set while a replay runs; a second replay meanwhile is refused. */
  replayStartedAt?: string;
}

/** One page of a listing and the token for the next, absent on the last page. */
export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

export type ReplayClaim =
  | { kind: "claimed"; entry: QuarantineEntry; etag: string }
  | { kind: "not_found" }
  | { kind: "already_resolved"; resolvedAt?: string }
  | { kind: "in_progress"; since: string };

/** A replay that has not finished after this long died with its worker; another may take over. */
export const REPLAY_TAKEOVER_AFTER_MS = 5 * 60 * 1000;

export const QUARANTINE_TABLE = "hrquarantine";
const PARTITION = "quarantine";

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
    /** A bulk row's number as people see it. */
    row?: number;
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
      ...(entry.source === "batch" ? { batchId: batchIdOf(entry.idempotencyKey) } : {}),
      ...(entry.row === undefined ? {} : { row: entry.row }),
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

  /**
   * One page of entries in key order (open ones, or all with `includeResolved`): at most `pageSize`, and the
   * token that continues after it. A listing never loads more than one page into memory.
   */
  async listPage(options: {
    includeResolved?: boolean;
    pageSize: number;
    continuationToken?: string;
  }): Promise<Page<QuarantineEntry>> {
    await this.ensureTable();
    const filter = options.includeResolved
      ? `PartitionKey eq '${PARTITION}'`
      : `PartitionKey eq '${PARTITION}' and status eq 'open'`;
    const { rows, continuationToken } = await readPage<QuarantineEntity>(this.#table, filter, options);
    return {
      items: rows.map(fromEntity),
      ...(continuationToken ? { continuationToken } : {}),
    };
  }

  /**
   * Takes an entry for a replay, with optimistic concurrency: of concurrent replays exactly one wins (the
   * entry's ETag changes under the others), a resolved entry is never replayed again, and the replay count
   * is incremented once per replay that runs.
   */
  async claimReplay(id: string, now: Date): Promise<ReplayClaim> {
    await this.ensureTable();
    let entity;
    try {
      entity = await this.#table.getEntity<QuarantineEntity>(PARTITION, id);
    } catch (error) {
      if (isNotFound(error)) return { kind: "not_found" };
      throw error;
    }
    if (entity.status === "resolved") {
      return { kind: "already_resolved", ...(entity.resolvedAt ? { resolvedAt: entity.resolvedAt } : {}) };
    }
    const started = entity.replayStartedAt ? Date.parse(entity.replayStartedAt) : Number.NaN;
    if (now.getTime() - started < REPLAY_TAKEOVER_AFTER_MS) {
      return { kind: "in_progress", since: entity.replayStartedAt! };
    }
    const at = now.toISOString();
    const claim = {
      partitionKey: PARTITION,
      rowKey: id,
      replayStartedAt: at,
      replayCount: entity.replayCount + 1,
      lastReplayAt: at,
    };
    try {
      const written = await this.#table.updateEntity(claim, "Merge", { etag: entity.etag });
      return {
        kind: "claimed",
        entry: fromEntity({ ...entity, ...claim }),
        etag: written.etag ?? "*",
      };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 412) return { kind: "in_progress", since: at };
      throw error;
    }
  }

  /** Ends a claimed replay: resolved, or open again with the new reason. */
  async finishReplay(
    id: string,
    etag: string,
    outcome: { resolved: boolean; reason?: string; field?: string; now: Date },
  ): Promise<void> {
    const at = outcome.now.toISOString();
    await this.#table.updateEntity(
      {
        partitionKey: PARTITION,
        rowKey: id,
        replayStartedAt: "",
        status: outcome.resolved ? "resolved" : "open",
        ...(outcome.resolved ? { resolvedAt: at } : {}),
        ...(outcome.reason === undefined ? {} : { reason: outcome.reason, field: outcome.field ?? "" }),
      },
      "Merge",
      { etag },
    );
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
  if (entity.replayStartedAt) entry.replayStartedAt = entity.replayStartedAt;
  return entry;
}
