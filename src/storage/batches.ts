import { RestError } from "@azure/data-tables";
import { encodeKey, newestFirst, readPage } from "./tables";
import { TableRepository } from "./table-repository";

/** One hire's line in a batch's final report. */
export interface BatchReportRow {
  /** Where the row sits in the batch (0-based): the report's order, and how slices address it. */
  position: number;
  /** The row number people see: the CSV line (header = line 1), or a JSON batch's item number. */
  row: number;
  employeeKey: string;
  /** pending, created, restored, updated, unchanged or failed. */
  state: string;
  summary: string;
  userId?: string;
}

export interface BatchSummary {
  batchId: string;
  status: "running" | "completed";
  totals?: Record<string, number>;
  reason?: string;
  completedAt?: string;
}

/** A batch as submitted: what the list of batches shows before anything about its progress. */
export interface BatchEntry {
  id: string;
  rows: number;
  /** The verified caller (or the integration) that submitted it. */
  submittedBy: string;
  submittedAt: string;
}

const SUMMARY = "summary";
/**
 * The index of batches, in a partition of its own (`~` is never part of a batch id): one row per batch keyed by
 * id, and one keyed by the inverted submission time, so a listing reads newest first, a page at a time.
 */
const INDEX = "~batches";
const BY_ID = (id: string) => `id|${encodeKey(id)}`;
const NEWEST_FIRST = (entry: BatchEntry) => `at|${newestFirst(entry.submittedAt)}|${encodeKey(entry.id)}`;
const UNCONFIRMED = "unconfirmed|";

/** What a batch checks per queue or per division for the users it created. */
export type Unconfirmed = "queues" | "grants";
const ROW = (position: number) => `row|${String(position).padStart(7, "0")}`;

/**
 * A bulk batch's per-hire report and final summary in Table Storage: one partition per batch; and the index of
 * every batch submitted, for the list.
 */
