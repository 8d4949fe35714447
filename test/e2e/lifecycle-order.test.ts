import {
  asAdministrator,
  E2E_MAPPING,
  hireEvent,
  useLifecycleStack,
  ISO_TIMESTAMP,
} from "../support/lifecycle-stack";

interface AuditEntry {
  operation: string;
  eventId?: string;
  summary?: string;
}

interface EmployeeView {
  state: string;
  genesysUserId: string | null;
  pendingEvents: Array<{ eventId: string; type: string; dueAt: string }>;
  managerPending: { manager: string; since: string } | null;
  deleteAt: string | null;
}

/** The event sequences real HR feeds send every week, through the real app, against the Genesys emulator. */
describe("the employee lifecycle, end to end: every HR event ends visibly, only a rehire brings a leaver back", () => {
  const stack = useLifecycleStack({ mapping: E2E_MAPPING });

  // Settles without running timers: a leaver's 30-day deletion and a future-dated event stay ahead.
  const deliver = (event: { eventId: string }) => stack.deliver(event);
  const event = (employeeId: string, type: string, effectiveDate: string, overrides = {}) => ({
    ...hireEvent(employeeId, overrides, type),
    eventId: `${employeeId}-${type}-${effectiveDate}`,
    effectiveDate,
  });
  const audit = async (employeeId: string) =>
    (
      (await (await stack.call("GET", `/api/employees/${employeeId}/audit`)).json()) as {
        entries: AuditEntry[];
      }
    ).entries;
  const outcomes = async (employeeId: string) =>
    (await audit(employeeId))
      .filter((e) => e.operation.startsWith("event."))
      .map((e) => `${e.eventId} ${e.operation}`);
  const employee = async (employeeId: string) =>
    (await (await stack.call("GET", `/api/employees/${employeeId}`)).json()) as EmployeeView;
  const user = (employeeId: string) => stack.genesys.admin.user(`agent.${employeeId}@example.com`)!;

  it("a backdated termination arriving after a later change takes effect now", async () => {
    await deliver(event("810001", "hire", "2026-12-01"));
    await deliver(event("810001", "change", "2026-12-05", { title: "Senior Technical Support" }));
    expect(user("810001").state).toBe("active");

    await deliver(event("810001", "terminate", "2026-12-03"));
    const left = user("810001");
    expect(left.state).toBe("inactive");
    expect(left.grants).toEqual([]);
    expect(left.queues).toEqual([]);
    expect(await employee("810001")).toMatchObject({ state: "terminated", deleteAt: expect.any(String) });
    expect(await outcomes("810001")).toEqual([
      "810001-hire-2026-12-01 event.applied",
      "810001-change-2026-12-05 event.applied",
      "810001-terminate-2026-12-03 event.applied",
    ]);
  });

  it("a change after a termination updates the HR record, writes nothing to Genesys and keeps the deletion", async () => {
    await deliver(event("810002", "hire", "2026-12-01"));
    await deliver(event("810002", "terminate", "2026-12-02"));
    const { deleteAt } = await employee("810002");
    const since = new Date().toISOString();

    await deliver(event("810002", "change", "2026-12-04", { department: "Renamed Support" }));
    expect(user("810002").state).toBe("inactive");
    expect(user("810002").grants).toEqual([]);
    const touched = stack.genesys.admin.requests({ since }).filter((r) => r.path.includes(user("810002").id));
    expect(touched).toEqual([]);
    expect(await employee("810002")).toMatchObject({ state: "terminated", deleteAt });
    const recorded = (await audit("810002")).find((e) => e.eventId === "810002-change-2026-12-04");
    expect(recorded).toMatchObject({ operation: "event.nothing_to_do" });
    expect(recorded?.summary).toContain("nothing is written to Genesys");

    // A rehire afterwards brings the worker back, with the department the change recorded.
    await deliver(event("810002", "rehire", "2026-12-06", { department: "Renamed Support" }));
    expect(user("810002")).toMatchObject({ state: "active", department: "Renamed Support" });
    expect(await employee("810002")).toMatchObject({ state: "active", deleteAt: null });
  });

  it("a hire whose manager has no Genesys user yet is provisioned and invited, and linked once the manager exists", async () => {
    await deliver(
      event("810010", "hire", "2026-12-01", { managerEmployeeId: "810011", managerEmail: undefined }),
    );
    const report = user("810010");
    expect(report.state).toBe("active");
    expect(report.dateWelcomeSent).toEqual(ISO_TIMESTAMP);
    expect(report.managerId).toBeUndefined();
    expect(await employee("810010")).toMatchObject({ managerPending: { manager: "810011" } });
    expect((await audit("810010")).map((e) => e.operation)).toContain("manager.pending");

    await deliver(event("810011", "hire", "2026-12-01", { title: "Senior Technical Support" }));
    expect(user("810010").managerId).toBe(user("810011").id);
    expect(await employee("810010")).toMatchObject({ managerPending: null });
    expect((await audit("810010")).map((e) => e.operation)).toContain("manager.linked");
  });

  it("a manager whose Genesys user is made outside the product is linked by the periodic sweep", async () => {
    await deliver(event("810012", "hire", "2026-12-01", { managerEmail: "team.lead.810012@example.com" }));
    expect(await employee("810012")).toMatchObject({
      managerPending: { manager: "team.lead.810012@example.com" },
    });
    const admin = await asAdministrator(stack.genesys);
    const home = (await admin.api("GET", "/api/v2/authorization/divisions/home")) as { id: string };
    const lead = (await admin.api("POST", "/api/v2/users", {
      name: "Team Lead",
      email: "team.lead.810012@example.com",
      divisionId: home.id,
    })) as { id: string };

    await stack.host.invoke("inboxSweep");
    expect(user("810012").managerId).toBe(lead.id);
    expect(await employee("810012")).toMatchObject({ managerPending: null });
  });

  it("a mover to a title the mapping does not know loses what was assigned, stays, and converges after a fix", async () => {
    await deliver(event("810020", "hire", "2026-12-01"));
    expect(user("810020").queues.map((q) => q.name)).toEqual(["Priority_Support_Queue"]);

    await deliver(event("810020", "change", "2026-12-04", { title: "Workforce Analyst" }));
    const moved = user("810020");
    expect(moved.state).toBe("active");
    expect(moved.queues).toEqual([]);
    expect(moved.grants).toEqual([]);
    expect(moved.skills).toEqual([]);
    expect(moved.languages).toEqual([]);
    expect(moved.routingStatus).toBe("OFF_QUEUE");
    const quarantine = (await (await stack.call("GET", "/api/hr/quarantine")).json()) as {
      entries: Array<{ id: string; employeeKey?: string; reason: string }>;
    };
    const entry = quarantine.entries.find((e) => e.employeeKey === "810020");
    expect(entry?.reason).toContain('"Workforce Analyst"');

    const fixed = `${E2E_MAPPING}
  - match: { title: "Workforce Analyst" }
    division: Support
    roles:
      - { name: Employee }
    queues: [Tier_2_Escalation]
`;
    expect((await stack.call("PUT", "/api/mappings", fixed)).status).toBe(201);
    expect((await stack.call("POST", `/api/hr/quarantine/${entry!.id}/replay`)).status).toBe(200);
    await stack.host.durable.settle();
    const converged = user("810020");
    expect(converged.queues.map((q) => q.name)).toEqual(["Tier_2_Escalation"]);
    expect(converged.grants.map((g) => `${g.roleName}@${g.divisionName}`)).toEqual(["Employee@Support"]);
  });

  it("a future-dated event says what it waits for, and a late event says which event superseded it", async () => {
    const future = new Date(stack.host.clock.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await deliver(event("810030", "hire", "2026-12-01"));
    await deliver(event("810030", "terminate", future));
    const waiting = await employee("810030");
    expect(waiting).toMatchObject({ state: "active", pendingEvents: [{ type: "terminate" }] });
    expect(waiting.pendingEvents[0]?.dueAt.slice(0, 10)).toBe(future);
    const announced = (await audit("810030")).filter((e) => e.operation === "event.waiting");
    expect(announced).toHaveLength(1);
    expect(announced[0]?.summary).toContain(`waiting until ${future}`);

    await deliver(event("810030", "change", "2026-12-05", { title: "Senior Technical Support" }));
    await deliver(event("810030", "change", "2026-12-03", { title: "Sales Representative" }));
    const late = (await audit("810030")).find((e) => e.eventId === "810030-change-2026-12-03");
    expect(late).toMatchObject({ operation: "event.superseded" });
    expect(late?.summary).toContain("superseded by 810030-change-2026-12-05");
    expect(user("810030").division.name).toBe("Support");
  });
});
