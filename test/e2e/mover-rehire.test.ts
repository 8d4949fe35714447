import { asAdministrator, useLifecycleStack, E2E_MAPPING, hireEvent } from "../support/lifecycle-stack";

describe("mover and rehire, end to end", () => {
  const stack = useLifecycleStack({ mapping: E2E_MAPPING });

  const deliver = (event: object) => stack.deliver(event, "idle");
  const profile = (email: string) => {
    const user = stack.genesys.admin.user(email)!;
    return {
      state: user.state,
      division: user.division?.name,
      grants: user.grants.map((g) => `${g.roleName}@${g.divisionName}`).sort(),
      queues: user.queues.map((q) => q.name).sort(),
      skills: user.skills.map((s) => `${s.name}:${s.proficiency}`).sort(),
      languages: user.languages.map((l) => `${l.name}:${l.proficiency}`).sort(),
    };
  };

  it("a title change adds and removes exactly the mapped difference, keeping what an admin added", async () => {
    await deliver(hireEvent("710001"));
    const user = stack.genesys.admin.user("agent.710001@example.com")!;
    // An administrator adds a queue by hand; the mapping never assigned it, so the mover keeps it.
    await (await asAdministrator(stack.genesys)).addToQueue("Billing_Support", user.id);

    await deliver({
      ...hireEvent("710001", { title: "Senior Technical Support" }, "change"),
      effectiveDate: "2026-11-15",
    });
    expect(profile("agent.710001@example.com")).toMatchObject({
      division: "Support",
      grants: ["Agent@Support", "Employee@Support", "Knowledge Base Editor@*"].sort(),
      skills: ["Network_Troubleshooting:5", "Product_Knowledge:4"],
      languages: ["English:5", "French:3"],
    });
    expect(profile("agent.710001@example.com").queues).toEqual(
      expect.arrayContaining(["Priority_Support_Queue", "Tier_2_Escalation"]),
    );

    await deliver({
      ...hireEvent("710001", { title: "Sales Representative", department: "Sales" }, "change"),
      effectiveDate: "2026-11-20",
    });
    const sales = profile("agent.710001@example.com");
    expect(sales).toMatchObject({
      division: "Sales",
      grants: ["Agent@Sales"],
      skills: ["Account_Management:3"],
      languages: ["Spanish:3"],
    });
    expect(sales.queues).toContain("Inbound_Sales");
    expect(sales.queues).not.toContain("Priority_Support_Queue");
    expect(sales.queues).not.toContain("Tier_2_Escalation");
    expect(sales.queues).toContain("Billing_Support");
  });

  it.each([
    ["inactive", "ivy.inactive@example.com", "100201"],
    ["deleted", "dirk.deleted@example.com", "100202"],
  ])(
    "a rehire whose email belongs to a %s user restores that user instead of failing",
    async (_state, email, id) => {
      const before = stack.genesys.admin.users({ email });
      expect(before).toHaveLength(1);
      await deliver(hireEvent(id, { email }, "rehire"));
      const after = stack.genesys.admin.users({ email });
      expect(after).toHaveLength(1);
      expect(after[0]?.id).toBe(before[0]?.id);
      expect(profile(email)).toMatchObject({
        state: "active",
        division: "Support",
        grants: ["Agent@Support", "Employee@Support"],
        queues: ["Priority_Support_Queue"],
      });
    },
  );
});
