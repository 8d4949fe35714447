import { RestError, type TableEntity, type TransactionAction } from "@azure/data-tables";
import { decodeKey, encodeKey, newestFirst, readPage } from "./tables";
import { TableRepository } from "./table-repository";

/**
 * Reconciliation runs in Table Storage: each run's summary (partition `runs`, twice: by id, and by start
 * time newest first for the list), what the run read and found (a partition per run), and, per HR source,
 * where the last successful run's window ended (`watermarks`). A run's reads are working data: they are
 * deleted when the run ends; its summary and findings stay.
 */

const RUNS = "runs";
/** The listing row of a run (`|` is never part of a run id, so no key by id starts with `at|`). */
const NEWEST_FIRST = (startedAt: string, id: string) => `at|${newestFirst(startedAt)}|${encodeKey(id)}`;
const CURRENT = "current";
const WATERMARKS = "watermarks";
/** Table Storage keeps a string property to 64 KiB (32 K UTF-16 characters), an entity to 1 MiB. */
const CHARACTERS_PER_PROPERTY = 30_000;
const PROPERTIES_PER_ROW = 15;
const CHARACTERS_PER_ROW = CHARACTERS_PER_PROPERTY * PROPERTIES_PER_ROW;
/** A transaction takes at most 100 operations, all in one partition. */
const ROWS_PER_TRANSACTION = 100;

export interface RunRecord<S = unknown> {
  id: string;
  status: "running" | "completed" | "failed";
  summary: S;
}

export interface Watermark {
  /** The end of the window the last successful run read. */
  through: string;
  runId: string;
}

/** One thing a run found, stored under `kind` and a key unique within the run. */
export interface StoredFinding<F = unknown> {
  kind: string;
  key: string;
  finding: F;
}

