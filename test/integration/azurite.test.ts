import { TableClient } from "@azure/data-tables";
import { startAzuriteTables, type AzuriteTables } from "../../local/azurite";

// Guards the internal Azurite contract local/azurite.ts depends on (pinned azurite 3.35.0).
describe("embedded Azurite", () => {
  let azurite: AzuriteTables;
  beforeAll(async () => {
    azurite = await startAzuriteTables();
  });
  afterAll(() => azurite.close());

  it("serves Table Storage to the real SDK on a free port", async () => {
    expect(azurite.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const table = TableClient.fromConnectionString(azurite.connectionString, "contract", {
      allowInsecureConnection: true,
    });
    await table.createTable();
    await table.upsertEntity({ partitionKey: "p", rowKey: "r", value: 42 });
    expect((await table.getEntity<{ value: number }>("p", "r")).value).toBe(42);
  });
});
