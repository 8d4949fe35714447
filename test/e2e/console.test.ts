/**
 * The operations console, driven in headless Chromium against the real app in the local host with Azurite and
 * the Genesys emulator: what an operator does when a batch, a leaver or a quarantine needs a person. Each test
 * saves a screenshot under test-artifacts/console/ and checks the view with axe-core.
 */
import type { Page } from "playwright-core";
import {
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
  watchForProblems,
  type Browser,
} from "../support/browser";
import { consoleUrl } from "../../local/stack";
import { E2E_MAPPING, hireEvent, startLifecycleStack, type LifecycleStack } from "../support/lifecycle-stack";

const HEADER =
  "employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate";
/** Ten hires the mapping knows and one whose title it does not (row 12: "Astronaut"). */
const BATCH_CSV = [
  HEADER,
  ...Array.from(
    { length: 10 },
    (_, i) =>
      `${761000 + i},wave.${761000 + i}@example.com,Wes,Wave${i},Technical Support,Support,Dublin,IE,sup.support@example.com,2026-11-01`,
  ),
  "761099,astro.naut2@example.com,Astro,Naut,Astronaut,Space,,,,2026-11-01",
].join("\n");

const ASTRONAUT_PROFILE = `
  - match: { title: "Astronaut" }
    division: Support
    roles:
      - { name: Agent }
    queues: [Priority_Support_Queue]
`;

