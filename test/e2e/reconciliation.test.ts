import {
  asAdministrator,
  E2E_MAPPING,
  hireEvent,
  startLifecycleStackWithHr,
} from "../support/lifecycle-stack";
import { readFixture } from "../support/hr";
import { reconcile as reconcileOn, runEnded, type RunReport } from "../support/reconciliation";
import { workdayWorkersDocument, type WorkdayWorkerFixture } from "../support/workday-workers";

describe("reconciliation, end to end: HR events that never came and drift in Genesys", () => {
  let stack: Awaited<ReturnType<typeof startLifecycleStackWithHr>>;
  beforeAll(async () => {
    stack = await startLifecycleStackWithHr({
      env: { RECONCILIATION_SCHEDULE: "off", RECONCILIATION_SLICE_PAUSE_MS: "0" },
    });
    expect((await stack.call("PUT", "/api/mappings", E2E_MAPPING)).status).toBe(201);
  });
  afterAll(() => stack.stop());

  const today = () => new Date(stack.host.clock.now()).toISOString().slice(0, 10);
  const now = () => new Date(stack.host.clock.now());
  const inWorkday = (worker: Partial<WorkdayWorkerFixture> & { employeeId: string }) =>
    stack.workday.loadWorkers(
      workdayWorkersDocument([
        {
          email: `agent.${worker.employeeId}@example.com`,
          firstName: "Jane",
          lastName: `Doe${worker.employeeId}`,
          title: "Technical Support",
          hireDate: "2026-01-05",
          ...worker,
        },
      ]),
      // Entered as the product's clock sees it, so the run's window (read by that clock) holds it.
      { enteredAt: now() },
    );
  const deliver = async (event: object) => {
    expect((await stack.call("POST", "/api/hr/events", event)).status).toBe(202);
    await stack.host.durable.settle();
  };

  const reconcile = (mode: "report" | "fix") => reconcileOn(stack, mode);
  const ended = (location: string) => runEnded(stack, location);
  const findingsFor = (report: RunReport, employeeId: string) =>
    report.findings.filter((f) => f.employeeId === employeeId);

  it("a hire that was never delivered is found in Workday and provisioned, marked in the audit", async () => {
    inWorkday({ employeeId: "740001" });
    const report = await reconcile("report");

    expect(report.hr.find((s) => s.source === "workday")).toMatchObject({
      via: "Get_Workers",
      status: "read",
    });
    expect(findingsFor(report, "740001")).toEqual([
      expect.objectContaining({ kind: "hr-event", type: "hire", status: "accepted" }),
    ]);
    const user = stack.genesys.admin.user("agent.740001@example.com");
    expect(user).toMatchObject({ state: "active", employerInfo: { employeeId: "740001" } });
    expect(user?.queues.map((q) => q.name)).toEqual(["Priority_Support_Queue"]);
    const audit = await (await stack.call("GET", "/api/employees/740001/audit")).text();
    expect(audit).toContain("reconciliation.found");
  });

  it("a hire SuccessFactors never sent is found by lastModifiedDateTime and provisioned", async () => {
    const documents = JSON.parse(readFixture("sf-odata-entities.json")) as {
      d: { results: Record<string, unknown>[] };
    }[];
    // Changed now (as OData v2 writes a date-time); the other people were last changed long ago.
    for (const entity of documents.flatMap((document) => document.d.results)) {
      if ((entity.__metadata as { type: string }).type !== "SFOData.PerPerson") continue;
      entity.lastModifiedDateTime =
        entity.personIdExternal === "90001"
          ? `/Date(${stack.host.clock.now()}+0000)/`
          : "/Date(1262304000000+0000)/";
    }
    stack.successFactors.loadEntities(documents);

    const report = await reconcile("report");
    expect(report.hr.find((s) => s.source === "successfactors")).toMatchObject({
      via: "OData",
      status: "read",
      workersRead: 1,
    });
    expect(findingsFor(report, "90001")).toEqual([
      expect.objectContaining({ kind: "hr-event", type: "hire", status: "accepted" }),
    ]);
    const hired = stack.genesys.admin.users().filter((u) => u.employerInfo?.employeeId === "90001");
    expect(hired).toEqual([expect.objectContaining({ state: "active" })]);
  });

  it("a termination that was never delivered is found and runs the graceful leaver", async () => {
    await deliver(hireEvent("740002"));
    const agent = stack.genesys.admin.user("agent.740002@example.com")!;
    expect(agent.state).toBe("active");
    inWorkday({ employeeId: "740002", terminationDate: today() });

    const report = await reconcile("report");
    expect(findingsFor(report, "740002")).toEqual([
      expect.objectContaining({ kind: "hr-event", type: "terminate", status: "accepted" }),
    ]);
    const left = stack.genesys.admin.user(agent.id)!;
    expect(left.state).toBe("inactive");
    expect(left.routingStatus).toBe("OFF_QUEUE");
    expect(left.queues).toEqual([]);
  });

  it("a queue removed by hand is reported, then restored in fix mode; an extra the mapping does not own stays", async () => {
    await deliver(hireEvent("740003"));
    const agent = stack.genesys.admin.user("agent.740003@example.com")!;
    const admin = await asAdministrator(stack.genesys);
    const priority = agent.queues.find((q) => q.name === "Priority_Support_Queue")!;
    await admin.api("DELETE", `/api/v2/routing/queues/${priority.id}/members/${agent.id}`);
    await admin.addToQueue("Billing_Support", agent.id);
    const queues = () =>
      stack.genesys.admin
        .user(agent.id)!
        .queues.map((q) => q.name)
        .sort();
    expect(queues()).toEqual(["Billing_Support"]);

    const reported = await reconcile("report");
    const drift = findingsFor(reported, "740003");
    expect(drift).toEqual([expect.objectContaining({ kind: "drift", action: "reported" })]);
    expect(drift[0].items).toEqual([
      expect.objectContaining({ attribute: "queues", change: "missing", item: "Priority_Support_Queue" }),
    ]);
    expect(queues()).toEqual(["Billing_Support"]);

    const fixed = await reconcile("fix");
    expect(findingsFor(fixed, "740003")).toEqual([
      expect.objectContaining({ kind: "drift", action: "fix queued" }),
    ]);
    expect(fixed.genesys.fixesQueued).toBe(1);
    expect(queues()).toEqual(["Billing_Support", "Priority_Support_Queue"]);
  });

  it("a user whose employee id neither the product nor HR knows is reported as an orphan and kept", async () => {
    const admin = await asAdministrator(stack.genesys);
    const division = stack.genesys.admin.user("agent.740001@example.com")!.division;
    const created = (await admin.api("POST", "/api/v2/users", {
      name: "Unknown Person",
      email: "unknown.person@example.com",
      divisionId: division.id,
    })) as { id: string; version: number };
    await admin.api("PATCH", `/api/v2/users/${created.id}`, {
      version: created.version,
      employerInfo: { employeeId: "799999" },
    });

    const report = await reconcile("report");
    expect(findingsFor(report, "799999")).toEqual([
      expect.objectContaining({ kind: "orphan", userId: created.id, hrChecked: true }),
    ]);
    expect(stack.genesys.admin.user(created.id)?.state).toBe("active");
  });

  it("a second run finds nothing new and writes nothing", async () => {
    const first = await reconcile("fix");
    const writes = () =>
      Object.entries(stack.genesys.admin.counters().byEndpoint)
        .filter(([endpoint]) => !endpoint.startsWith("GET ") && !endpoint.includes("/oauth/token"))
        .filter(([endpoint]) => !endpoint.startsWith("POST /api/v2/audits"))
        .reduce((sum, [, n]) => sum + n, 0);
    const before = writes();

    const second = await reconcile("fix");
    expect(second.hr.reduce((n, s) => n + s.eventsAccepted, 0)).toBe(0);
    expect(second.genesys.drifted).toBe(0);
    expect(second.genesys.fixesQueued).toBe(0);
    expect(second.findings.filter((f) => f.kind === "hr-event" || f.kind === "drift")).toEqual([]);
    // The orphan is still there, and still only reported.
    expect(second.genesys.orphans).toBe(first.genesys.orphans);
    expect(writes()).toBe(before);
    expect(second.cost.genesysCalls).toBeGreaterThan(0);
  });

  it("a compare slice that steps back for a 429 keeps the reads it made, and the report counts every call", async () => {
    const seniors = ["740011", "740012", "740013"];
    for (const id of seniors) await deliver(hireEvent(id, { title: "Senior Technical Support" }));
    const ids = seniors.map((id) => stack.genesys.admin.user(`agent.${id}@example.com`)!.id);
    const subject = (id: string) => `/api/v2/authorization/subjects/${id}`;
    // Their Knowledge Base Editor role is granted in all divisions, which no listing shows: read per user.
    // Genesys answers the second one's read 429, with a wait longer than the run's client sleeps: a step-back.
    stack.genesys.admin.setFaults({
      rateLimitStormRequests: 1,
      rateLimitStormRetryAfterSeconds: 1,
      pathPattern: `^${subject(ids[1])}$`,
    });
    stack.genesys.admin.clearRequests();
    try {
      const started = await stack.call("POST", "/api/reconciliation/runs", { mode: "report" });
      expect(started.status).toBe(202);
      const location = started.headers.get("location")!;
      const report = await ended(location);
      expect(report).toMatchObject({ status: "completed" });

      const requests = stack.genesys.admin.requests();
      expect(requests.filter((r) => r.fault === "storm").map((r) => r.path)).toEqual([subject(ids[1])]);
      const answered = (path: string) => requests.filter((r) => r.path === path && r.status === 200).length;
      expect(ids.map((id) => answered(subject(id)))).toEqual([1, 1, 1]);
      // Every per-user read happened once, whoever else the run read one by one.
      const perUser = requests.filter((r) => r.path.startsWith("/api/v2/authorization/subjects/"));
      const paths = perUser.filter((r) => r.status === 200).map((r) => r.path);
      expect(new Set(paths).size).toBe(paths.length);
      // The run's own count is the emulator's: the 429 and the reads before the step-back included.
      expect(report.cost.genesysCalls).toBe(requests.filter((r) => r.path !== "/oauth/token").length);
      // The compare slice's step-back is one of the run's back-offs.
      expect(report.cost.backOffs).toBeGreaterThanOrEqual(1);
    } finally {
      stack.genesys.admin.clearFaults();
    }
  });

  it("a read slice that fails on a transient fault is retried from where it stopped, its calls and the retry counted", async () => {
    const members = /^\/api\/v2\/routing\/queues\/[^/]+\/members$/;
    // Every queue listing fails (503) until the faults are cleared: the client's own retries give up, and the
    // slice fails for the orchestration to retry after a back-off.
    stack.genesys.admin.setFaults({ errorRate: 1, errorStatuses: [503], pathPattern: members.source });
    stack.genesys.admin.clearRequests();
    let cleared = false;
    try {
      const started = await stack.call("POST", "/api/reconciliation/runs", { mode: "report" });
      expect(started.status).toBe(202);
      await stack.host.durable.settle();
      const failedFirst = stack.genesys.admin.requests().filter((r) => members.test(r.path));
      expect(failedFirst.length).toBeGreaterThan(1);
      expect(failedFirst.every((r) => r.status === 503 && r.path === failedFirst[0].path)).toBe(true);
      stack.genesys.admin.clearFaults();
      cleared = true;
      const report = await ended(started.headers.get("location")!);
      expect(report).toMatchObject({ status: "completed" });

      const requests = stack.genesys.admin.requests();
      // The retry went on from the listing that failed: the users listing before it was not read again.
      expect(requests.filter((r) => r.path === "/api/v2/users" && r.status === 200).length).toBe(1);
      const failedQueue = requests.filter((r) => r.path === failedFirst[0].path);
      expect(failedQueue.map((r) => r.status)).toEqual([...failedFirst.map(() => 503), 200]);
      // Every request is in the run's cost, the failed attempt's included; the retry is a back-off.
      expect(report.cost.genesysCalls).toBe(requests.filter((r) => r.path !== "/oauth/token").length);
      expect(report.cost.backOffs).toBeGreaterThanOrEqual(1);
    } finally {
      if (!cleared) stack.genesys.admin.clearFaults();
    }
  });

  it("answers 404 for a run that does not exist, and 400 for a mode that is not one", async () => {
    expect((await stack.call("GET", "/api/reconciliation/runs/no-such-run")).status).toBe(404);
    const bad = await stack.call("POST", "/api/reconciliation/runs", { mode: "delete" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_field", field: "mode" });
  });
});
