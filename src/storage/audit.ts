import { encodeKey } from "./tables";
import { TableRepository } from "./table-repository";

/**
 * One line of an employee's story: a Genesys write (operation, before/after, correlation id) or a lifecycle
 * step ("interactions handed over to the supervisor"), always with the HR event and mapping version behind it.
 */
export interface AuditEntry {
  employeeKey: string;
  at: string;
  eventId?: string;
  mappingVersion?: number;
  /** `createUser`, `addQueueMembers`, … for a Genesys write; a lifecycle step name otherwise. */
  operation: string;
  summary?: string;
  targetIds?: Record<string, string | string[]>;
  correlationId?: string;
  before?: unknown;
  after?: unknown;
}

interface AuditEntity {
  partitionKey: string;
  rowKey: string;
  entry: string;
}

/** The audit trail in Table Storage: a partition per employee, rows in time order. */
export class AuditRepository extends TableRepository {
  #sequence = 0;

  async append(entry: AuditEntry): Promise<void> {
    await this.ready();
    // Same-millisecond entries keep their order through a per-process sequence number.
    const rowKey = `${entry.at}|${String(process.pid).padStart(7, "0")}|${String(++this.#sequence).padStart(9, "0")}`;
    await this.table.createEntity<AuditEntity>({
      partitionKey: encodeKey(entry.employeeKey),
      rowKey,
      entry: JSON.stringify(entry),
    });
  }

  /**
   * Writes an entry that must appear once however often it is written: its row key is `id`, so a retried
   * write replaces the first.
   */
  async record(id: string, entry: AuditEntry): Promise<void> {
    await this.ready();
    await this.table.upsertEntity<AuditEntity>(
      { partitionKey: encodeKey(entry.employeeKey), rowKey: encodeKey(id), entry: JSON.stringify(entry) },
      "Replace",
    );
  }

  /** An employee's whole story, oldest first. */
  async list(employeeKey: string): Promise<AuditEntry[]> {
    await this.ready();
    const entries: AuditEntry[] = [];
    for await (const row of this.table.listEntities<AuditEntity>({
      queryOptions: { filter: `PartitionKey eq '${encodeKey(employeeKey).replace(/'/g, "''")}'` },
    })) {
      entries.push(JSON.parse(row.entry) as AuditEntry);
    }
    // Row keys of appended entries are in time order; recorded entries are keyed by what they record.
    return entries.sort((a, b) => a.at.localeCompare(b.at));
  }
}
