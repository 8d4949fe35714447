import {
  ADMINISTRATOR_CLIENT,
  asAdministrator,
  E2E_MAPPING,
  hireEvent,
  useLifecycleStack,
} from "../support/lifecycle-stack";
import { reconcile, type ReportedDriftItem, type RunReport } from "../support/reconciliation";

/** The product's own OAuth client in the emulator (the stack's default). */
const PRODUCT_CLIENT = "lifecycle-local";

describe("reconciliation names who changed drift in Genesys, and when, from Genesys's audit", () => {
  const stack = useLifecycleStack({
    mapping: E2E_MAPPING,
    env: { RECONCILIATION_SCHEDULE: "off", RECONCILIATION_SLICE_PAUSE_MS: "0" },
  });

  const hired = async (employeeId: string) => {
    await stack.deliver(hireEvent(employeeId));
    return stack.genesys.admin.user(`agent.${employeeId}@example.com`)!;
  };
  const driftOf = (report: RunReport, employeeId: string): ReportedDriftItem[] => {
    const found = report.findings.filter((f) => f.kind === "drift" && f.employeeId === employeeId);
    expect(found).toEqual([expect.objectContaining({ action: "reported" })]);
    return found[0].items!;
  };
  const item = (items: ReportedDriftItem[], attribute: string) =>
    items.find((i) => i.attribute === attribute)!;

  let agent: Awaited<ReturnType<typeof hired>>;
  let changedFrom: string;
  let changedUntil: string;

  beforeAll(async () => {
    agent = await hired("750001");
    const priority = agent.queues.find((q) => q.name === "Priority_Support_Queue")!;
    const skill = agent.skills.find((s) => s.name === "Network_Troubleshooting")!;
    // An administrator, with their own OAuth client, removes the agent's queue and a skill by hand.
    changedFrom = new Date().toISOString();
    const admin = await asAdministrator(stack.genesys);
    await admin.api("DELETE", `/api/v2/routing/queues/${priority.id}/members/${agent.id}`);
    await admin.api("DELETE", `/api/v2/users/${agent.id}/routingskills/${skill.id}`);
    changedUntil = new Date().toISOString();
  });

  it("reports each drifted attribute with the administrator's client as its author and the time of the change", async () => {
    const report = await reconcile(stack, "report");

    expect(report.genesys.auditUnavailable).toBeUndefined();
    const items = driftOf(report, "750001");
    expect(items.map((i) => `${i.attribute} ${i.change} ${i.item}`).sort()).toEqual([
      "queues missing Priority_Support_Queue",
      "skills missing Network_Troubleshooting",
    ]);
    for (const attribute of ["queues", "skills"]) {
      const { changedBy, changedAt } = item(items, attribute);
      expect(changedBy).toBe(`OAuth client ${ADMINISTRATOR_CLIENT}`);
      expect(changedAt! >= changedFrom && changedAt! <= changedUntil).toBe(true);
    }
    // Report mode changes nothing.
    expect(stack.genesys.admin.user(agent.id)!.queues.map((q) => q.name)).toEqual([]);
  });

  it("never names the product's own client, nor the administrator for a change they did not make", async () => {
    // A script sharing the product's credentials removes a language from the same agent: Genesys logs it under
    // Routing on the user, next to the administrator's skill removal.
    const english = agent.languages.find((l) => l.name === "English")!;
    const sharing = await asAdministrator(stack.genesys, PRODUCT_CLIENT);
    await sharing.api("DELETE", `/api/v2/users/${agent.id}/routinglanguages/${english.id}`);

    const report = await reconcile(stack, "report");
    const items = driftOf(report, "750001");
    expect(item(items, "languages")).toEqual({
      attribute: "languages",
      change: "missing",
      item: "English",
      itemId: english.id,
      expected: "5",
    });
    expect(item(items, "skills").changedBy).toBe(`OAuth client ${ADMINISTRATOR_CLIENT}`);
    const named = report.findings.flatMap((f) => f.items ?? []).map((i) => i.changedBy);
    expect(named.filter((by) => by?.includes(PRODUCT_CLIENT))).toEqual([]);
  });

  it("without audits:audit:view the report still lists the drift, says what to grant, and names nobody", async () => {
    // An administrator takes the Audit Viewer role away from the product's client.
    stack.genesys.admin.setClientGrants(PRODUCT_CLIENT, [{ role: "Lifecycle Provisioning", division: "*" }]);
    try {
      const report = await reconcile(stack, "report");

      expect(report.genesys.auditUnavailable).toMatch(/HTTP 403.*grant the OAuth client audits:audit:view/);
      const items = driftOf(report, "750001");
      expect(items.map((i) => i.attribute).sort()).toEqual(["languages", "queues", "skills"]);
      for (const drifted of report.findings.flatMap((f) => f.items ?? [])) {
        expect(drifted.changedBy).toBeUndefined();
        expect(drifted.changedAt).toBeUndefined();
      }
      const refused = stack.genesys.admin
        .requests({ endpoint: "POST /api/v2/audits/query/realtime" })
        .filter((r) => r.clientId === PRODUCT_CLIENT);
      expect(refused.at(-1)?.status).toBe(403);
    } finally {
      stack.genesys.admin.setClientGrants(PRODUCT_CLIENT, [
        { role: "Lifecycle Provisioning", division: "*" },
        { role: "Audit Viewer", division: "*" },
      ]);
    }
  });
});
