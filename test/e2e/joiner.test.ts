import { useLifecycleStack, E2E_MAPPING, hireEvent, ISO_TIMESTAMP } from "../support/lifecycle-stack";

describe("joiner, end to end: HR event → production-ready Genesys agent", () => {
  const stack = useLifecycleStack({ mapping: E2E_MAPPING });

  it("creates the user with division, roles, queues, skills, languages and manager, then invites", async () => {
    const response = await stack.call("POST", "/api/hr/events", hireEvent("700001"));
    expect(response.status).toBe(202);
    await stack.host.durable.runUntilIdle();

    const user = stack.genesys.admin.user("agent.700001@example.com");
    expect(user).toMatchObject({
      state: "active",
      title: "Technical Support",
      employerInfo: { employeeId: "700001" },
    });
    expect(user?.grants.map((g) => `${g.roleName}@${g.divisionName}`).sort()).toEqual([
      "Agent@Support",
      "Employee@Support",
    ]);
    expect(user?.queues.map((q) => q.name)).toEqual(["Priority_Support_Queue"]);
    expect(user?.skills.map((s) => [s.name, s.proficiency])).toEqual([["Network_Troubleshooting", 3]]);
    expect(user?.languages.map((l) => [l.name, l.proficiency])).toEqual([["English", 5]]);
    const manager = stack.genesys.admin.user("sup.support@example.com");
    expect(user?.managerId).toBe(manager?.id);
    expect(user?.dateWelcomeSent).toEqual(ISO_TIMESTAMP);
  });

  const DAY = 86_400_000;
  const dayFromNow = (days: number) =>
    new Date(stack.host.clock.now() + days * DAY).toISOString().slice(0, 10);

  it("waits for a future-dated hire until the lead time before its date, then provisions it", async () => {
    const event = { ...hireEvent("700002"), effectiveDate: dayFromNow(10) };
    await stack.deliver(event);
    expect(stack.genesys.admin.user("agent.700002@example.com")).toBeUndefined();
    await stack.host.durable.advance(6 * DAY);
    expect(stack.genesys.admin.user("agent.700002@example.com")).toBeUndefined();
    await stack.host.durable.advance(2 * DAY); // 3 days before the hire date (HIRE_LEAD_TIME_DAYS)
    expect(stack.genesys.admin.user("agent.700002@example.com")).toMatchObject({ state: "active" });
  });

  it("applies events in effective-date order even when they arrive out of order", async () => {
    const change = {
      ...hireEvent("700003", { title: "Senior Technical Support" }, "change"),
      effectiveDate: dayFromNow(-2),
    };
    const hire = { ...hireEvent("700003"), effectiveDate: dayFromNow(-5) };
    expect((await stack.call("POST", "/api/hr/events", change)).status).toBe(202);
    await stack.deliver(hire, "idle");
    const users = stack.genesys.admin.users({ email: "agent.700003@example.com" });
    expect(users).toHaveLength(1);
    // The older hire never undoes the newer change.
    expect(users[0]).toMatchObject({ title: "Senior Technical Support" });
    expect(users[0]?.queues.map((q) => q.name).sort()).toEqual([
      "Priority_Support_Queue",
      "Tier_2_Escalation",
    ]);
  });
});
