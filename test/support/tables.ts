import { TableClient } from "@azure/data-tables";
import { startAzuriteTables, type AzuriteTables } from "../../local/azurite";
import type { TableClientFactory } from "../../src/storage/tables";

/** Table clients on an Azurite connection string, each test run in its own table-name space. */
export function azuriteTables(connectionString: string, suffix: string): TableClientFactory {
  return (name) =>
    TableClient.fromConnectionString(connectionString, `${name}${suffix}`, { allowInsecureConnection: true });
}

let counter = 0;
/** A table-name suffix unique within the run (table names: letters and digits only). */
export const uniqueSuffix = (): string => `t${process.pid}x${(counter += 1)}`;

export interface AzuriteForTests {
  readonly connectionString: string;
  /** Table clients in a table-name space of their own (a fresh one on each call). */
  tables(): TableClientFactory;
  /** One table named after `name`, unique within the run; not created (repositories that create their own). */
  table(name: string): TableClient;
  /** The same, created. */
  createdTable(name: string): Promise<TableClient>;
}

/**
 * Azurite's Table service on a free port for the tests of the enclosing `describe` (or file): started before
 * them, stopped after. Use what it returns inside tests and hooks, once Azurite is up.
 */
export function useAzuriteTables(): AzuriteForTests {
  let azurite: AzuriteTables | undefined;
  beforeAll(async () => {
    azurite = await startAzuriteTables({ port: 0 });
  });
  afterAll(() => azurite?.close());
  const connectionString = (): string => {
    if (!azurite) throw new Error("Azurite is not started yet: use it inside a test or a hook");
    return azurite.connectionString;
  };
  const forTests: AzuriteForTests = {
    get connectionString() {
      return connectionString();
    },
    tables: () => azuriteTables(connectionString(), uniqueSuffix()),
    table: (name) => forTests.tables()(name),
    async createdTable(name) {
      const table = forTests.table(name);
      await table.createTable();
      return table;
    },
  };
  return forTests;
}
