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

/** A report row at `position`, numbered as a CSV's line (the header is line 1). */
const line = (position: number, state = "created") => ({
  position,
  row: position + 2,
  employeeKey: `E${position}`,
  state,
  summary: `row ${position + 2}`,
});

describe("BatchRepository (Azurite)", () => {
  it("lists a batch's lines in order, all of them or one range of positions, and no other batch's", async () => {
    for (const position of [12, 3, 10, 0, 9, 11]) await repo.recordRow("b1", line(position));
    await repo.recordRow("b10", line(4));
    expect((await repo.listRows("b1")).map((r) => r.position)).toEqual([0, 3, 9, 10, 11, 12]);
    expect((await repo.listRows("b1", { from: 3, to: 11 })).map((r) => r.row)).toEqual([5, 11, 12]);
    expect(await repo.listRows("b1", { from: 20, to: 30 })).toEqual([]);
  });

  it("rewrites a line recorded twice, and keeps the summary apart from the lines", async () => {
    await repo.recordRow("b1", line(0));
    await repo.recordRow("b1", { ...line(0, "failed"), summary: "read-back drift", userId: "u-1" });
    await repo.complete("b1", { total: 1, failed: 1 }, undefined, new Date("2026-12-01T10:00:00Z"));
    expect(await repo.listRows("b1")).toEqual([
      { position: 0, row: 2, employeeKey: "E0", state: "failed", summary: "read-back drift", userId: "u-1" },
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
    expect((await repo.listRows("b1")).map((r) => r.position)).toEqual([0]);
  });

  it("writes the report as CSV with the row numbers people see and quoted summaries", () => {
    expect(batchReportCsv([{ ...line(3), summary: 'title "Night, Owl" unmapped' }])).toBe(
      'row,employeeId,state,genesysUserId,summary\r\n5,E3,created,,"title ""Night, Owl"" unmapped"\r\n',
    );
  });

  it("lists the batches submitted newest first, a page at a time, each once however often it is registered", async () => {
    const at = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, "0")}:00.000Z`;
    await repo.register({ id: "b-old", rows: 3, submittedBy: "ada@example.com", submittedAt: at(1) });
    await repo.register({ id: "b-new", rows: 40, submittedBy: "logic-app", submittedAt: at(30) });
    await repo.register({ id: "b-mid", rows: 5, submittedBy: "bo@example.com", submittedAt: at(10) });
    // The same batch submitted again later keeps its first submission.
    const again = await repo.register({
      id: "b-old",
      rows: 3,
      submittedBy: "cy@example.com",
      submittedAt: at(50),
    });
    expect(again).toEqual({ id: "b-old", rows: 3, submittedBy: "ada@example.com", submittedAt: at(1) });
    await repo.recordRow("b-new", line(0));

    const first = await repo.listBatches({ pageSize: 2 });
    expect(first.items.map((b) => b.id)).toEqual(["b-new", "b-mid"]);
    expect(first.continuationToken).toBeDefined();
    const second = await repo.listBatches({ pageSize: 2, continuationToken: first.continuationToken });
    expect(second.items).toEqual([
      { id: "b-old", rows: 3, submittedBy: "ada@example.com", submittedAt: at(1) },
    ]);
    expect(second.continuationToken).toBeUndefined();
    // The index is no batch: a batch's report holds only its own lines.
    expect((await repo.listRows("b-new")).map((r) => r.position)).toEqual([0]);
  });
});
