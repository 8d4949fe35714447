import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { TableClient, TransactionAction } from "@azure/data-tables";
import { HrEventSchema, type HrEvent, type HrSource } from "../lifecycle/hr-event";
import { encodeKey, ensureTable, isConflict, isNotFound, type TableClientFactory } from "./tables";

/**
 * The inbox: every accepted HR message, stored before the sender gets its 2xx.
 * - `hrmessages` keeps each raw message once (content-addressed, gzip, split into binary chunks because a Table
 *   property holds at most 64 KiB);
 * - `hrinbox` keeps one row per event, keyed by source and idempotency key. Creating that row is the duplicate
 *   check: the service refuses a second insert atomically, so two concurrent deliveries cannot both start work.
 */
export type InboxStatus = "received" | "accepted" | "quarantined" | "pending" | "done";

export interface InboxItem {
  source: HrSource;
  idempotencyKey: string;
  messageId: string;
  status: InboxStatus;
  receivedAt: string;
  updatedAt: string;
  employeeKey?: string;
  batchId?: string;
  event?: HrEvent;
  reason?: string;
  field?: string;
}

export interface StoredMessage {
  raw: string;
  contentType: string;
}

export type ClaimResult = { claimed: true; item: InboxItem } | { claimed: false; existing: InboxItem };

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
  async claim(entry: {
    source: HrSource;
    idempotencyKey: string;
    messageId: string;
    employeeKey?: string;
    batchId?: string;
    now: Date;
  }): Promise<ClaimResult> {
    await this.ensureTables();
    const at = entry.now.toISOString();
    const entity: InboxEntity = {
      partitionKey: entry.source,
      rowKey: encodeKey(entry.idempotencyKey),
      idempotencyKey: entry.idempotencyKey,
      messageId: entry.messageId,
      status: "received",
      receivedAt: at,
      updatedAt: at,
      ...(entry.employeeKey === undefined ? {} : { employeeKey: entry.employeeKey }),
      ...(entry.batchId === undefined ? {} : { batchId: entry.batchId }),
    };
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

  /** Every row of one bulk batch, in row order. */
  async listBatch(batchId: string): Promise<InboxItem[]> {
    await this.ensureTables();
    const items: InboxItem[] = [];
    // Row keys are `<batch id>:<row>` encoded, so the batch's rows are one key range of the partition.
    const prefix = encodeKey(`${batchId}:`).replace(/'/g, "''");
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    const filter = `PartitionKey eq 'batch' and RowKey ge '${prefix}' and RowKey lt '${end}'`;
    for await (const entity of this.#items.listEntities<InboxEntity>({ queryOptions: { filter } })) {
      items.push(fromEntity(entity));
    }
    return items;
  }
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
  if (entity.event) item.event = HrEventSchema.parse(JSON.parse(entity.event));
  if (entity.reason) item.reason = entity.reason;
  if (entity.field) item.field = entity.field;
  return item;
}
