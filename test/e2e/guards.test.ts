import { APPROVAL_EVENT } from "../../src/activities/leaver.contract";
import { useLifecycleStack, E2E_MAPPING, hireEvent } from "../support/lifecycle-stack";

/** Bearer tokens the local host signs in as a reader and as an approver (LOCAL_DEV_TOKENS, lifecycle-stack). */
const asReader = { authorization: "Bearer reader-token" };
const asApprover = { authorization: "Bearer approver-token" };

describe("safety, end to end: the mass-deactivation guard and who may decide it", () => {
  // A guard that trips on the second deactivation within the hour.
  const stack = useLifecycleStack({ env: { DEACTIVATION_GUARD_MAX_COUNT: "1" }, mapping: E2E_MAPPING });
  beforeAll(async () => {
    for (const id of ["740001", "740002", "740003", "740004"]) {
      expect((await stack.call("POST", "/api/hr/events", hireEvent(id))).status).toBe(202);
    }
    await stack.host.durable.settle();
  });

  const today = () => new Date(stack.host.clock.now()).toISOString().slice(0, 10);
  const terminate = async (id: string) => {
    const event = { ...hireEvent(id, {}, "terminate"), eventId: `leave-${id}`, effectiveDate: today() };
    await stack.deliver(event);
  };
  const state = (id: string) => stack.genesys.admin.user(`agent.${id}@example.com`)?.state;
  type Approval = { id: string; reason: string; instanceId: string; status: string; decidedBy?: string };
  const approvals = async (status = "pending") =>
    ((await (await stack.call("GET", `/api/approvals?status=${status}`)).json()) as { approvals: Approval[] })
      .approvals;

  it("pauses the second leaver; a reader cannot approve, a forged event decides nothing, the approver is recorded", async () => {
    await terminate("740001");
    expect(state("740001")).toBe("inactive");

    await terminate("740002");
    expect(state("740002")).toBe("active");
    expect(stack.genesys.admin.user("agent.740002@example.com")?.routingStatus).toBe("OFF_QUEUE");
    const [approval] = await approvals();
    expect(approval?.reason).toBe("2 deactivations within 1 h exceed the limit of 1");

    // A reader may see the approval but not decide it.
    const byReader = await stack.call(
      "POST",
      `/api/approvals/${approval.id}`,
      { decision: "approve" },
      asReader,
    );
    expect(byReader.status).toBe(403);
    // Nor may anyone name the approver in the body.
    const selfNamed = await stack.call(
      "POST",
      `/api/approvals/${approval.id}`,
      { decision: "approve", by: "ceo@example.com" },
      asApprover,
    );
    expect(selfNamed.status).toBe(400);
    // An approval raised straight through the Durable API, with no approval row behind it, is ignored.
    const forged = await fetch(
      `${stack.host.url}/runtime/webhooks/durabletask/instances/${encodeURIComponent(approval.instanceId)}/raiseEvent/${APPROVAL_EVENT}`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"approved":true,"by":"forger"}',
      },
    );
    expect(forged.status).toBe(202);
    await stack.host.durable.settle();
    expect(state("740002")).toBe("active");
    expect(await approvals()).toHaveLength(1);

    const decided = await stack.call(
      "POST",
      `/api/approvals/${approval.id}`,
      { decision: "approve" },
      asApprover,
    );
    expect(decided.status).toBe(200);
    await stack.host.durable.settle();
    expect(state("740002")).toBe("inactive");
    expect(await approvals()).toEqual([]);
    expect((await approvals("approved"))[0]).toMatchObject({
      id: approval.id,
      decidedBy: "approver@example.com",
    });
  });

  it("stops on rejection: the agent stays active (off queue) and the event is quarantined for replay", async () => {
    await terminate("740003");
    const [approval] = await approvals();
    expect(
      (await stack.call("POST", `/api/approvals/${approval.id}`, { decision: "reject" }, asApprover)).status,
    ).toBe(200);
    await stack.host.durable.settle();
    expect(state("740003")).toBe("active");
    const quarantine = await (await stack.call("GET", "/api/hr/quarantine")).text();
    expect(quarantine).toContain("deactivation rejected by approver@example.com");
  });

  it("lets a reader read but not import or replay, and refuses a caller with no role or an unknown token", async () => {
    expect((await stack.call("GET", "/api/mappings/versions", undefined, asReader)).status).toBe(200);
    expect((await stack.call("PUT", "/api/mappings", E2E_MAPPING, asReader)).status).toBe(403);
    const batch =
      "employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate\n";
    expect(
      (
        await stack.call("POST", "/api/onboarding/batches", batch, {
          ...asReader,
          "content-type": "text/csv",
        })
      ).status,
    ).toBe(403);
    expect((await stack.call("POST", "/api/hr/quarantine/eA/replay", undefined, asReader)).status).toBe(403);
    expect(
      (await stack.call("GET", "/api/mappings", undefined, { authorization: "Bearer no-role-token" })).status,
    ).toBe(403);
    expect(
      (await stack.call("GET", "/api/mappings", undefined, { authorization: "Bearer made-up" })).status,
    ).toBe(401);
    // A principal header sent by the caller is removed by the platform (here, the local host).
    const forgedPrincipal = Buffer.from(
      JSON.stringify({
        claims: [
          { typ: "name", val: "ceo" },
          { typ: "roles", val: "Lifecycle.Operator" },
        ],
      }),
    ).toString("base64");
    expect(
      (
        await stack.call("PUT", "/api/mappings", E2E_MAPPING, {
          ...asReader,
          "x-ms-client-principal": forgedPrincipal,
        })
      ).status,
    ).toBe(403);
  });

  it("hands over work that reached a paused leaver during the wait before deactivating them", async () => {
    await terminate("740004");
    expect(state("740004")).toBe("active");
    const approval = (await approvals()).find((a) => a.reason.startsWith("3 deactivations"));
    expect(approval).toMatchObject({ status: "pending", instanceId: expect.stringContaining("740004") });
    // Days into the wait a colleague transfers a customer to the paused (Offline, off queue) leaver.
    const agent = stack.genesys.admin.user("agent.740004@example.com")!;
    const call = stack.genesys.admin.addInteraction({
      mediaType: "voice",
      agent: agent.id,
      queue: "Priority_Support_Queue",
    });
    await stack.host.durable.advance(2 * 86_400_000);
    expect(state("740004")).toBe("active");

    const decided = await stack.call(
      "POST",
      `/api/approvals/${approval!.id}`,
      { decision: "approve" },
      asApprover,
    );
    expect(decided.status).toBe(200);
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
