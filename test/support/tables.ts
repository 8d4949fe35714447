import { TableClient } from "@azure/data-tables";
import type { TableClientFactory } from "../../src/storage/tables";

/** Table clients on an Azurite connection string, each test run in its own table-name space. */
export function azuriteTables(connectionString: string, suffix: string): TableClientFactory {
  return (name) =>
    TableClient.fromConnectionString(connectionString, `${name}${suffix}`, { allowInsecureConnection: true });
}

let counter = 0;
/** A table-name suffix unique within the run (table names: letters and digits only). */
export const uniqueSuffix = (): string => `t${process.pid}x${(counter += 1)}`;
