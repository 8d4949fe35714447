import { RestError, type TableClient } from "@azure/data-tables";
import { tableKey } from "./keys";

/**
 * What the product remembers about each employee it manages, beyond what Genesys holds:
 * the Genesys user, how far the HR timeline has been applied, what the mapping assigned (so a mover removes
 * only that), the snapshot taken at deactivation (inactive users lose their roles, so it is the only memory
 * a rehire or return from leave can be restored from), and a pending deletion.
 */
export interface EmployeeRecord {
  employeeKey: string;
  genesysUserId?: string;
  lastAppliedEffectiveDate?: string;
  lastAppliedEventId?: string;
  /** JSON of what the mapping assigned last time, with the mapping version. */
  assigned?: string;
  /** JSON of the assigned profile at deactivation. */
  snapshot?: string;
  deactivatedAt?: string;
  deleteAt?: string;
}

const STATE_ROW = "state";
const DEACTIVATIONS = "deactivations";
const FIELDS = [
  "genesysUserId",
  "lastAppliedEffectiveDate",
  "lastAppliedEventId",
  "assigned",
  "snapshot",
  "deactivatedAt",
  "deleteAt",
] as const;

type Patch = { [K in (typeof FIELDS)[number]]?: string | null };

/**
 * Employee state in Table Storage: one partition per employee, so each employee's single writer never
 * contends with another's; deactivations are also logged in a partition of their own for the guard's window.
 */
export class EmployeeRepository {
  constructor(private readonly table: TableClient) {}

  async get(employeeKey: string): Promise<EmployeeRecord | undefined> {
    try {
      const entity = await this.table.getEntity<Record<string, unknown>>(tableKey(employeeKey), STATE_ROW);
      const record: EmployeeRecord = { employeeKey };
      for (const field of FIELDS) {
        const value = entity[field];
        if (typeof value === "string" && value !== "") record[field] = value;
      }
      return record;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Sets the given fields; `null` clears one. Idempotent: the same patch twice leaves the same row. */
  async update(employeeKey: string, patch: Patch): Promise<void> {
    const values = Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, v ?? ""]));
    await this.table.upsertEntity(
      { partitionKey: tableKey(employeeKey), rowKey: STATE_ROW, ...values },
      "Merge",
    );
  }

  /** Logs a deactivation; the row key makes a repeated log of the same one a no-op. */
  async logDeactivation(employeeKey: string, at: string): Promise<void> {
    await this.table.upsertEntity(
      { partitionKey: DEACTIVATIONS, rowKey: `${at}|${tableKey(employeeKey)}`, employeeKey, at },
      "Replace",
    );
  }

  /** When the deactivations since `since` happened, excluding this employee's own. */
  async deactivationsSince(since: string, excludeEmployeeKey?: string): Promise<string[]> {
    const found: string[] = [];
    const filter = `PartitionKey eq '${DEACTIVATIONS}' and RowKey ge '${since}'`;
    for await (const row of this.table.listEntities<{ employeeKey: string; at: string }>({
      queryOptions: { filter },
    })) {
      if (row.employeeKey !== excludeEmployeeKey) found.push(row.at);
    }
    return found;
  }

  /** How many employees currently have an active Genesys user managed by the product. */
  async countManaged(): Promise<number> {
    let count = 0;
    for await (const row of this.table.listEntities<{ genesysUserId?: string; deactivatedAt?: string }>({
      queryOptions: { filter: `RowKey eq '${STATE_ROW}'`, select: ["genesysUserId", "deactivatedAt"] },
    })) {
      if (row.genesysUserId && !row.deactivatedAt) count++;
    }
    return count;
  }
}
