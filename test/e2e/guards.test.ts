import { startLifecycleStack, E2E_MAPPING, hireEvent, type LifecycleStack } from "../support/lifecycle-stack";

describe("safety, end to end: the mass-deactivation guard", () => {
  let stack: LifecycleStack;
  beforeAll(async () => {
    // A guard that trips on the second deactivation within the hour.
    stack = await startLifecycleStack({ env: { DEACTIVATION_GUARD_MAX_COUNT: "1" } });
    expect((await stack.call("PUT", "/api/mappings", E2E_MAPPING)).status).toBe(201);
    for (const id of ["740001", "740002", "740003", "740004"]) {
      expect((await stack.call("POST", "/api/hr/events", hireEvent(id))).status).toBe(202);
    }
    await stack.host.durable.settle();
  });
  afterAll(() => stack.stop());

  const today = () => new Date(stack.host.clock.now()).toISOString().slice(0, 10);
  const terminate = async (id: string) => {
    const event = { ...hireEvent(id, {}, "terminate"), eventId: `leave-${id}`, effectiveDate: today() };
    expect((await stack.call("POST", "/api/hr/events", event)).status).toBe(202);
    await stack.host.durable.settle();
  };
  const state = (id: string) => stack.genesys.admin.user(`agent.${id}@example.com`)?.state;
  const pending = async () =>
    (
      (await (await stack.call("GET", "/api/approvals")).json()) as {
        approvals: { id: string; reason: string }[];
      }
    ).approvals;

  it("lets the first leaver through, pauses the next before deactivation, and resumes on approval", async () => {
    await terminate("740001");
    expect(state("740001")).toBe("inactive");

    await terminate("740002");
    expect(state("740002")).toBe("active");
    expect(stack.genesys.admin.user("agent.740002@example.com")?.routingStatus).toBe("OFF_QUEUE");
    const [approval] = await pending();
    expect(approval?.reason).toBe("2 deactivations within 1 h exceed the limit of 1");

    const decided = await stack.call("POST", `/api/approvals/${approval.id}`, {
      decision: "approve",
      by: "ops@example.com",
    });
    expect(decided.status).toBe(200);
    await stack.host.durable.settle();
    expect(state("740002")).toBe("inactive");
    expect(await pending()).toEqual([]);
  });

  it("stops on rejection: the agent stays active (off queue) and the event is quarantined for replay", async () => {
    await terminate("740003");
    const [approval] = await pending();
    expect(
      (await stack.call("POST", `/api/approvals/${approval.id}`, { decision: "reject", by: "grace" })).status,
    ).toBe(200);
    await stack.host.durable.settle();
    expect(state("740003")).toBe("active");
    const quarantine = await (await stack.call("GET", "/api/hr/quarantine")).text();
    expect(quarantine).toContain("deactivation rejected by grace");
  });

  it("hands over work that reached a paused leaver during the wait before deactivating them", async () => {
    await terminate("740004");
    expect(state("740004")).toBe("active");
    const approval = (await pending()).find((a) => a.reason.startsWith("3 deactivations"));
    expect(approval).toBeDefined();
    // Days into the wait a colleague transfers a customer to the paused (Offline, off queue) leaver.
    const agent = stack.genesys.admin.user("agent.740004@example.com")!;
    const call = stack.genesys.admin.addInteraction({
      mediaType: "voice",
      agent: agent.id,
      queue: "Priority_Support_Queue",
    });
    await stack.host.durable.advance(2 * 86_400_000);
    expect(state("740004")).toBe("active");

    await stack.call("POST", `/api/approvals/${approval!.id}`, {
      decision: "approve",
      by: "ops@example.com",
    });
    await stack.host.durable.settle();

    expect(state("740004")).toBe("inactive");
    const sam = stack.genesys.admin.user("sup.support@example.com")!;
    const parts = stack.genesys.admin.interactions().find((c) => c.id === call.id)!.participants as Array<{
      purpose: string;
      userId?: string;
      calls?: { state: string }[];
    }>;
    const connected = parts.filter((p) => p.calls?.[0]?.state === "connected");
    expect(connected.map((p) => p.purpose === "customer" || p.userId === sam.id)).toEqual([true, true]);
    const story = (
      (await (await stack.call("GET", "/api/employees/740004/audit")).json()) as {
        entries: { operation: string }[];
      }
    ).entries.map((e) => e.operation);
    expect(story.indexOf("leaver.live-work-found")).toBeGreaterThan(story.indexOf("leaver.paused"));
    expect(story.indexOf("leaver.transferred")).toBeGreaterThan(story.indexOf("leaver.live-work-found"));
    expect(story.indexOf("leaver.deactivated")).toBeGreaterThan(story.indexOf("leaver.transferred"));
  });
});
