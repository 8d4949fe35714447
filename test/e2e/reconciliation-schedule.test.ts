import {
  DEV_IDENTITY,
  E2E_MAPPING,
  ISO_TIMESTAMP,
  startLifecycleStack,
  type LifecycleStack,
} from "../support/lifecycle-stack";

/** What `GET /api/reconciliation/runs` answers (the parts these tests read). */
interface RunList {
  runs: {
    id: string;
    status: string;
    trigger: { kind: string; by?: string };
    mode: string;
    startedAt: string;
    finishedAt?: string;
    genesys: { managed: number; drifted: number; orphans: number };
    statusUrl: string;
  }[];
  continuationToken?: string;
}

// A file of its own: the local host composes the app once per process, so one stack per test file.
describe("reconciliation on its schedule", () => {
  let stack: LifecycleStack;
  beforeAll(async () => {
    // The default schedule: the timer is registered; it is invoked here rather than waited for.
    stack = await startLifecycleStack();
    expect((await stack.call("PUT", "/api/mappings", E2E_MAPPING)).status).toBe(201);
  });
  afterAll(() => stack.stop());

  /**
   * Lets every run end. A slice whose client steps back for the budget (a busy machine can make it) waits on
   * a durable timer: the virtual clock is moved on a second at a time, with a real second for the budget.
   */
  async function runsEnded(): Promise<void> {
    await stack.host.durable.settle();
    const running = async () =>
      ((await (await stack.call("GET", "/api/reconciliation/runs")).json()) as RunList).runs.some(
        (run) => run.status === "running",
      );
    for (let turns = 0; (await running()) && turns < 20; turns++) {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await stack.host.durable.advance(1_000);
    }
    expect(await running()).toBe(false);
  }

  it("the timer starts a run; a run asked for while it goes on is refused with 409 naming it", async () => {
    await stack.host.invoke("reconciliationTimer");
    const refused = await stack.call("POST", "/api/reconciliation/runs", {});
    expect(refused.status).toBe(409);
    const location = refused.headers.get("location")!;
    expect(location).toMatch(/^\/api\/reconciliation\/runs\/.+-scheduled$/);

    await runsEnded();
    const report = await stack.call("GET", location);
    expect(report.status).toBe(200);
    expect(await report.json()).toMatchObject({
      status: "completed",
      trigger: { kind: "schedule" },
      mode: "report",
      hr: [],
      notes: [expect.stringContaining("no HR system is configured")],
    });
    expect((await stack.call("POST", "/api/reconciliation/runs", {})).status).toBe(202);
    await runsEnded();
  });

  it("lists the runs newest first, each with how it started and its counts, a page at a time", async () => {
    const asked = await stack.call("POST", "/api/reconciliation/runs", { mode: "fix" });
    expect(asked.status).toBe(202);
    const askedId = ((await asked.json()) as { id: string }).id;
    await runsEnded();

    const listed = await stack.call("GET", "/api/reconciliation/runs");
    expect(listed.status).toBe(200);
    expect(listed.headers.get("cache-control")).toBe("no-store");
    const { runs, continuationToken } = (await listed.json()) as RunList;
    // The run above, the one asked for in the test before, and the scheduled one.
    expect(runs).toHaveLength(3);
    expect(continuationToken).toBeUndefined();
    expect(runs[0]).toMatchObject({
      id: askedId,
      status: "completed",
      mode: "fix",
      trigger: { kind: "operator", by: DEV_IDENTITY.name },
      // The emulator's seeded users carry employee ids the product does not know: orphans.
      genesys: { managed: 0, drifted: 0, orphans: 8 },
      statusUrl: `/api/reconciliation/runs/${askedId}`,
    });
    expect(runs[2]).toMatchObject({ status: "completed", trigger: { kind: "schedule" }, mode: "report" });
    expect(runs[2].id).toMatch(/-scheduled$/);
    expect(runs[2].trigger.by).toBeUndefined();
    // Ended: when, by the orchestration's clock (virtual here, so not compared with the start).
    for (const run of runs) expect(run.finishedAt).toEqual(ISO_TIMESTAMP);
    const started = runs.map((run) => run.startedAt);
    expect([...started].sort().reverse()).toEqual(started);
    // Each listed summary is the one the run's own address answers.
    for (const run of runs) {
      const own = (await (await stack.call("GET", run.statusUrl)).json()) as Record<string, unknown>;
      const { findings: _findings, continuationToken: _token, ...summary } = own;
      expect({ ...summary, statusUrl: run.statusUrl }).toEqual(run);
    }

    // Pages of two: the same runs, in the same order.
    const first = (await (await stack.call("GET", "/api/reconciliation/runs?pageSize=2")).json()) as RunList;
    expect(first.runs.map((run) => run.id)).toEqual(runs.slice(0, 2).map((run) => run.id));
    const next = await stack.call(
      "GET",
      `/api/reconciliation/runs?pageSize=2&continuationToken=${encodeURIComponent(first.continuationToken!)}`,
    );
    expect(((await next.json()) as RunList).runs.map((run) => run.id)).toEqual([runs[2].id]);
  });

  it("lets any app role read the list, and refuses a caller without one or a page size out of range", async () => {
    const asReader = await stack.call("GET", "/api/reconciliation/runs", undefined, {
      authorization: "Bearer reader-token",
    });
    expect(asReader.status).toBe(200);
    expect(((await asReader.json()) as RunList).runs).toHaveLength(3);
    const noRole = await stack.call("GET", "/api/reconciliation/runs", undefined, {
      authorization: "Bearer no-role-token",
    });
    expect(noRole.status).toBe(403);
    const tooMany = await stack.call("GET", "/api/reconciliation/runs?pageSize=101");
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ error: "invalid_field", field: "pageSize" });
  });
});
