import { RestError, type TableClient } from "@azure/data-tables";

/** Builds a client for one table; the composition root decides between a connection string and an identity. */
export type TableClientFactory = (tableName: string) => TableClient;

/** Creates the table unless it exists (409 from the service is success). */
export async function ensureTable(table: TableClient): Promise<void> {
  try {
    await table.createTable();
  } catch (error) {
    if (!(error instanceof RestError && error.statusCode === 409)) throw error;
  }
}

export const isConflict = (error: unknown): boolean => error instanceof RestError && error.statusCode === 409;
export const isNotFound = (error: unknown): boolean => error instanceof RestError && error.statusCode === 404;

/** Row and partition keys may not contain `/ \ # ?` or control characters; URI encoding removes all of them. */
export const encodeKey = (value: string): string =>
  encodeURIComponent(value).replace(/[\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
export const decodeKey = (value: string): string => decodeURIComponent(value);
