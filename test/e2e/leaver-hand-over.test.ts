import { E2E_MAPPING, hireEvent, useLifecycleStack } from "../support/lifecycle-stack";

const MIN = 60_000;

/** The e2e mapping with the policy most organisations start with: the manager, else a queue; no leaver queue. */
const MANAGER_THEN_QUEUE = E2E_MAPPING.replace(
  "leaver: { transferTo: supervisor, fallback: queue, retentionDays: 30 }",
  "leaver: { transferTo: manager, fallback: queue, retentionDays: 30 }",
);

interface Session {
  state: string;
}
interface Participant {
  id: string;
  purpose: string;
  userId?: string;
  calls?: Session[];
  emails?: Session[];
  messages?: Session[];
  callbacks?: Session[];
}
interface AuditEntry {
  operation: string;
  summary?: string;
  eventId?: string;
}

/**
 * The day an organisation adopts the product its agents are "brownfield": they exist in Genesys, HR sends
 * titles the mapping does not know and often no manager. These leavers must still never strand a customer.
 */
describe("graceful leaver, end to end: real targets, no early disconnect", () => {
  const stack = useLifecycleStack({ mapping: MANAGER_THEN_QUEUE });

  const admin = () => stack.genesys.admin;
  const today = () => new Date(stack.host.clock.now()).toISOString().slice(0, 10);
  /** A termination from HR for a seeded Genesys user, without a manager unless one is given. */
  const terminate = async (employeeId: string, email: string, worker: Record<string, unknown> = {}) => {
    const event = {
      ...hireEvent(employeeId, { email, managerEmail: undefined, ...worker }, "terminate"),
      eventId: `leave-${employeeId}`,
      effectiveDate: today(),
    };
    await stack.deliver(event);
  };
  const audit = async (employeeId: string) =>
    (
      (await (await stack.call("GET", `/api/employees/${employeeId}/audit`)).json()) as {
        entries: AuditEntry[];
      }
    ).entries;
  const states = (p: Participant | undefined) =>
    [...(p?.calls ?? []), ...(p?.emails ?? []), ...(p?.messages ?? []), ...(p?.callbacks ?? [])].map(
      (s) => s.state,
    );
  const participants = (conversationId: string) =>
    admin()
      .interactions()
      .find((c) => c.id === conversationId)!.participants as Participant[];
  /** Who holds the conversation now: a connected agent's user id, or "queue" for a connected ACD leg. */
  const holder = (conversationId: string) => {
    const live = participants(conversationId).filter(
      (p) => p.purpose !== "customer" && states(p).includes("connected"),
    );
    return live.map((p) => (p.purpose === "acd" ? "queue" : p.userId));
  };
  const customerConnected = (conversationId: string) =>
    states(participants(conversationId).find((p) => p.purpose === "customer")).includes("connected");
  const advance = async (minutes: number) => {
    for (let m = 0; m < minutes; m += 5) await stack.host.durable.advance(5 * MIN);
  };

  it("hands a brownfield agent's interactions to the manager on their Genesys user, though HR names none", async () => {
    const alex = admin().user("alex.agent@example.com")!;
    const sam = admin().user("sup.support@example.com")!;
    expect(alex.managerId).toBe(sam.id);
    const conversations = alex.interactions.map((i) => i.conversationId);
    expect(conversations).toHaveLength(2); // a call and an email through Priority_Support_Queue

    await terminate("100401", alex.email, { title: "Field Technician", department: "Field" });

    expect(admin().user(alex.id)?.state).toBe("inactive");
    for (const id of conversations) {
      expect(customerConnected(id)).toBe(true);
      expect(holder(id)).toEqual([sam.id]);
    }
    const entries = await audit("100401");
    expect(entries.map((e) => e.operation)).not.toContain("leaver.disconnected");
    const transfers = entries.filter((e) => e.operation === "leaver.transferred").map((e) => e.summary);
    expect(transfers).toHaveLength(2);
    for (const summary of transfers)
      expect(summary).toMatch(
        /\(came in through Priority_Support_Queue\): manager Sam Support-Lead \(manager on the leaver's Genesys user\): transferred$/,
      );
  });

  it("never hands work to a manager who is leaving, and deactivates that manager only once they hold nothing", async () => {
    const sasha = admin().user("sup.sales@example.com")!;
    const carl = admin().user("carl.seller@example.com")!;
    // The manager's own call came in directly: no queue, no manager of hers, no profile. Nobody can take it.
    const own = admin().addInteraction({ mediaType: "voice", agent: sasha.id, customer: "Val Direct" }).id;
    const reports = carl.interactions.map((i) => i.conversationId); // a call through Inbound_Sales
    expect(reports).toHaveLength(1);

    await terminate("100306", sasha.email, { title: "Sales Team Lead", department: "Sales" });
    expect(admin().user(sasha.id)).toMatchObject({ state: "active", routingStatus: "OFF_QUEUE" });
    expect(holder(own)).toEqual([sasha.id]);

    // The report leaves while the manager is mid-leaver: HR names her, but she is no one to hand work to.
    await terminate("100403", carl.email, {
      title: "Account Executive",
      department: "Sales",
      managerEmployeeId: "100306",
    });
    expect(admin().user(carl.id)?.state).toBe("inactive");
    expect(customerConnected(reports[0])).toBe(true);
    expect(holder(reports[0])).toEqual(["queue"]);
    const carlTransfer = (await audit("100403")).find((e) => e.operation === "leaver.transferred");
    expect(carlTransfer?.summary).toMatch(
      /manager Sasha Sales-Lead \(HR's manager\) skipped: is a leaver in progress; queue Inbound_Sales \(the interaction's queue\): transferred$/,
    );

    // Her own customer is neither cut off nor stranded with an inactive user: she stays active while she holds it.
    await advance(60);
    expect(admin().user(sasha.id)?.state).toBe("active");
    expect(customerConnected(own)).toBe(true);
    admin().endInteraction(own); // the customer hangs up
    await advance(5);
    expect(admin().user(sasha.id)?.state).toBe("inactive");
    const sashaStory = await audit("100306");
    expect(sashaStory.map((e) => e.operation)).not.toContain("leaver.disconnected");
    expect(sashaStory.find((e) => e.operation === "leaver.hand-over-failed")?.summary).toMatch(
      /^voice \S+: manager skipped: HR names no manager and none is set on the leaver's Genesys user; queue skipped: the interaction came through no queue, .*; kept with the leaver for now/,
    );
  });

  it("tries the next option in the same pass when the chosen manager is deactivated before the transfer", async () => {
    const dana = admin().user("dana.dupont@example.com")!;
    const emma = admin().user("sup.emea@example.com")!;
    const call = admin().addInteraction({
      mediaType: "voice",
      agent: dana.id,
      queue: "EMEA_Support_French",
    }).id;
    // The manager is looked at (active, Available), then deactivated by an administrator before the transfer.
    admin().afterNextRequest({ method: "GET", path: new RegExp(`/api/v2/users/${emma.id}$`) }, () =>
      admin().deactivateUser(emma.id),
    );

    await terminate("100404", dana.email, { title: "Support Agent (French)", department: "Support" });

    // No re-check was needed: the same pass moved on to the queue and the leaver is gone.
    expect(admin().user(dana.id)?.state).toBe("inactive");
    expect(customerConnected(call)).toBe(true);
    expect(holder(call)).toEqual(["queue"]);
    const transfer = (await audit("100404")).find((e) => e.operation === "leaver.transferred");
    expect(transfer?.summary).toMatch(
      /manager Emma EMEA-Lead \(manager on the leaver's Genesys user\) refused: .*; queue EMEA_Support_French \(the interaction's queue\): transferred$/,
    );
  });

  it("with no valid target, disconnects nothing before the deadline, and at the deadline only as the last resort", async () => {
    const hugo = admin().user("hugo.home@example.com")!;
    const call = admin().addInteraction({ mediaType: "voice", agent: hugo.id, customer: "Nico Direct" }).id;

    await terminate("100405", hugo.email, {
      title: "Customer Service Representative",
      department: "Service",
    });
    // LEAVER_DRAIN_DEADLINE_MINUTES is 120: re-checked every 5 minutes until then, kept every time.
    await advance(115);
    expect(admin().user(hugo.id)?.state).toBe("active");
    expect(holder(call)).toEqual([hugo.id]);
    expect(customerConnected(call)).toBe(true);
    expect((await audit("100405")).map((e) => e.operation)).not.toContain("leaver.disconnected");

    await advance(5);
    expect(admin().user(hugo.id)?.state).toBe("inactive");
    expect(customerConnected(call)).toBe(false);
    const story = await audit("100405");
    expect(story.find((e) => e.operation === "leaver.disconnected")?.summary).toMatch(
      /^voice \S+: manager skipped: .*; queue skipped: .*; disconnect \(last resort\): disconnected$/,
    );
    const ops = story.map((e) => e.operation);
    expect(ops.indexOf("leaver.hand-over-failed")).toBeLessThan(ops.indexOf("leaver.disconnected"));
  });

  it("hands over the callbacks a leaver owns: the placed one is transferred, the scheduled one reassigned", async () => {
    const bea = admin().user("bea.agent@example.com")!;
    const sam = admin().user("sup.support@example.com")!;
    const placed = admin().addInteraction({
      mediaType: "callback",
      agent: bea.id,
      queue: "Tier_2_Escalation",
    }).id;
    const scheduled = admin().addInteraction({
      mediaType: "callback",
      agent: bea.id,
      queue: "Priority_Support_Queue",
      scheduledAt: new Date(stack.host.clock.now() + 86_400_000).toISOString(),
    }).id;
    expect(
      admin()
        .user(bea.id)!
        .ownedCallbacks.map((c) => c.conversationId),
    ).toEqual([scheduled]);

    await terminate("100402", bea.email, { title: "Senior Technical Support", department: "Support" });

    expect(admin().user(bea.id)).toMatchObject({ state: "inactive", interactions: [], ownedCallbacks: [] });
    expect(holder(placed)).toEqual([sam.id]);
    expect(customerConnected(placed)).toBe(true);
    expect(
      admin()
        .user(sam.id)!
        .ownedCallbacks.map((c) => c.conversationId),
    ).toContain(scheduled);
    const summaries = (await audit("100402"))
      .filter((e) => e.operation === "leaver.transferred")
      .map((e) => e.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^callback \S+ \(came in through Tier_2_Escalation\): manager Sam Support-Lead .*: transferred$/,
        ),
        expect.stringMatching(
          /^scheduled callback \S+ due \S+ \(waiting in Priority_Support_Queue\): manager Sam Support-Lead .*: reassigned$/,
        ),
      ]),
    );
  });
});
