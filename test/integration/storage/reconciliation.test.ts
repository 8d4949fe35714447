import { ReconciliationRepository } from "../../../src/storage/reconciliation";
import { useAzuriteTables } from "../../support/tables";

const azurite = useAzuriteTables();
let repo: ReconciliationRepository;

beforeEach(() => {
  // The repository creates its table on first use.
  repo = new ReconciliationRepository(azurite.table("reconciliation"));
});

/** A run's summary as the repository sees it: anything with a start time. */
const run = (id: string, startedAt: string, status: "running" | "completed" = "running") => ({
  id,
  status,
  summary: { id, status, startedAt, drifted: status === "completed" ? 2 : 0 },
});

describe("ReconciliationRepository's runs (Azurite)", () => {
  it("lists the runs newest first, a page at a time, whatever order they were stored in", async () => {
    await repo.saveRun(run("20261201T020000Z-scheduled", "2026-12-01T02:00:00.000Z"));
    await repo.saveRun(run("20261203T020000Z-scheduled", "2026-12-03T02:00:00.000Z"));
    await repo.saveRun(run("20261202T093000Z-a1b2c3", "2026-12-02T09:30:00.000Z"));

    const first = await repo.listRuns<{ startedAt: string }>({ pageSize: 2 });
    expect(first.items.map((r) => r.id)).toEqual(["20261203T020000Z-scheduled", "20261202T093000Z-a1b2c3"]);
    expect(first.continuationToken).toEqual(expect.any(String));
    const second = await repo.listRuns({ pageSize: 2, continuationToken: first.continuationToken });
    expect(second.items.map((r) => r.id)).toEqual(["20261201T020000Z-scheduled"]);
    expect(second.continuationToken).toBeUndefined();
  });

  it("shows a run's latest state in the list, once, as its own row does", async () => {
    await repo.saveRun(run("r-1", "2026-12-01T02:00:00.000Z"));
    await repo.saveRun(run("r-1", "2026-12-01T02:00:00.000Z", "completed"));

    const listed = await repo.listRuns({ pageSize: 10 });
    expect(listed.items).toEqual([run("r-1", "2026-12-01T02:00:00.000Z", "completed")]);
    expect(await repo.getRun("r-1")).toEqual(listed.items[0]);
  });

  it("lists neither the run in progress marker nor the HR windows as runs", async () => {
    await repo.saveRun(run("r-2", "2026-12-02T02:00:00.000Z"));
    expect(await repo.claimCurrent("r-2")).toBeUndefined();
    await repo.setWatermark("workday", { through: "2026-12-02T02:00:00.000Z", runId: "r-2" });

    expect((await repo.listRuns({ pageSize: 10 })).items.map((r) => r.id)).toEqual(["r-2"]);
  });

  it("lists nothing before the first run", async () => {
    expect(await repo.listRuns({ pageSize: 10 })).toEqual({ items: [] });
  });
});
