import { E2E_MAPPING, startLifecycleStack, type LifecycleStack } from "../support/lifecycle-stack";

// A file of its own: the local host composes the app once per process, so one stack per test file.
describe("reconciliation on its schedule", () => {
  let stack: LifecycleStack;
  beforeAll(async () => {
    // The default schedule: the timer is registered; it is invoked here rather than waited for.
    stack = await startLifecycleStack();
    expect((await stack.call("PUT", "/api/mappings", E2E_MAPPING)).status).toBe(201);
  });
  afterAll(() => stack.stop());

  it("the timer starts a run; a run asked for while it goes on is refused with 409 naming it", async () => {
    await stack.host.invoke("reconciliationTimer");
    const refused = await stack.call("POST", "/api/reconciliation/runs", {});
    expect(refused.status).toBe(409);
    const location = refused.headers.get("location")!;
    expect(location).toMatch(/^\/api\/reconciliation\/runs\/.+-scheduled$/);

    await stack.host.durable.settle();
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
    await stack.host.durable.settle();
  });
});
