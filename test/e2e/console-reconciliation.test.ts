/**
 * The console's Reconciliation view, in headless Chromium against the real app in the local host with
 * Azurite and the Genesys and Workday emulators: an operator starts a run, is told clearly when one is
 * already going on, and reads the report (HR findings, drift per user and attribute, orphans, cost). A file
 * of its own: reconciliation reads HR, so this stack has the HR emulators, which the other console tests do
 * not need. Each test saves a screenshot under test-artifacts/console/ and checks the view with axe-core.
 */
import type { Page } from "playwright-core";
import {
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
  watchForProblems,
  type Browser,
} from "../support/browser";
import {
  asAdministrator,
  DEV_IDENTITY,
  E2E_MAPPING,
  hireEvent,
  startLifecycleStackWithHr,
} from "../support/lifecycle-stack";
import { workdayWorkersDocument } from "../support/workday-workers";

describe("the console's Reconciliation view, in a browser", () => {
  let stack: Awaited<ReturnType<typeof startLifecycleStackWithHr>>;
  let browser: Browser;
  let page: Page;
  /** Uncaught script errors and Content-Security-Policy refusals: the console must cause none. */
  const pageProblems: string[] = [];
  let runId = "";

  beforeAll(async () => {
    stack = await startLifecycleStackWithHr({
      // One Genesys call per slice of shared reads, with the pause between slices on a durable timer: on the
      // virtual clock a run stays in progress until the test moves time on (RECONCILIATION_SLICE_PAUSE_MS).
      env: { RECONCILIATION_SCHEDULE: "off", RECONCILIATION_SLICE_CALLS: "1" },
    });
    expect((await stack.call("PUT", "/api/mappings", E2E_MAPPING)).status).toBe(201);
    browser = await launchBrowser();
    page = watchForProblems(await browser.newPage(), pageProblems);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  afterEach(() => expect(pageProblems).toEqual([]));

  const inView = (p: Page) => p.locator("#main");
  const open = (p: Page, view: string) => p.goto(`${stack.host.url}/api/console/#/${view}`);
  const expectAccessible = async (p: Page) => expect(await seriousAccessibilityViolations(p)).toEqual([]);

  /**
   * Moves the run on to its end: each pause between its slices is a durable timer, so the virtual clock is
   * moved a second at a time (the budget keeps a Retry-After by the real clock: a real second passes too).
   */
  async function runToTheEnd(id: string): Promise<void> {
    const statusOf = async () => (await stack.call("GET", `/api/reconciliation/runs/${id}`)).status;
    for (let turns = 0; (await statusOf()) === 202 && turns < 60; turns++) {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await stack.host.durable.advance(1_000);
    }
    await stack.host.durable.settle();
    expect(await statusOf()).toBe(200);
  }

  it("starts a run, and says clearly that a second one is refused while it goes on", async () => {
    // Managed agents, one of whose queue an administrator removed by hand; and a hire Workday never sent.
    // Three managed users make the run read the queues and divisions as shared listings, one slice each.
    for (const id of ["770001", "770003", "770004"])
      expect((await stack.call("POST", "/api/hr/events", hireEvent(id))).status).toBe(202);
    await stack.host.durable.settle();
    const agent = stack.genesys.admin.user("agent.770001@example.com")!;
    const queue = agent.queues.find((q) => q.name === "Priority_Support_Queue")!;
    await (
      await asAdministrator(stack.genesys)
    ).api("DELETE", `/api/v2/routing/queues/${queue.id}/members/${agent.id}`);
    stack.workday.loadWorkers(
      workdayWorkersDocument([
        {
          employeeId: "770002",
          email: "agent.770002@example.com",
          firstName: "Nora",
          lastName: "Nevercame",
          title: "Technical Support",
          hireDate: "2026-01-05",
        },
      ]),
      { enteredAt: new Date(stack.host.clock.now()) },
    );

    await open(page, "reconciliation");
    await page.getByRole("heading", { name: "Reconciliation", level: 1 }).waitFor();
    await inView(page).getByText("No reconciliation has run yet.").waitFor();
    await page.getByLabel("Genesys drift").selectOption("report");
    await page.getByRole("button", { name: "Start a run" }).click();
    const heading = page.getByRole("heading", { name: /^Run \d{8}T\d{6}Z-[0-9a-f]{6}$/, level: 2 });
    await heading.waitFor();
    runId = (await heading.innerText()).replace("Run ", "").trim();
    expect(page.url()).toContain(`#/reconciliation/${runId}`);
    await inView(page).getByText(`Run ${runId} started (report only).`).waitFor();
    const listed = page.locator("table.data tbody tr", { hasText: runId });
    await listed.getByText(`on demand by ${DEV_IDENTITY.name}`).waitFor();
    await listed.getByText(/^running/).waitFor();

    // The run waits on its timer between two slices of reads: a second start is refused with 409.
    await stack.host.durable.settle();
    expect((await stack.call("GET", `/api/reconciliation/runs/${runId}`)).status).toBe(202);
    await page.getByRole("button", { name: "Start a run" }).click();
    const refused = inView(page).getByRole("alert");
    await refused.getByText("Not started: a run is already in progress.").waitFor();
    await refused.getByRole("link", { name: runId }).waitFor();
    // The refused start shows where the run in progress is now.
    await page.locator(".facts").getByText("running: reading Genesys").waitFor();
    await inView(page).getByText("The findings appear here when the run has ended.").waitFor();
    await screenshot(page, "reconciliation-refused");
    await expectAccessible(page);
  }, 180_000);

  it("follows the run to its end and shows its report: HR findings, drift, orphans, cost", async () => {
    expect(runId).not.toBe("");
    await runToTheEnd(runId);
    const report = page.locator("section", { has: page.locator("#run-heading") });
    // The view follows the run while it goes on: no reload.
    await report.locator(".facts").getByText("completed", { exact: true }).waitFor();
    // The refusal named a run in progress: once it has ended, the refusal is gone.
    await inView(page).getByText("Not started: a run is already in progress.").waitFor({ state: "detached" });

    const hr = report.locator("section", { has: page.locator("#report-hr-heading") });
    await hr.getByRole("heading", { name: "Events sent and workers skipped (1)" }).waitFor();
    const found = hr.locator("tr", { hasText: "770002" });
    await found.getByText("hire", { exact: true }).waitFor();
    await found.getByText("accepted", { exact: true }).waitFor();
    await hr.locator("tbody tr th", { hasText: "Workday" }).waitFor();

    const genesys = report.locator("section", { has: page.locator("#report-genesys-heading") });
    await genesys.getByRole("heading", { name: "Drift per user and attribute (1 user)" }).waitFor();
    const drifted = genesys.locator("tr", { hasText: "770001" });
    for (const cell of ["queues", "missing in Genesys", "Priority_Support_Queue", "reported"])
      await drifted.getByText(cell, { exact: true }).waitFor();
    await drifted.getByText(agent770001Id()).waitFor();
    const orphanHeading = genesys.getByRole("heading", { name: /^Orphans \(\d+\)$/ });
    const orphans = Number(/\((\d+)\)/.exec(await orphanHeading.innerText())![1]);
    expect(orphans).toBeGreaterThan(0);
    expect(await genesys.locator("table", { hasText: "Employee id" }).locator("tbody tr").count()).toBe(
      orphans,
    );

    const cost = report.locator("section", { has: page.locator("#report-cost-heading") });
    await cost.getByText("Calls per managed user").waitFor();
    await cost.getByText(/s ÷ .* s = /).waitFor();
    // Genesys calls by phase, without the HR systems' calls (counted apart).
    const genesysCalls = await cost.locator("dt:text-is('Genesys calls') + dd").innerText();
    expect(genesysCalls).toMatch(/^\d+ \(plan \d+, read \d+, compare \d+, explain \d+\)$/);

    // The list shows the same run with its counts.
    const listed = page.locator("table.data tbody tr", { hasText: runId });
    await listed.getByText("completed", { exact: true }).waitFor();
    // HR events sent, managed users (the hire it sent may be managed already), drifted, orphans.
    const [sent, , driftedUsers, orphanUsers] = await listed.locator("td.number").allInnerTexts();
    expect([sent, driftedUsers, orphanUsers]).toEqual(["1", "1", String(orphans)]);
    expect(stack.genesys.admin.users({ email: "agent.770002@example.com" })).toMatchObject([
      { state: "active" },
    ]);
    await screenshot(page, "reconciliation-report");
    await expectAccessible(page);
  }, 240_000);

  it("shows a reader the runs and reports, without the button to start one", async () => {
    const reader = watchForProblems(
      await browser.newPage({ authorization: "Bearer reader-token" }),
      pageProblems,
    );
    await open(reader, `reconciliation/${runId}`);
    await reader.getByText("Signed in as reader@example.com (Reader)").waitFor();
    await reader.getByRole("heading", { name: `Run ${runId}` }).waitFor();
    await reader.locator("table.data tbody tr", { hasText: runId }).waitFor();
    expect(await reader.getByRole("button", { name: "Start a run" }).count()).toBe(0);
    await expectAccessible(reader);
    await reader.close();
  }, 120_000);

  const agent770001Id = () => stack.genesys.admin.user("agent.770001@example.com")!.id;
});
