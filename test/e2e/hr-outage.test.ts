import { readFixture } from "../support/hr";
import { E2E_MAPPING, WORKDAY_NOTIFY, startLifecycleStackWithHr } from "../support/lifecycle-stack";

const MINUTE = 60_000;

/**
 * An HR outage delays events instead of quarantining them: the app acknowledges Workday's notifications at
 * once, and each employee's orchestration reads the worker back, waiting on durable timers while Workday does
 * not answer. Durable time is virtual here, so minutes of outage pass without minutes of test.
 */
describe("a Workday outage of several minutes, end to end through the local host", () => {
  let stack: Awaited<ReturnType<typeof startLifecycleStackWithHr>>;
  beforeAll(async () => {
    stack = await startLifecycleStackWithHr({
      env: { HR_RETRY_FIRST_SECONDS: "15", HR_RETRY_MAX_SECONDS: "60", HR_OUTAGE_RETRY_HOURS: "1" },
    });
    expect((await stack.call("PUT", "/api/mappings", E2E_MAPPING)).status).toBe(201);
    stack.workday.loadWorkers(readFixture("workday-get-workers-lifecycle.xml"));
  });
  afterAll(() => stack.stop());

  const quarantine = async () =>
    ((await (await stack.call("GET", "/api/hr/quarantine")).json()) as { entries: unknown[] }).entries;

  it("acknowledges the notifications at once, retries Get_Workers through the outage, and applies them after", async () => {
    const today = new Date(stack.host.clock.now()).toISOString().slice(0, 10);
    // The hire, and a job change Workday sends straight after it.
    const hires = ["Hire Employee", "Change Job"].map((businessProcessType) =>
      stack.workday.notify("100482", {
        businessProcessType,
        effectiveDate: today,
        user: WORKDAY_NOTIFY.user,
        password: WORKDAY_NOTIFY.password,
      }),
    );

    // Through the emulator's own control route, as an operator would.
    expect((await fetch(`${stack.workday.url}/emulator/outage`, { method: "POST", body: "{}" })).status).toBe(
      200,
    );
    for (const notification of hires) {
      const response = await stack.call("POST", "/api/hr/workday", notification, {
        "content-type": "text/xml; charset=utf-8",
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ accepted: 1, quarantined: 0 });
    }

    for (let minute = 1; minute <= 6; minute++) await stack.host.durable.advance(MINUTE);
    // Six minutes in: the read-back was refused again and again, nothing is quarantined and nothing is applied.
    expect(stack.workday.refusedDuringOutage()).toBeGreaterThanOrEqual(4);
    expect(await quarantine()).toEqual([]);
    expect(stack.genesys.admin.users().filter((u) => u.employerInfo?.employeeId === "100482")).toEqual([]);

    expect((await fetch(`${stack.workday.url}/emulator/outage`, { method: "DELETE" })).status).toBe(200);
    await stack.host.durable.runUntilIdle();
    expect(stack.genesys.admin.user("jane.doe@example.com")).toMatchObject({
      state: "active",
      employerInfo: { employeeId: "100482" },
    });
    expect(await quarantine()).toEqual([]);
  });
});
