import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { HrEvent, HrSource } from "../lifecycle/hr-event";
import { encodeKey, ensureTable, isConflict, isNotFound, type TableClientFactory } from "./tables";

/**
 * The inbox: every accepted HR message, stored before the sender gets its 2xx.
 * - `hrmessages` keeps each raw message once (content-addressed, gzip, split into binary chunks because a Table
 *   property holds at most 64 KiB);
 * - `hrinbox` keeps one row per event, keyed by source and idempotency key. Creating that row is the duplicate
 *   check: the service refuses a second insert atomically, so two concurrent deliveries cannot both start work.
 */
/**
 * `awaiting_hr`: stored and acknowledged, its event still to be read back from HR by the employee's
 * orchestration (a thin Workday notification, a SuccessFactors event read through OData).
 */
export type InboxStatus = "received" | "awaiting_hr" | "accepted" | "quarantined" | "pending" | "done";

export interface InboxItem {
  source: HrSource;
  idempotencyKey: string;
  messageId: string;
  status: InboxStatus;
  receivedAt: string;
  updatedAt: string;
  employeeKey?: string;
  batchId?: string;
  /** A later bulk row for an employee already in the batch: the idempotency key of that first row. */
  duplicateOf?: string;
  /** A bulk row's number as people see it: the CSV line (header = line 1), or a JSON batch's item number. */
  row?: number;
  event?: HrEvent;
  reason?: string;
  field?: string;
}

export interface StoredMessage {
  raw: string;
  contentType: string;
}

/** What is known of an event when it is first received. */
export interface ClaimEntry {
  source: HrSource;
  idempotencyKey: string;
  messageId: string;
  employeeKey?: string;
  batchId?: string;
  duplicateOf?: string;
  row?: number;
  now: Date;
}

export type ClaimResult = { claimed: true; item: InboxItem } | { claimed: false; existing: InboxItem };

/**
 * A bulk row's idempotency key: the batch id and the row's position (1-based, zero-padded), so a slice of the
 * batch is one key range in storage and reading it costs only its own rows.
 */
export const batchRowKey = (batchId: string, position: number): string =>
  `${batchId}:${String(position).padStart(7, "0")}`;

/** The batch a bulk row belongs to, from its idempotency key. */
export const batchIdOf = (idempotencyKey: string): string =>
  idempotencyKey.slice(0, idempotencyKey.lastIndexOf(":"));

/** The 0-based position of a bulk row, from its idempotency key. */
export const batchRowIndex = (idempotencyKey: string): number =>
  Number(idempotencyKey.slice(idempotencyKey.lastIndexOf(":") + 1)) - 1;

const CHUNK_BYTES = 60_000;
export const INBOX_TABLE = "hrinbox";
export const MESSAGES_TABLE = "hrmessages";

interface InboxEntity {
  partitionKey: string;
  rowKey: string;
  idempotencyKey: string;
  messageId: string;
  status: InboxStatus;
  receivedAt: string;
  updatedAt: string;
  employeeKey?: string;
  batchId?: string;
  duplicateOf?: string;
  row?: number;
  event?: string;
  reason?: string;
  field?: string;
}

export class InboxRepository {
  readonly #items: TableClient;
  readonly #messages: TableClient;
  #ready: Promise<void> | undefined;

  constructor(tables: TableClientFactory) {
    this.#items = tables(INBOX_TABLE);
    this.#messages = tables(MESSAGES_TABLE);
  }

