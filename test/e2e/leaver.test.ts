import { asAdministrator, useLifecycleStack, E2E_MAPPING, hireEvent } from "../support/lifecycle-stack";

const DAY = 86_400_000;

describe("graceful leaver, end to end: no ghost calls", () => {
  const stack = useLifecycleStack({ mapping: E2E_MAPPING });

  const deliver = (event: object) => stack.deliver(event);
  const at = (daysFromNow: number) =>
    new Date(stack.host.clock.now() + daysFromNow * DAY).toISOString().slice(0, 10);

  it("hands two calls and an email to the supervisor, deactivates, then deletes after 30 days", async () => {
    await deliver(hireEvent("730001", {}, "hire"));
    const agent = stack.genesys.admin.user("agent.730001@example.com")!;
    const supervisor = stack.genesys.admin.user("sup.support@example.com")!;
    for (const mediaType of ["voice", "voice", "email"] as const) {
      stack.genesys.admin.addInteraction({ mediaType, agent: agent.id, queue: "Priority_Support_Queue" });
    }
    expect(stack.genesys.admin.user(agent.id)?.interactions).toHaveLength(3);

    await deliver({ ...hireEvent("730001", {}, "terminate"), eventId: "leave-730001", effectiveDate: at(0) });

    const left = stack.genesys.admin.user(agent.id)!;
    expect(left.state).toBe("inactive");
    expect(left.presence.systemPresence).toBe("Offline");
    expect(left.routingStatus).toBe("OFF_QUEUE");
    expect(left.queues).toEqual([]);
    expect(left.tokenRevocations).toBeGreaterThan(0);
    // Every conversation the agent had is still live, now with the supervisor; no customer was cut off.
    const conversations = stack.genesys.admin.interactions({ userId: agent.id });
    expect(conversations).toHaveLength(3);
    for (const conversation of conversations) {
      const media = (p: { calls?: { state: string }[]; emails?: { state: string }[] }) =>
        [...(p.calls ?? []), ...(p.emails ?? [])].map((m) => m.state);
      const parts = conversation.participants as Array<{
        purpose: string;
        userId?: string;
        calls?: { state: string }[];
        emails?: { state: string }[];
      }>;
      expect(media(parts.find((p) => p.purpose === "customer")!)).toEqual(["connected"]);
      expect(media(parts.find((p) => p.userId === supervisor.id)!)).toEqual(["connected"]);
    }

    await stack.host.durable.advance(29 * DAY);
    expect(stack.genesys.admin.user(agent.id)?.state).toBe("inactive");
    await stack.host.durable.advance(2 * DAY);
    expect(stack.genesys.admin.users({ email: "agent.730001@example.com", state: "deleted" })).toHaveLength(
      1,
    );
  });

  it("a rehire on day 10 cancels the deletion and restores the same roles, queues, skills and languages", async () => {
    await deliver(hireEvent("730002", { title: "Senior Technical Support" }));
    const hired = stack.genesys.admin.user("agent.730002@example.com")!;
    // An administrator adds a role and a queue by hand; the rehire brings them back too.
    const admin = await asAdministrator(stack.genesys);
    await admin.addToQueue("Billing_Support", hired.id);
    const roles = (await admin.api("GET", "/api/v2/authorization/roles?name=Supervisor")) as {
      entities: { id: string }[];
    };
    await admin.api("POST", `/api/v2/authorization/subjects/${hired.id}/bulkadd?subjectType=PC_USER`, {
      grants: [{ roleId: roles.entities[0].id, divisionId: hired.division.id }],
    });
    const before = stack.genesys.admin.user(hired.id)!;
    expect(before.grants.map((g) => g.roleName)).toContain("Supervisor");
    await deliver({ ...hireEvent("730002", {}, "terminate"), eventId: "leave-730002", effectiveDate: at(0) });
    expect(stack.genesys.admin.user(before.id)?.state).toBe("inactive");

    await stack.host.durable.advance(10 * DAY);
    await deliver({
      ...hireEvent("730002", { title: "Senior Technical Support" }, "rehire"),
      eventId: "back-730002",
      effectiveDate: at(0),
    });
    await stack.host.durable.advance(25 * DAY);

    const after = stack.genesys.admin.user(before.id)!;
    expect(after.state).toBe("active");
    const shape = (u: typeof before) => ({
      division: u.division?.name,
      grants: u.grants.map((g) => `${g.roleName}@${g.divisionName}`).sort(),
      queues: u.queues.map((q) => q.name).sort(),
      skills: u.skills.map((s) => `${s.name}:${s.proficiency}`).sort(),
      languages: u.languages.map((l) => `${l.name}:${l.proficiency}`).sort(),
    });
    expect(shape(after)).toEqual(shape(before));
  });

  it("a leave of absence round trip restores the profile exactly and never deletes", async () => {
    await deliver(hireEvent("730003"));
    const before = stack.genesys.admin.user("agent.730003@example.com")!;
    await deliver({ ...hireEvent("730003", {}, "leave_start"), eventId: "loa-730003", effectiveDate: at(0) });
    expect(stack.genesys.admin.user(before.id)?.state).toBe("inactive");
    await stack.host.durable.advance(60 * DAY);
    expect(stack.genesys.admin.user(before.id)?.state).toBe("inactive");
    await deliver({
      ...hireEvent("730003", {}, "leave_end"),
      eventId: "loa-end-730003",
      effectiveDate: at(0),
    });
    const after = stack.genesys.admin.user(before.id)!;
    expect(after.state).toBe("active");
    expect(after.grants.map((g) => g.roleName).sort()).toEqual(before.grants.map((g) => g.roleName).sort());
    expect(after.queues.map((q) => q.name)).toEqual(before.queues.map((q) => q.name));
  });

  it("records a termination for someone with no Genesys user instead of failing", async () => {
    await deliver({ ...hireEvent("739999", {}, "terminate"), eventId: "leave-nobody", effectiveDate: at(0) });
    const quarantine = (await (await stack.call("GET", "/api/hr/quarantine")).json()) as {
      entries?: unknown[];
    };
    expect(JSON.stringify(quarantine)).not.toContain("739999");
  });

  const conversationsOf = (userId: string) => stack.genesys.admin.interactions({ userId });

  it("falls back to the queue when there is no supervisor or manager, and the audit trail tells the story", async () => {
    // The Sales profile names no supervisor, and this hire has no manager.
    await deliver(
      hireEvent("730004", { title: "Sales Representative", department: "Sales", managerEmail: undefined }),
    );
    const agent = stack.genesys.admin.user("agent.730004@example.com")!;
    stack.genesys.admin.addInteraction({ mediaType: "voice", agent: agent.id, queue: "Inbound_Sales" });
    await deliver({
      ...hireEvent("730004", { title: "Sales Representative" }, "terminate"),
      eventId: "leave-730004",
      effectiveDate: at(0),
    });

    expect(stack.genesys.admin.user(agent.id)?.state).toBe("inactive");
    const [conversation] = conversationsOf(agent.id);
    const queueLeg = (
      conversation.participants as Array<{ purpose: string; calls?: { state: string }[] }>
    ).filter((p) => p.purpose === "acd");
    expect(queueLeg.some((p) => p.calls?.some((c) => c.state === "connected"))).toBe(true);

    const audit = (await (await stack.call("GET", "/api/employees/730004/audit")).json()) as {
      entries: { operation: string; summary?: string; eventId?: string }[];
    };
    const story = audit.entries.filter((e) => e.eventId === "leave-730004").map((e) => e.operation);
    expect(story).toEqual(
      expect.arrayContaining([
        "leaver.off-queue",
        "leaver.transferred",
        "leaver.snapshot",
        "leaver.deactivated",
        "event.applied",
      ]),
    );
    expect(story.indexOf("leaver.off-queue")).toBeLessThan(story.indexOf("leaver.transferred"));
    expect(story.indexOf("leaver.transferred")).toBeLessThan(story.indexOf("leaver.deactivated"));
    const transferred = audit.entries.find((e) => e.operation === "leaver.transferred");
    expect(transferred?.summary).toMatch(
      /^voice \S+ \(came in through Inbound_Sales\): supervisor skipped: the profile names no supervisor; queue Inbound_Sales \(the interaction's queue\): transferred$/,
    );
  });

  it("disconnects as the last resort, at the deadline, an interaction that cannot be handed over", async () => {
    await deliver(hireEvent("730005"));
    const agent = stack.genesys.admin.user("agent.730005@example.com")!;
    stack.genesys.admin.addInteraction({
      mediaType: "voice",
      agent: agent.id,
      queue: "Priority_Support_Queue",
    });
    // Every transfer fails (501 is never retried): the supervisor and then the queue refuse it.
    stack.genesys.admin.setFaults({ errorRate: 1, errorStatuses: [501], pathPattern: "/replace" });
    try {
      await deliver({
        ...hireEvent("730005", {}, "terminate"),
        eventId: "leave-730005",
        effectiveDate: at(0),
      });
      expect(stack.genesys.admin.user(agent.id)?.state).toBe("active"); // still draining
      // Re-checked every 5 minutes until LEAVER_DRAIN_DEADLINE_MINUTES (2 h) has passed.
      for (let minute = 0; minute < 130; minute += 5) await stack.host.durable.advance(5 * 60_000);
      expect(stack.genesys.admin.user(agent.id)?.state).toBe("inactive");
    } finally {
      stack.genesys.admin.clearFaults();
    }
    const audit = (await (await stack.call("GET", "/api/employees/730005/audit")).json()) as {
      entries: { operation: string; summary?: string }[];
    };
    const operations = audit.entries.map((e) => e.operation);
    expect(operations).toContain("leaver.hand-over-failed");
    expect(audit.entries.find((e) => e.operation === "leaver.disconnected")?.summary).toContain(
      "last resort",
    );
  });
});
