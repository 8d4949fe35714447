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

/** Row and partition keys may not contain `/ \ # ?` or control characters; URI encoding escapes all of them. */
export const encodeKey = (value: string): string => encodeURIComponent(value);
export const decodeKey = (value: string): string => decodeURIComponent(value);

/** Year 2286 in milliseconds: subtracting a time from it sorts later times first. */
const LATEST_TIME = 9_999_999_999_999;

/** A key part that sorts an ISO time newest first (Table Storage lists rows in ascending key order only). */
export const newestFirst = (iso: string): string => String(LATEST_TIME - Date.parse(iso)).padStart(13, "0");

/** The options of a list route's page: how many rows, and where the previous page left off. */
export interface PageRequest {
  pageSize: number;
  continuationToken?: string;
}

/** One page of the rows `filter` selects, and the token for the next page while there is one. */
export async function readPage<T extends object>(
  table: TableClient,
  filter: string,
  { pageSize, continuationToken }: PageRequest,
): Promise<{ rows: T[]; continuationToken?: string }> {
  const pages = table.listEntities<T>({ queryOptions: { filter } }).byPage({
    maxPageSize: pageSize,
    ...(continuationToken ? { continuationToken } : {}),
  });
  const first = await pages.next();
  const page = (first.done ? [] : first.value) as T[] & { continuationToken?: string };
  return {
    rows: [...page],
    ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
  };
}
