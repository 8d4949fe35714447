import type { TableClient } from "@azure/data-tables";
import { ensureTable } from "./tables";

/**
 * A repository over one table that creates the table on first use, not at start-up, so a cold start never
 * waits on storage and tests need no set-up step.
 */
export abstract class TableRepository {
  #ready: Promise<void> | undefined;

  constructor(protected readonly table: TableClient) {}

  protected ready(): Promise<void> {
    this.#ready ??= ensureTable(this.table).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }
}