describe("the operations console, in a browser", () => {
  let stack: LifecycleStack;
  let browser: Browser;
  let page: Page;
  /** Uncaught script errors and Content-Security-Policy refusals: the console must cause none. */
  const pageProblems: string[] = [];
  let batchId = "";

  beforeAll(async () => {
    stack = await startLifecycleStack({
      // Slices of 2 (three in flight), one per second of (virtual) time; the guard pauses the second deactivation in an hour.
      env: {
        ONBOARDING_BATCH_SIZE: "2",
        ONBOARDING_BATCH_INTERVAL_MS: "1000",
        DEACTIVATION_GUARD_MAX_COUNT: "1",
      },
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

  /** The view itself, not the announcer that reads its messages out. */
  const inView = (p: Page) => p.locator("#main");
  const open = (p: Page, view: string) => p.goto(`${stack.host.url}/api/console/#/${view}`);
  const expectAccessible = async (p: Page) => expect(await seriousAccessibilityViolations(p)).toEqual([]);
  const today = () => new Date(stack.host.clock.now()).toISOString().slice(0, 10);

  it("serves the console behind the sign-in, and names who is signed in", async () => {
    const noSlash = await fetch(`${stack.host.url}/api/console`, { redirect: "manual" });
    expect(noSlash.status).toBe(301);
    expect(noSlash.headers.get("location")).toBe("/api/console/");
    const unknownToken = await fetch(`${stack.host.url}/api/console/`, {
      headers: { authorization: "Bearer no-role-token" },
    });
    expect(unknownToken.status).toBe(403);
    expect(await unknownToken.text()).toContain("Sign in with Microsoft Entra ID");

    // The address `npm start` prints.
    expect(consoleUrl(stack.host)).toBe(`${stack.host.url}/api/console/`);
    await page.goto(consoleUrl(stack.host)!);
    await page.getByText("Signed in as operator@example.com").waitFor();
    await page.getByRole("heading", { name: "Batches", level: 1 }).waitFor();
    await expectAccessible(page);
  });

  it("submits a batch and follows its progress bar to 100 %", async () => {
    await open(page, "batches");
    await page.getByLabel("Bulk CSV or JSON array of events").setInputFiles({
      name: "wave.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(BATCH_CSV),
    });
    await page.getByRole("button", { name: "Submit batch" }).click();
    await page.getByRole("heading", { name: /^Batch [0-9a-f]{32}$/ }).waitFor();
    batchId = (await page.getByRole("heading", { name: /^Batch / }).innerText()).replace("Batch ", "").trim();

    // Time moves one slice at a time; after each, the bar must catch up with the app, without reloading.
    const bar = page.getByRole("progressbar", { name: "Batch progress" });
    const seen: number[] = [];
    for (let step = 0; step < 40; step++) {
      await stack.host.durable.settle();
      const listing = (await (await stack.call("GET", "/api/onboarding/batches")).json()) as {
        batches: Array<{ id: string; status: string; totals: { total: number; pending: number } }>;
      };
      const batch = listing.batches.find((b) => b.id === batchId)!;
      const expected =
        batch.status === "completed"
          ? 100
          : Math.min(
              99,
              Math.floor((100 * (batch.totals.total - batch.totals.pending)) / batch.totals.total),
            );
      await page.waitForFunction(
        (value) =>
          (document.querySelector("progress[aria-label='Batch progress']") as HTMLProgressElement)?.value ===
          value,
        expected,
      );
      seen.push(await bar.evaluate((el) => (el as HTMLProgressElement).value));
      if (expected === 100) break;
      await stack.host.durable.advance(1000);
    }
    expect(seen.at(-1)).toBe(100);
    expect(seen.some((value) => value > 0 && value < 100)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    await page.getByText("created 10").waitFor();
    await page.getByText("failed 1").waitFor();

    // The filter narrows the report to the failed row; the CSV report downloads.
    await page.getByLabel("Show hires").selectOption("failed");
    const rows = page.locator("table.data").last().locator("tbody tr");
    await expect(rows.count()).resolves.toBe(1);
    expect(await rows.first().innerText()).toContain("761099");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download CSV report" }).click();
    const file = await (await download).path();
    const csv = await import("node:fs").then((fs) => fs.readFileSync(file, "utf8"));
    expect(csv.split("\r\n")[0]).toBe("row,employeeId,state,genesysUserId,summary");
    expect(csv).toContain("761099");
    await screenshot(page, "batches-progress-100");
    await expectAccessible(page);
  }, 240_000);

  it("retries the failed row after the mapping is fixed in the console", async () => {
    expect(batchId).not.toBe("");
    await open(page, "mappings");
    await page.getByRole("button", { name: "Start from the active version" }).click();
    const editor = page.getByLabel("Candidate mapping (YAML or JSON)");
    await page.waitForFunction(() =>
      (document.querySelector("#candidate") as HTMLTextAreaElement).value.includes("profiles"),
    );
    await editor.fill((await editor.inputValue()).trimEnd() + "\n" + ASTRONAUT_PROFILE);
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByText("The candidate fits the org").waitFor();
    await page.getByRole("button", { name: "Import as a new version" }).click();
    await inView(page).getByText("Version 2 imported by operator@example.com and active.").waitFor();

    await open(page, `batches/${batchId}`);
    await page.getByRole("button", { name: "Retry failed rows (1)" }).click();
    await inView(page).getByText("1 failed row retried.").waitFor();
    await stack.host.durable.runUntilIdle();
    // The console follows the retried row until it has its new outcome.
    await page.getByText("failed 0").waitFor();
    await page.getByLabel("Show hires").selectOption("created");
    await page.locator("tr", { hasText: "761099" }).getByText("created").waitFor();
    expect(stack.genesys.admin.users({ email: "astro.naut2@example.com" })).toMatchObject([
      { state: "active" },
    ]);
    await screenshot(page, "batches-retried");
    await expectAccessible(page);
  }, 180_000);

  it("approves a paused leaver and shows the approver who is signed in", async () => {
    for (const id of ["762001", "762002"])
      expect((await stack.call("POST", "/api/hr/events", hireEvent(id))).status).toBe(202);
    await stack.host.durable.settle();
    for (const id of ["762001", "762002"]) {
      const leave = {
        ...hireEvent(id, {}, "terminate"),
        eventId: `console-leave-${id}`,
        effectiveDate: today(),
      };
      await stack.deliver(leave);
    }
    expect(stack.genesys.admin.user("agent.762002@example.com")?.state).toBe("active");
    // While the leaver waits, a customer call reaches the agent: it must be handed over before deactivation.
    const agent = stack.genesys.admin.user("agent.762002@example.com")!;
    stack.genesys.admin.addInteraction({
      mediaType: "voice",
      agent: agent.id,
      queue: "Priority_Support_Queue",
    });

    const approver = watchForProblems(
      await browser.newPage({ authorization: "Bearer approver-token" }),
      pageProblems,
    );
    await open(approver, "approvals");
    await approver.getByText("Signed in as approver@example.com (Approver)").waitFor();
    const row = approver.locator("tr", { hasText: "762002" });
    await row.getByText("2 deactivations within 1 h exceed the limit of 1").waitFor();
    await expectAccessible(approver);
    await row.getByLabel("Comment (optional)").fill("checked with HR");
    await row.getByRole("button", { name: "Approve the leaver of employee 762002" }).click();
    await inView(approver).getByText("Recorded as decided by approver@example.com").waitFor();
    await row.getByText("Approved by").waitFor();
    expect(await row.locator(".decided-by").innerText()).toBe("approver@example.com");
    await stack.host.durable.settle();
    expect(stack.genesys.admin.user("agent.762002@example.com")?.state).toBe("inactive");
    await screenshot(approver, "approvals-approved");
    await approver.close();
  }, 180_000);

  it("replays one quarantined event, then a selection", async () => {
    const ids = ["763001", "763002", "763003"];
    for (const id of ids)
      expect(
        (await stack.call("POST", "/api/hr/events", hireEvent(id, { title: "Night Watch" }))).status,
      ).toBe(202);
    await stack.host.durable.settle();
    const fixed = `${E2E_MAPPING}${ASTRONAUT_PROFILE}
  - match: { title: "Night Watch" }
    division: Support
    roles:
      - { name: Agent }
    queues: [Priority_Support_Queue]
`;
    expect((await stack.call("PUT", "/api/mappings", fixed)).status).toBe(201);

    await open(page, "quarantine");
    await page.locator("tr", { hasText: "763001" }).getByText('"Night Watch"').waitFor();
    await expectAccessible(page);
    await page.getByRole("button", { name: /^Replay the entry of employee 763001/ }).click();
    await page.locator(".outcomes li", { hasText: "763001" }).getByText("resolved").waitFor();
    for (const id of ["763002", "763003"])
      await page.getByLabel(new RegExp(`^Select the entry of employee ${id}`)).check();
    await page.getByRole("button", { name: "Replay selected (2)" }).click();
    for (const id of ["763002", "763003"])
      await page.locator(".outcomes li", { hasText: id }).getByText("resolved").waitFor();
    await stack.host.durable.settle();
    for (const id of ids)
      expect(stack.genesys.admin.users({ email: `agent.${id}@example.com` })).toMatchObject([
        { state: "active" },
      ]);
    await screenshot(page, "quarantine-replayed");
  }, 180_000);

  it("finds an employee by email and reads their timeline as a story", async () => {
    await open(page, "employee");
    await page.getByLabel("Employee id or email").fill("agent.762002@example.com");
    await page.getByRole("button", { name: "Find" }).click();
    await page.getByRole("heading", { name: /\(762002\)/ }).waitFor();
    expect(page.url()).toContain("#/employee/762002");
    const facts = page.locator("dl.facts").first();
    await facts.getByText("terminated").waitFor();
    await facts.getByText("scheduled for").waitFor();
    const story = page.locator("ol.story");
    for (const line of [
      "HR event e2e-762002-hire-",
      "Genesys user created",
      "invitation sent",
      "paused",
      "transferred",
      "deactivated",
    ])
      await story.getByText(line).first().waitFor();
    await story.getByText("Outcome: applied").first().waitFor();
    // The profile as assigned, by name.
    await page
      .locator("section", { hasText: "Profile as this product assigned it" })
      .locator("dd", { hasText: "Priority_Support_Queue" })
      .waitFor();
    await screenshot(page, "employee-timeline");
    await expectAccessible(page);
  }, 120_000);

  it("compares two mapping versions and dry-runs a candidate", async () => {
    await open(page, "mappings");
    await page.getByRole("cell", { name: "operator@example.com" }).first().waitFor();
    await page.getByLabel("From version").selectOption("1");
    await page.getByLabel("To version").selectOption("2");
    await page.getByRole("button", { name: "Compare" }).click();
    await inView(page)
      .getByText(/Version 1 → 2: \d+ lines added, 0 lines removed/)
      .waitFor();
    await page.locator("table.diff tr.added", { hasText: 'title: "Astronaut"' }).waitFor();

    await page.getByRole("button", { name: "Start from the active version" }).click();
    await page.waitForFunction(() =>
      (document.querySelector("#candidate") as HTMLTextAreaElement).value.includes("Night Watch"),
    );
    const editor = page.getByLabel("Candidate mapping (YAML or JSON)");
    // Technical Support agents would also join Tier 2.
    await editor.fill(
      (await editor.inputValue()).replace(
        /(title: "?Technical Support"?[^]*?queues:\s*)\[?Priority_Support_Queue\]?/,
        "$1[Priority_Support_Queue, Tier_2_Escalation]",
      ),
    );
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByText("The candidate fits the org").waitFor();
    const wouldChange = page.locator("tr", { hasText: "761000" });
    await wouldChange.getByText("join Tier_2_Escalation").waitFor();
    expect(
      stack.genesys.admin.users({ email: "wave.761000@example.com" })[0].queues.map((q) => q.name),
    ).toEqual(["Priority_Support_Queue"]);
    await screenshot(page, "mappings-diff-dry-run");
    await expectAccessible(page);
  }, 120_000);
});