export class BatchRepository extends TableRepository {
  /**
   * Adds a batch to the index. A batch submitted again (same content, same id) keeps its first submission: the
   * row by id is created once, and the listing row is written from it, so a retried call converges.
   */
  async register(entry: BatchEntry): Promise<BatchEntry> {
    await this.ready();
    let first = entry;
    try {
      await this.table.createEntity({ partitionKey: INDEX, rowKey: BY_ID(entry.id), ...entry });
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 409)) throw error;
      first = toEntry(await this.table.getEntity<BatchEntry>(INDEX, BY_ID(entry.id)));
    }
    await this.table.upsertEntity({ partitionKey: INDEX, rowKey: NEWEST_FIRST(first), ...first }, "Replace");
    return first;
  }

  /** One page of the batches submitted, newest first, and the token for the next page while there is one. */
  async listBatches(options: {
    pageSize: number;
    continuationToken?: string;
  }): Promise<{ items: BatchEntry[]; continuationToken?: string }> {
    await this.ready();
    const filter = `PartitionKey eq '${INDEX}' and RowKey ge 'at|' and RowKey lt 'at}'`;
    const { rows, continuationToken } = await readPage<BatchEntry>(this.table, filter, options);
    return {
      items: rows.map(toEntry),
      ...(continuationToken ? { continuationToken } : {}),
    };
  }

  /** Writes (or rewrites) one hire's line; writing the same line twice is harmless. */
  async recordRow(batchId: string, row: BatchReportRow): Promise<void> {
    await this.ready();
    await this.table.upsertEntity(
      { partitionKey: encodeKey(batchId), rowKey: ROW(row.position), ...row },
      "Replace",
    );
  }

  /** The report's rows in order: all of them, or positions `from` (inclusive) to `to` (exclusive). */
  async listRows(batchId: string, range?: { from: number; to: number }): Promise<BatchReportRow[]> {
    await this.ready();
    const rows: BatchReportRow[] = [];
    const [first, end] = range ? [ROW(range.from), ROW(range.to)] : ["row|", "row}"];
    const filter = `PartitionKey eq '${encodeKey(batchId).replace(/'/g, "''")}' and RowKey ge '${first}' and RowKey lt '${end}'`;
    for await (const e of this.table.listEntities<BatchReportRow>({ queryOptions: { filter } })) {
      rows.push(toReportRow(e));
    }
    return rows.sort((a, b) => a.position - b.position);
  }

  /** One page of the report's lines in row order, and the token for the next page while there is one. */
  async listRowsPage(
    batchId: string,
    options: { pageSize: number; continuationToken?: string },
  ): Promise<{ items: BatchReportRow[]; continuationToken?: string }> {
    await this.ready();
    const filter = `PartitionKey eq '${encodeKey(batchId).replace(/'/g, "''")}' and RowKey ge 'row|' and RowKey lt 'row}'`;
    const { rows, continuationToken } = await readPage<BatchReportRow>(this.table, filter, options);
    return {
      items: rows.map(toReportRow),
      ...(continuationToken ? { continuationToken } : {}),
    };
  }

  /** Moves one row to a new state (a retried row is pending again), keeping what else it says. */
  async setRowState(
    batchId: string,
    position: number,
    change: { state: string; summary: string },
  ): Promise<void> {
    await this.ready();
    await this.table.upsertEntity(
      { partitionKey: encodeKey(batchId), rowKey: ROW(position), ...change },
      "Merge",
    );
  }

  /** Every row's state, for the totals: one listing that reads nothing else. */
  async countStates(batchId: string): Promise<string[]> {
    await this.ready();
    const filter = `PartitionKey eq '${encodeKey(batchId).replace(/'/g, "''")}' and RowKey ge 'row|' and RowKey lt 'row}'`;
    const states: string[] = [];
    for await (const e of this.table.listEntities<{ state: string }>({
      queryOptions: { filter, select: ["state"] },
    }))
      states.push(e.state);
    return states;
  }

  /**
   * Notes a new user whose queues or grants the batch's per-queue or per-division check did not confirm: its
   * read-back reads them user by user instead.
   */
  async recordUnconfirmed(batchId: string, what: Unconfirmed, userId: string): Promise<void> {
    await this.ready();
    await this.table.upsertEntity(
      { partitionKey: encodeKey(batchId), rowKey: `${UNCONFIRMED}${what}|${encodeKey(userId)}`, userId },
      "Replace",
    );
  }

  async listUnconfirmed(batchId: string, what: Unconfirmed): Promise<Set<string>> {
    await this.ready();
    const users = new Set<string>();
    const filter = `PartitionKey eq '${encodeKey(batchId).replace(/'/g, "''")}' and RowKey ge '${UNCONFIRMED}${what}|' and RowKey lt '${UNCONFIRMED}${what}}'`;
    for await (const e of this.table.listEntities<{ userId: string }>({ queryOptions: { filter } }))
      users.add(e.userId);
    return users;
  }

  async complete(
    batchId: string,
    totals: Record<string, number>,
    reason: string | undefined,
    at: Date,
  ): Promise<void> {
    await this.ready();
    await this.table.upsertEntity(
      {
        partitionKey: encodeKey(batchId),
        rowKey: SUMMARY,
        batchId,
        status: "completed",
        totals: JSON.stringify(totals),
        reason: reason ?? "",
        completedAt: at.toISOString(),
      },
      "Replace",
    );
  }

  async getSummary(batchId: string): Promise<BatchSummary | undefined> {
    await this.ready();
    try {
      const e = await this.table.getEntity<{
        status: "completed";
        totals: string;
        reason: string;
        completedAt: string;
      }>(encodeKey(batchId), SUMMARY);
      return {
        batchId,
        status: e.status,
        totals: JSON.parse(e.totals) as Record<string, number>,
        ...(e.reason ? { reason: e.reason } : {}),
        completedAt: e.completedAt,
      };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }
}

const toEntry = (e: BatchEntry): BatchEntry => ({
  id: e.id,
  rows: e.rows,
  submittedBy: e.submittedBy,
  submittedAt: e.submittedAt,
});

const toReportRow = (e: BatchReportRow): BatchReportRow => ({
  position: e.position,
  row: e.row,
  employeeKey: e.employeeKey,
  state: e.state,
  summary: e.summary,
  ...(e.userId ? { userId: e.userId } : {}),
});

/** A report row as callers see it: the row number, not where it is stored. */
export const publicRow = ({
  position: _position,
  ...row
}: BatchReportRow): Omit<BatchReportRow, "position"> => row;

/** What makes a spreadsheet read a cell as a formula: `=`, `+`, `-`, `@`, or a leading tab or carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell, safe to open in a spreadsheet (OWASP's CSV injection advice): a value a spreadsheet would
 * evaluate gets a leading single quote, which spreadsheets show as text; then RFC 4180 quoting.
 */
export function csvCell(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) || text !== value ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The final report as CSV, for admins who live in Excel. */
export function batchReportCsv(rows: readonly BatchReportRow[]): string {
  const lines = rows.map((r) =>
    [String(r.row), r.employeeKey, r.state, r.userId ?? "", r.summary].map(csvCell).join(","),
  );
  return ["row,employeeId,state,genesysUserId,summary", ...lines].join("\r\n") + "\r\n";
}