const quoted = (value: string) => value.replace(/'/g, "''");
/** The rows of a partition whose key starts with `prefix`: from it up to the same text with its last letter next. */
function prefixFilter(partition: string, prefix: string): string {
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return `PartitionKey eq '${quoted(partition)}' and RowKey ge '${quoted(prefix)}' and RowKey lt '${quoted(end)}'`;
}

export class ReconciliationRepository extends TableRepository {
  /**
   * Stores a run's summary (a new run, or a new state of one): its row by id and its listing row, in one
   * transaction, so the list never shows a state the run's own address does not.
   */
  async saveRun<S extends { startedAt: string }>(run: RunRecord<S>): Promise<void> {
    await this.ready();
    const properties = { status: run.status, ...spread(JSON.stringify(run.summary)) };
    await this.table.submitTransaction(
      [encodeKey(run.id), NEWEST_FIRST(run.summary.startedAt, run.id)].map((rowKey): TransactionAction => [
        "upsert",
        { partitionKey: RUNS, rowKey, ...properties },
        "Replace",
      ]),
    );
  }

  /** One page of the runs, newest first, and the token for the next page while there is one. */
  async listRuns<S>(options: {
    pageSize: number;
    continuationToken?: string;
  }): Promise<{ items: RunRecord<S>[]; continuationToken?: string }> {
    await this.ready();
    const filter = `PartitionKey eq '${RUNS}' and RowKey ge 'at|' and RowKey lt 'at}'`;
    const { rows, continuationToken } = await readPage<Record<string, unknown>>(this.table, filter, options);
    return {
      items: rows.map((row) => ({
        id: decodeKey((row.rowKey as string).split("|")[2]),
        status: row.status as RunRecord["status"],
        summary: JSON.parse(gather(row)) as S,
      })),
      ...(continuationToken ? { continuationToken } : {}),
    };
  }

  async getRun<S>(id: string): Promise<RunRecord<S> | undefined> {
    await this.ready();
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(RUNS, encodeKey(id));
      return { id, status: row.status as RunRecord["status"], summary: JSON.parse(gather(row)) as S };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Marks `id` as the run in progress; answers the run that already was, if any is still running. */
  async claimCurrent(id: string): Promise<string | undefined> {
    await this.ready();
    try {
      const row = await this.table.getEntity<{ runId: string }>(RUNS, CURRENT);
      const running = await this.getRun(row.runId);
      if (running?.status === "running" && row.runId !== id) return row.runId;
      await this.table.updateEntity({ partitionKey: RUNS, rowKey: CURRENT, runId: id }, "Replace", {
        etag: row.etag,
      });
      return undefined;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) {
        try {
          await this.table.createEntity({ partitionKey: RUNS, rowKey: CURRENT, runId: id });
          return undefined;
        } catch (created) {
          if (created instanceof RestError && created.statusCode === 409) return this.claimCurrent(id);
          throw created;
        }
      }
      // Someone else claimed it between the read and the write: theirs is the run in progress.
      if (error instanceof RestError && error.statusCode === 412) {
        return (await this.table.getEntity<{ runId: string }>(RUNS, CURRENT)).runId;
      }
      throw error;
    }
  }

  async watermark(source: string): Promise<Watermark | undefined> {
    await this.ready();
    try {
      const row = await this.table.getEntity<Watermark>(WATERMARKS, encodeKey(source));
      return { through: row.through, runId: row.runId };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  async setWatermark(source: string, watermark: Watermark): Promise<void> {
    await this.ready();
    await this.table.upsertEntity(
      { partitionKey: WATERMARKS, rowKey: encodeKey(source), ...watermark },
      "Replace",
    );
  }

  /** Stores a piece of a run's working data (a page it read) as JSON; writing it again replaces it. */
  async saveData(runId: string, key: string, value: unknown): Promise<void> {
    await this.ready();
    const text = JSON.stringify(value);
    const rows: TableEntity[] = [];
    for (let at = 0, part = 0; at < text.length || part === 0; at += CHARACTERS_PER_ROW, part++) {
      rows.push({
        partitionKey: encodeKey(runId),
        rowKey: `data|${encodeKey(key)}|${String(part).padStart(4, "0")}`,
        ...spread(text.slice(at, at + CHARACTERS_PER_ROW)),
      });
    }
    await this.#write(rows);
  }

  /** Every piece of working data stored under keys starting with `prefix`, by key. */
  async loadData<T>(runId: string, prefix = ""): Promise<Map<string, T>> {
    await this.ready();
    const parts = new Map<string, string[]>();
    const filter = prefixFilter(encodeKey(runId), `data|${encodeKey(prefix)}`);
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const rowKey = row.rowKey as string;
      const key = decodeKey(rowKey.slice("data|".length, rowKey.lastIndexOf("|")));
      parts.set(key, [...(parts.get(key) ?? []), gather(row)]);
    }
    return new Map([...parts].map(([key, texts]) => [key, JSON.parse(texts.join("")) as T]));
  }

  /** Deletes a run's working data once the run no longer needs it. */
  async deleteData(runId: string): Promise<void> {
    await this.ready();
    const filter = prefixFilter(encodeKey(runId), "data|");
    const keys: { partitionKey: string; rowKey: string }[] = [];
    for await (const row of this.table.listEntities({ queryOptions: { filter, select: ["RowKey"] } }))
      keys.push({ partitionKey: encodeKey(runId), rowKey: row.rowKey as string });
    for (let i = 0; i < keys.length; i += ROWS_PER_TRANSACTION) {
      await this.table.submitTransaction(
        keys.slice(i, i + ROWS_PER_TRANSACTION).map((k): TransactionAction => ["delete", k]),
      );
    }
  }

  /** Stores what a run found; the same finding stored again replaces the first. */
  async saveFindings<F>(runId: string, findings: readonly StoredFinding<F>[]): Promise<void> {
    await this.ready();
    await this.#write(
      findings.map((f) => ({
        partitionKey: encodeKey(runId),
        rowKey: `finding|${f.kind}|${encodeKey(f.key)}`,
        ...spread(JSON.stringify(f.finding)),
      })),
    );
  }

  /** A run's findings of one kind (or all), in key order. */
  async listFindings<F>(runId: string, kind?: string): Promise<StoredFinding<F>[]> {
    await this.ready();
    const found: StoredFinding<F>[] = [];
    const filter = prefixFilter(encodeKey(runId), kind === undefined ? "finding|" : `finding|${kind}|`);
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      found.push(toFinding<F>(row));
    }
    return found;
  }

  /** One page of a run's findings in key order, and the token for the next page while there is one. */
  async findingsPage<F>(
    runId: string,
    options: { pageSize: number; continuationToken?: string },
  ): Promise<{ items: StoredFinding<F>[]; continuationToken?: string }> {
    await this.ready();
    const filter = prefixFilter(encodeKey(runId), "finding|");
    const { rows, continuationToken } = await readPage<Record<string, unknown>>(this.table, filter, options);
    return {
      items: rows.map((row) => toFinding<F>(row)),
      ...(continuationToken ? { continuationToken } : {}),
    };
  }

  /** Upserts rows of one partition, a transaction of up to 100 at a time. */
  async #write(rows: TableEntity[]): Promise<void> {
    for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) {
      const slice = rows.slice(i, i + ROWS_PER_TRANSACTION);
      if (slice.length === 1) await this.table.upsertEntity(slice[0], "Replace");
      else
        await this.table.submitTransaction(slice.map((row): TransactionAction => ["upsert", row, "Replace"]));
    }
  }
}

/** A text as properties `d00`…, each within Table Storage's limit. */
function spread(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (let i = 0; i * CHARACTERS_PER_PROPERTY < text.length || i === 0; i++) {
    if (i >= PROPERTIES_PER_ROW)
      throw new RangeError("a reconciliation row holds at most 450,000 characters");
    properties[`d${String(i).padStart(2, "0")}`] = text.slice(
      i * CHARACTERS_PER_PROPERTY,
      (i + 1) * CHARACTERS_PER_PROPERTY,
    );
  }
  return properties;
}

/** The text `spread` wrote, from a row read back. */
function gather(row: Record<string, unknown>): string {
  return Object.keys(row)
    .filter((name) => /^d\d\d$/.test(name))
    .sort()
    .map((name) => String(row[name]))
    .join("");
}

function toFinding<F>(row: Record<string, unknown>): StoredFinding<F> {
  const [, kind, key] = (row.rowKey as string).split("|");
  return { kind, key: decodeKey(key), finding: JSON.parse(gather(row)) as F };
}
