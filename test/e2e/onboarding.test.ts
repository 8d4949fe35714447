import { useLifecycleStack, E2E_MAPPING, ISO_TIMESTAMP } from "../support/lifecycle-stack";

const HEADER =
  "employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate";
const TITLES = ["Technical Support", "Senior Technical Support", "Sales Representative"];

/** 40 seasonal hires: 2 whose emails belong to an inactive and a deleted user, 2 unknown titles, 1 duplicate row. */
function seasonalCsv(): string {
  const rows: string[] = [];
  for (let i = 0; i < 36; i++) {
    const id = String(750000 + i);
    rows.push(
      `${id},season.${id}@example.com,Sam,Season${i},${TITLES[i % 3]},Support,Dublin,IE,sup.support@example.com,2026-11-01`,
    );
  }
  rows.push("100201,ivy.inactive@example.com,Ivy,Inactive,Technical Support,Support,,,,2026-11-01");
  rows.push("100202,dirk.deleted@example.com,Dirk,Deleted,Technical Support,Support,,,,2026-11-01");
  rows.push("750900,astro.naut@example.com,Astro,Naut,Astronaut,Space,,,,2026-11-01");
  rows.push("750000,season.750000@example.com,Sam,Season0,Technical Support,Support,Dublin,IE,,2026-11-01");
  return [HEADER, ...rows].join("\n") + "\n";
}

