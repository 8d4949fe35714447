import { startLifecycleStack, E2E_MAPPING, hireEvent, type LifecycleStack } from "../support/lifecycle-stack";

describe("joiner, end to end: HR event → production-ready Genesys agent", () => {
  let stack: LifecycleStack;
  beforeAll(async () => {
    stack = await startLifecycleStack();
    const imported = await stack.call("PUT", "/api/mappings", E2E_MAPPING);
    expect(imported.status).toBe(201);
  });
  afterAll(() => stack.stop());

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
    expect(user?.dateWelcomeSent).toBeDefined();
  });
});
