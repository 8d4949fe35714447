import { TableClient } from "@azure/data-tables";
import { startAzuriteTables, type AzuriteTables } from "../../../local/azurite";
import { BatchRepository, batchReportCsv } from "../../../src/storage/batches";

let azurite: AzuriteTables;
let repo: BatchRepository;
let n = 0;

beforeAll(async () => {
  azurite = await startAzuriteTables();
});
afterAll(() => azurite.close());
beforeEach(() => {
  // The repository creates its table on first use.
  repo = new BatchRepository(
    TableClient.fromConnectionString(azurite.connectionString, `batches${++n}`, {
      allowInsecureConnection: true,
    }),
  );
});

const line = (row: number, state = "created") => ({
  row,
  employeeKey: `E${row}`,
  state,
  summary: `row ${row}`,
});

describe("BatchRepository (Azurite)", () => {
  it("lists a batch's lines in row order, all of them or one range, and no other batch's", async () => {
    for (const row of [12, 3, 10, 0, 9, 11]) await repo.recordRow("b1", line(row));
    await repo.recordRow("b10", line(4));
    expect((await repo.listRows("b1")).map((r) => r.row)).toEqual([0, 3, 9, 10, 11, 12]);
    expect((await repo.listRows("b1", { from: 3, to: 11 })).map((r) => r.row)).toEqual([3, 9, 10]);
    expect(await repo.listRows("b1", { from: 20, to: 30 })).toEqual([]);
  });

  it("rewrites a line recorded twice, and keeps the summary apart from the lines", async () => {
    await repo.recordRow("b1", line(0));
    await repo.recordRow("b1", { ...line(0, "failed"), summary: "read-back drift", userId: "u-1" });
    await repo.complete("b1", { total: 1, failed: 1 }, undefined, new Date("2026-12-01T10:00:00Z"));
    expect(await repo.listRows("b1")).toEqual([
      { row: 0, employeeKey: "E0", state: "failed", summary: "read-back drift", userId: "u-1" },
    ]);
    expect(await repo.getSummary("b1")).toEqual({
      batchId: "b1",
      status: "completed",
      totals: { total: 1, failed: 1 },
      completedAt: "2026-12-01T10:00:00.000Z",
    });
    expect(await repo.getSummary("b2")).toBeUndefined();
  });

  it("keeps the new users a queue or grant check did not confirm, apart from the report's lines", async () => {
    expect(await repo.listUnconfirmed("b1", "queues")).toEqual(new Set());
    await repo.recordRow("b1", line(0));
    await repo.recordUnconfirmed("b1", "queues", "u-7");
    await repo.recordUnconfirmed("b1", "queues", "u-7");
    await repo.recordUnconfirmed("b1", "grants", "u-9");
    await repo.recordUnconfirmed("b10", "queues", "u-8");
    expect(await repo.listUnconfirmed("b1", "queues")).toEqual(new Set(["u-7"]));
    expect(await repo.listUnconfirmed("b1", "grants")).toEqual(new Set(["u-9"]));
    expect((await repo.listRows("b1")).map((r) => r.row)).toEqual([0]);
  });

  it("writes the report as CSV with the row numbers people see and quoted summaries", () => {
    expect(batchReportCsv([{ ...line(2), summary: 'title "Night, Owl" unmapped' }])).toBe(
      'row,employeeId,state,genesysUserId,summary\r\n2,E2,created,,"title ""Night, Owl"" unmapped"\r\n',
    );
  });
});