describe("bulk onboarding, end to end: throttled batches under faults, every hire accounted for", () => {
  const stack = useLifecycleStack({
    env: { ONBOARDING_BATCH_SIZE: "10", ONBOARDING_BATCH_INTERVAL_MS: "1000" },
    mapping: E2E_MAPPING,
  });

  it("onboards the batch, restores instead of duplicating, reports every row, and runs once when resubmitted", async () => {
    if (!process.env.NO_FAULTS)
      stack.genesys.admin.setFaults({
        errorRate: 0.05,
        errorStatuses: [503],
        rateLimitStormRequests: 30,
        rateLimitStormRetryAfterSeconds: 2,
        seed: 7,
      });
    const csv = seasonalCsv();
    const submittedAt = new Date().toISOString();
    const accepted = await stack.call("POST", "/api/onboarding/batches", csv, { "content-type": "text/csv" });
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };

    const running = await stack.call("GET", `/api/onboarding/batches/${id}`);
    expect(running.status).toBe(202);

    await stack.host.durable.runUntilIdle();
    stack.genesys.admin.clearFaults();
    // The first search for employee ids (past the injected faults) looks up only the first three slices' hires:
    // the others are looked up once those run.
    const searched = stack.genesys.admin
      .requests({ endpoint: "POST /api/v2/users/search", since: submittedAt })
      .map((r) => (r.requestBody as { query?: Array<{ fields: string[]; values: string[] }> })?.query?.[0])
      .filter((term) => term?.fields[0] === "employerInfo.employeeId");
    const firstRows = csv.split("\n").slice(1, 31);
    expect(searched[0]?.values).toEqual(firstRows.map((line) => line.split(",")[0]));

    const done = await stack.call("GET", `/api/onboarding/batches/${id}`);
    expect(done.status).toBe(200);
    const report = (await done.json()) as {
      totals: Record<string, number>;
      hires: { row: number; state: string; summary: string; employeeKey: string }[];
    };
    expect(report.hires).toHaveLength(40);
    expect(report.totals).toMatchObject({
      total: 40,
      pending: 0,
      created: 36,
      restored: 2,
      unchanged: 1,
      failed: 1,
    });
    expect(report.hires.find((h) => h.employeeKey === "750900")).toMatchObject({ state: "failed" });
    // Rows are numbered as the spreadsheet shows them: the header is row 1, the first hire row 2.
    expect(report.hires[0]).toMatchObject({ row: 2 });
    expect(report.hires[39]).toMatchObject({ row: 41, state: "unchanged", summary: "duplicate of row 2" });

    // Under the faults an activity may run up to five times (the activities' retry policy), each run reading again.
    const ATTEMPTS = 5;
    // Each slice of 10 is searched together, not hire by hire: employee ids, emails and managers when it is
    // looked up, managers again when it is read back. An activity retried after a fault may search again.
    const searches = stack.genesys.admin
      .requests({ endpoint: "POST /api/v2/users/search" })
      .filter((r) => r.status === 200);
    expect(searches.length).toBeGreaterThanOrEqual(4);
    expect(searches.length).toBeLessThanOrEqual(4 * ATTEMPTS);
    // Queues are confirmed per queue after joining; only the two restored users have theirs read one by one.
    const userQueueReads = stack.genesys.admin
      .requests({ endpoint: "GET /api/v2/users/{userId}/queues" })
      .filter((r) => r.status === 200);
    expect(userQueueReads.length).toBeLessThanOrEqual(2 * ATTEMPTS);
    // Roles are granted per role and set of divisions for the whole batch, never user by user; the grants are
    // confirmed per division and, for the seniors' role in all divisions, from that role's listing. Only the
    // two restored users have theirs read one by one.
    const ok = (endpoint: string) => stack.genesys.admin.requests({ endpoint }).filter((r) => r.status < 300);
    expect(ok("POST /api/v2/authorization/subjects/{subjectId}/bulkadd")).toEqual([]);
    const roleGrants = ok("POST /api/v2/authorization/roles/{roleId}");
    expect(roleGrants.length).toBeGreaterThanOrEqual(1);
    expect(roleGrants.length).toBeLessThanOrEqual(6 * 3);
    expect(ok("GET /api/v2/authorization/subjects/{subjectId}").length).toBeLessThanOrEqual(2 * ATTEMPTS);

    // No user exists twice, and every created user matches its profile exactly.
    for (let i = 0; i < 36; i++) {
      const users = stack.genesys.admin.users({ email: `season.${750000 + i}@example.com` });
      expect(users).toHaveLength(1);
      const user = users[0];
      expect(user.state).toBe("active");
      expect(user.dateWelcomeSent).toEqual(ISO_TIMESTAMP);
      const expectedQueues = [
        ["Priority_Support_Queue"],
        ["Priority_Support_Queue", "Tier_2_Escalation"],
        ["Inbound_Sales"],
      ][i % 3];
      expect(user.queues.map((q) => q.name).sort()).toEqual(expectedQueues);
    }
    expect(stack.genesys.admin.users({ email: "ivy.inactive@example.com" })).toMatchObject([
      { state: "active" },
    ]);
    expect(stack.genesys.admin.users({ email: "dirk.deleted@example.com" })).toMatchObject([
      { state: "active" },
    ]);

    const csvReport = await (
      await stack.call("GET", `/api/onboarding/batches/${id}`, undefined, { accept: "text/csv" })
    ).text();
    expect(csvReport.split("\r\n")[0]).toBe("row,employeeId,state,genesysUserId,summary");

    const before = stack.genesys.admin.counters().total;
    const again = await stack.call("POST", "/api/onboarding/batches", csv, { "content-type": "text/csv" });
    expect(((await again.json()) as { id: string }).id).toBe(id);
    await stack.host.durable.runUntilIdle();
    expect(stack.genesys.admin.counters().total).toBe(before);
  }, 180_000); // a 40-hire batch under faults and a 429 storm, on a shared 2-core machine

  it("a failed row is in quarantine with its batch and row, and a retry after the mapping is fixed provisions it", async () => {
    const csv = seasonalCsv();
    const { id } = (await (
      await stack.call("POST", "/api/onboarding/batches", csv, { "content-type": "text/csv" })
    ).json()) as { id: string };
    await stack.host.durable.runUntilIdle();

    // The unknown title (CSV row 40) is in quarantine like any other event, naming its batch and row.
    const quarantine = (await (await stack.call("GET", "/api/hr/quarantine")).json()) as {
      entries: Array<{ id: string; batchId?: string; row?: number; employeeKey?: string; reason: string }>;
    };
    const entry = quarantine.entries.find((e) => e.batchId === id && e.employeeKey === "750900");
    expect(entry).toMatchObject({ row: 40 });
    expect(entry?.reason).toContain('"Astronaut"');

    // Retried before the cause is fixed, the row fails again, for the same reason, and is back in quarantine.
    const early = await stack.call("POST", `/api/onboarding/batches/${id}/retry`);
    expect(early.status).toBe(202);
    expect(await early.json()).toMatchObject({ retried: 1, rows: [{ row: 40, status: "retrying" }] });
    await stack.host.durable.runUntilIdle();
    const stillFailed = (await (await stack.call("GET", `/api/onboarding/batches/${id}`)).json()) as {
      hires: { row: number; state: string; summary: string }[];
    };
    expect(stillFailed.hires.find((h) => h.row === 40)?.state).toBe("failed");
    const reopened = (await (await stack.call("GET", "/api/hr/quarantine")).json()) as {
      entries: Array<{ id: string }>;
    };
    expect(reopened.entries.map((e) => e.id)).toContain(entry?.id);

    const fixed =
      E2E_MAPPING +
      `
  - match: { title: "Astronaut" }
    division: Support
    roles:
      - { name: Agent }
    queues: [Priority_Support_Queue]
`;
    expect((await stack.call("PUT", "/api/mappings", fixed)).status).toBe(201);
    const retry = await stack.call("POST", `/api/onboarding/batches/${id}/retry`);
    expect(retry.status).toBe(202);
    expect(await retry.json()).toMatchObject({ retried: 1, rows: [{ row: 40, status: "retrying" }] });
    await stack.host.durable.runUntilIdle();

    const report = (await (await stack.call("GET", `/api/onboarding/batches/${id}`)).json()) as {
      totals: Record<string, number>;
      hires: { row: number; state: string }[];
    };
    expect(report.hires.find((h) => h.row === 40)).toMatchObject({ state: "created" });
    expect(report.totals).toMatchObject({ failed: 0, pending: 0 });
    expect(stack.genesys.admin.users({ email: "astro.naut@example.com" })).toMatchObject([
      { state: "active", division: { name: "Support" } },
    ]);
    const after = (await (await stack.call("GET", "/api/hr/quarantine?status=all")).json()) as {
      entries: Array<{ id: string; status: string }>;
    };
    expect(after.entries.find((e) => e.id === entry?.id)).toMatchObject({ status: "resolved" });
  });

  it("links a team to a lead hired in the same batch, each member before their invitation", async () => {
    // The lead is the batch's last row: her team converges before she has a Genesys user, so each member is
    // linked once she has one (when she converges, or at the member's read-back), and only then invited.
    const team = Array.from({ length: 20 }, (_, i) => String(760000 + i));
    const csv = [
      HEADER,
      ...team.map(
        (id) =>
          `${id},team.${id}@example.com,Tia,Team${id},Technical Support,Support,,,lea.lead@example.com,2026-11-01`,
      ),
      "760900,lea.lead@example.com,Lea,Lead,Technical Support,Support,,,,2026-11-01",
    ].join("\n");
    stack.genesys.admin.clearRequests();
    const accepted = await stack.call("POST", "/api/onboarding/batches", `${csv}\n`, {
      "content-type": "text/csv",
    });
    const { id } = (await accepted.json()) as { id: string };
    await stack.host.durable.runUntilIdle();

    const report = (await (await stack.call("GET", `/api/onboarding/batches/${id}`)).json()) as {
      totals: Record<string, number>;
    };
    expect(report.totals).toMatchObject({ total: 21, created: 21, failed: 0 });
    const lead = stack.genesys.admin.user("lea.lead@example.com")!;
    const requests = stack.genesys.admin.requests();
    for (const member of team) {
      const user = stack.genesys.admin.user(`team.${member}@example.com`)!;
      expect(user.managerId).toBe(lead.id);
      const linked = requests.findIndex(
        (r) =>
          r.endpoint === "PATCH /api/v2/users/{userId}" &&
          r.path.endsWith(user.id) &&
          (r.requestBody as { manager?: string }).manager === lead.id,
      );
      const invited = requests.findIndex(
        (r) => r.endpoint === "POST /api/v2/users/{userId}/invite" && r.path.includes(user.id),
      );
      expect(linked).toBeGreaterThanOrEqual(0);
      expect(invited).toBeGreaterThan(linked);
    }
  }, 120_000);
});
