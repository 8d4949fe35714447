import { randomUUID } from "node:crypto";
import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { HrSource } from "../lifecycle/hr-event";
import { ensureTable, isNotFound, type TableClientFactory } from "./tables";
import type { StoredMessage } from "./inbox";

/**
 * The intake journal (`hrjournal`): HR messages stored as they came, before the sender gets its 2xx, and taken
 * into the inbox after the answer. It is one partition, so that the messages of a burst can share transactions
 * (group commits). A row is removed once the inbox holds its message.
 */
export const JOURNAL_TABLE = "hrjournal";
const PARTITION = "received";

/**
 * The largest message the journal holds, in UTF-16 code units: one Table string property holds 64 KiB. A thin
 * notification is a few kilobytes; anything larger goes into the inbox before its answer.
 */
export const JOURNAL_MAX_CHARS = 30_000;

/** Rows per transaction, and the payload one may carry (the service's limits are 100 and 4 MiB). */
export const JOURNAL_ROWS_PER_WRITE = 100;
export const JOURNAL_CHARS_PER_WRITE = 1_500_000;

export interface JournalEntry {
  /** Orders the journal by arrival: the receipt time, then a random part. */
  id: string;
  source: HrSource;
  message: StoredMessage;
  receivedAt: string;
  /** Whom the message is about: one employee's messages are taken in one after another, in arrival order. */
  employeeKeys: string[];
}

type JournalEntity = {
  partitionKey: string;
  rowKey: string;
  source: HrSource;
  contentType: string;
  raw: string;
  receivedAt: string;
  /** JSON array. */
  employeeKeys: string;
};

/** A new entry's id: sorts by receipt time, unique across instances. */
export const journalEntryId = (receivedAt: Date): string => `${receivedAt.toISOString()}_${randomUUID()}`;

export class IntakeJournal {
  readonly #table: TableClient;
  #ready: Promise<void> | undefined;

  constructor(tables: TableClientFactory) {
    this.#table = tables(JOURNAL_TABLE);
  }

  #ensureTable(): Promise<void> {
    this.#ready ??= ensureTable(this.#table).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /**
   * Stores the entries in one write: all of them, or none. One entry is a plain insert, which costs the client
   * far less than a transaction of one.
   */
  async write(entries: JournalEntry[]): Promise<void> {
    await this.#ensureTable();
    const rows = entries.map((entry): JournalEntity => ({
      partitionKey: PARTITION,
      rowKey: entry.id,
      source: entry.source,
      contentType: entry.message.contentType,
      raw: entry.message.raw,
      receivedAt: entry.receivedAt,
      employeeKeys: JSON.stringify(entry.employeeKeys),
    }));
    if (rows.length === 1) await this.#table.createEntity(rows[0]);
    else await this.#table.submitTransaction(rows.map((row): TransactionAction => ["create", row]));
  }

  /** Removes entries taken into the inbox; one already removed (by another instance's sweep) is not an error. */
  async remove(ids: string[]): Promise<void> {
    await this.#ensureTable();
    for (let start = 0; start < ids.length; start += JOURNAL_ROWS_PER_WRITE) {
      const chunk = ids.slice(start, start + JOURNAL_ROWS_PER_WRITE);
      try {
        await this.#table.submitTransaction(
          chunk.map((id) => ["delete", { partitionKey: PARTITION, rowKey: id }]),
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
        for (const id of chunk) {
          await this.#table.deleteEntity(PARTITION, id).catch((e: unknown) => {
            if (!isNotFound(e)) throw e;
          });
        }
      }
    }
  }

  /** The oldest entries received before `before`, at most `limit`: those whose taking-in never finished. */
  async receivedBefore(before: Date, limit: number): Promise<JournalEntry[]> {
    await this.#ensureTable();
    const filter = `PartitionKey eq '${PARTITION}' and RowKey lt '${before.toISOString()}'`;
    const entries: JournalEntry[] = [];
    for await (const row of this.#table.listEntities<JournalEntity>({ queryOptions: { filter } })) {
      entries.push({
        id: row.rowKey,
        source: row.source,
        message: { raw: row.raw, contentType: row.contentType },
        receivedAt: row.receivedAt,
        employeeKeys: JSON.parse(row.employeeKeys) as string[],
      });
      if (entries.length >= limit) break;
    }
    return entries;
  }
}