  /** Creates the tables on first use (not at start-up, so a cold start never waits on storage). */
  ensureTables(): Promise<void> {
    this.#ready ??= Promise.all([ensureTable(this.#items), ensureTable(this.#messages)]).then(
      () => undefined,
      (error: unknown) => {
        this.#ready = undefined;
        throw error;
      },
    );
    return this.#ready;
  }

  /** Stores a raw message once and returns its id (its SHA-256); storing the same bytes again is a no-op. */
  async storeMessage(raw: string, contentType: string): Promise<string> {
    await this.ensureTables();
    const messageId = createHash("sha256").update(raw, "utf8").digest("hex");
    const packed = gzipSync(Buffer.from(raw, "utf8"));
    const actions: TransactionAction[] = [];
    let chunks = 0;
    for (let offset = 0; offset < packed.length || chunks === 0; offset += CHUNK_BYTES) {
      const data = new Uint8Array(packed.subarray(offset, offset + CHUNK_BYTES));
      actions.push([
        "upsert",
        { partitionKey: messageId, rowKey: `chunk-${String(chunks).padStart(4, "0")}`, data },
        "Replace",
      ]);
      chunks += 1;
    }
    actions.push([
      "upsert",
      { partitionKey: messageId, rowKey: "meta", contentType, chunks, bytes: raw.length },
      "Replace",
    ]);
    await this.#messages.submitTransaction(actions);
    return messageId;
  }

  async readMessage(messageId: string): Promise<StoredMessage | undefined> {
    await this.ensureTables();
    let meta;
    try {
      meta = await this.#messages.getEntity<{ contentType: string; chunks: number }>(messageId, "meta");
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const parts: Buffer[] = [];
    for (let i = 0; i < meta.chunks; i += 1) {
      const chunk = await this.#messages.getEntity<{ data: Uint8Array }>(
        messageId,
        `chunk-${String(i).padStart(4, "0")}`,
      );
      parts.push(Buffer.from(chunk.data));
    }
    return { raw: gunzipSync(Buffer.concat(parts)).toString("utf8"), contentType: meta.contentType };
  }

  /**
   * Records that an event was received. Returns the existing row instead when the same source and idempotency
   * key were seen before: that delivery is a duplicate and must start nothing.
   */
  async claim(entry: ClaimEntry): Promise<ClaimResult> {
    await this.ensureTables();
    const entity = receivedEntity(entry);
    try {
      await this.#items.createEntity(entity);
      return { claimed: true, item: fromEntity(entity) };
    } catch (error) {
      if (!isConflict(error)) throw error;
      const existing = await this.get(entry.source, entry.idempotencyKey);
      if (!existing) throw error;
      return { claimed: false, existing };
    }
  }

  /**
   * Claims up to 100 events of one source that need no HR callback, already accepted with their event, in one
   * transaction: every row is new and all are written, or none is. Returns false when one was seen before (the
   * caller then claims them one by one, to tell the duplicates apart); a bulk batch's rows cost a write per
   * hundred instead of two per row.
   */
  async claimAccepted(entries: Array<ClaimEntry & { event: HrEvent }>): Promise<boolean> {
    if (entries.length === 0) return true;
    if (entries.length > 100 || new Set(entries.map((e) => e.source)).size > 1)
      throw new RangeError("claimAccepted takes at most 100 events of one source");
    await this.ensureTables();
    const entities = entries.map((entry) => ({
      ...receivedEntity(entry),
      status: "accepted" as const,
      event: JSON.stringify(entry.event),
      employeeKey: entry.event.worker.employeeId,
    }));
    try {
      if (entities.length === 1) await this.#items.createEntity(entities[0]);
      else await this.#items.submitTransaction(entities.map((e): TransactionAction => ["create", e]));
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  async get(source: HrSource, idempotencyKey: string): Promise<InboxItem | undefined> {
    await this.ensureTables();
    try {
      return fromEntity(await this.#items.getEntity<InboxEntity>(source, encodeKey(idempotencyKey)));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Moves an item to its next state; `event`/`reason` replace what was there. */
  async update(
    source: HrSource,
    idempotencyKey: string,
    change: {
      status: InboxStatus;
      now: Date;
      event?: HrEvent;
      employeeKey?: string;
      reason?: string;
      field?: string;
    },
  ): Promise<void> {
    await this.ensureTables();
    await this.#items.updateEntity(
      {
        partitionKey: source,
        rowKey: encodeKey(idempotencyKey),
        status: change.status,
        updatedAt: change.now.toISOString(),
        ...(change.event === undefined ? {} : { event: JSON.stringify(change.event) }),
        reason: change.reason ?? "",
        field: change.field ?? "",
        ...(change.employeeKey === undefined ? {} : { employeeKey: change.employeeKey }),
      },
      "Merge",
    );
  }

  /**
   * The rows of one bulk batch in row order: all of them, or positions `from` (inclusive) to `to` (exclusive,
   * 0-based). Row keys are `<batch id>:<position, zero-padded>`, so either is one key range of the partition
   * and a slice costs only its own rows.
   */
  async listBatch(batchId: string, range?: { from: number; to: number }): Promise<InboxItem[]> {
    await this.ensureTables();
    const items: InboxItem[] = [];
    const quote = (key: string) => encodeKey(key).replace(/'/g, "''");
    const prefix = quote(`${batchId}:`);
    const [first, end] = range
      ? [quote(batchRowKey(batchId, range.from + 1)), quote(batchRowKey(batchId, range.to + 1))]
      : [prefix, prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)];
    const filter = `PartitionKey eq 'batch' and RowKey ge '${first}' and RowKey lt '${end}'`;
    for await (const entity of this.#items.listEntities<InboxEntity>({ queryOptions: { filter } })) {
      items.push(fromEntity(entity));
    }
    return items;
  }
}

function receivedEntity(entry: ClaimEntry): InboxEntity {
  const at = entry.now.toISOString();
  return {
    partitionKey: entry.source,
    rowKey: encodeKey(entry.idempotencyKey),
    idempotencyKey: entry.idempotencyKey,
    messageId: entry.messageId,
    status: "received",
    receivedAt: at,
    updatedAt: at,
    ...(entry.employeeKey === undefined ? {} : { employeeKey: entry.employeeKey }),
    ...(entry.batchId === undefined ? {} : { batchId: entry.batchId }),
    ...(entry.duplicateOf === undefined ? {} : { duplicateOf: entry.duplicateOf }),
    ...(entry.row === undefined ? {} : { row: entry.row }),
  };
}

function fromEntity(entity: InboxEntity): InboxItem {
  const item: InboxItem = {
    source: entity.partitionKey as HrSource,
    idempotencyKey: entity.idempotencyKey,
    messageId: entity.messageId,
    status: entity.status,
    receivedAt: entity.receivedAt,
    updatedAt: entity.updatedAt,
  };
  if (entity.employeeKey) item.employeeKey = entity.employeeKey;
  if (entity.batchId) item.batchId = entity.batchId;
  if (entity.duplicateOf) item.duplicateOf = entity.duplicateOf;
  if (typeof entity.row === "number") item.row = entity.row;
  // Stored only after it passed the schema; not checked again, so a rule added later never hides an old event.
  if (entity.event) item.event = JSON.parse(entity.event) as HrEvent;
  if (entity.reason) item.reason = entity.reason;
  if (entity.field) item.field = entity.field;
  return item;
}
