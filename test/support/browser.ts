/**
 * Headless Chromium for the console's browser tests: Debian's `chromium` package, driven by playwright-core
 * (which never downloads a browser). No browser is a failure, never a skip: `.ci/run` installs one.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless, no sandbox (root in CI), and nothing that reaches out to the network by itself. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where screenshots go: a folder git ignores, for a person to open after the run. */
export const ARTIFACTS_DIR = path.resolve(__dirname, "../../test-artifacts/console");

export interface Browser {
  context: BrowserContext;
  /** A new tab; `headers` are sent with every request (e.g. a bearer token to sign in as someone else). */
  newPage(headers?: Record<string, string>): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile in a temporary folder, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}. Install Debian's package (apt-get install -y chromium; .ci/run does) ` +
        "or point CHROMIUM_PATH at a Chromium binary. The browser tests never download one.",
    );
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), "console-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1366, height: 900 }, // a laptop screen
    acceptDownloads: true,
  });
  // The persistent context opens with one blank tab; tests open their own.
  await Promise.all(context.pages().map((p) => p.close()));
  return {
    context,
    async newPage(headers) {
      const page = await context.newPage();
      if (headers) await page.setExtraHTTPHeaders(headers);
      page.setDefaultTimeout(60_000);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as `<name>.png` under ARTIFACTS_DIR and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules, and best practices) on the page as it is and returns the serious and
 * critical violations. axe is evaluated through the DevTools protocol, so the console's CSP stays in force.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, { resultTypes: ["violations"] })) as {
      violations: Array<{
        id: string;
        impact: string | null;
        help: string;
        nodes: Array<{ target: string[] }>;
      }>;
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Records on `problems` what a console page must never do: throw, or break its Content Security Policy. */
export function watchForProblems(page: Page, problems: string[]): Page {
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text()))
      problems.push(`CSP: ${message.text()}`);
  });
  return page;
}
