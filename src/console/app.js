/**
 * The console's shell: who is signed in, which view is shown (from the address: `#/batches/<id>`,
 * `#/employee/<id>`, …), and the polling that keeps the shown view current. Views render with lit-html,
 * which updates only the parts of the page whose values changed, so polling never redraws or steals focus.
 */
import { html, render } from "./vendor/lit-html/lit-html.js";
import { get, onSignedOut } from "./api.js";
import { createApprovalsView } from "./views/approvals.js";
import { createBatchesView } from "./views/batches.js";
import { createEmployeeView } from "./views/employee.js";
import { createMappingsView } from "./views/mappings.js";
import { createQuarantineView } from "./views/quarantine.js";
import { createReconciliationView } from "./views/reconciliation.js";

/** How often the shown view refreshes what may change on its own (a running batch, new approvals). */
const POLL_INTERVAL_MS = 2000;

const main = document.getElementById("main");
const announcer = document.getElementById("announcer");

const session = { name: "", roles: [] };
const ctx = {
  session,
  /** Whether the signed-in person has this app role (the routes check again; this only hides buttons). */
  can: (role) => session.roles.includes(role),
  /** Tells screen-reader users what just happened, without moving their focus. */
  announce(message) {
    announcer.textContent = "";
    // A fresh text node after a tick, so the same message twice is read twice.
    setTimeout(() => (announcer.textContent = message), 50);
  },
  /** Redraws the shown view from its state. */
  refresh: () => undefined,
  navigate: (hash) => {
    if (location.hash === hash) void route();
    else location.hash = hash;
  },
};

const views = {
  batches: createBatchesView(ctx),
  approvals: createApprovalsView(ctx),
  quarantine: createQuarantineView(ctx),
  employee: createEmployeeView(ctx),
  mappings: createMappingsView(ctx),
  reconciliation: createReconciliationView(ctx),
};

let current;

function parseHash() {
  const [name, ...params] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  return views[name] ? { name, params } : { name: "batches", params: [] };
}

async function route() {
  if (location.hash !== "" && !location.hash.startsWith("#/")) return; // the skip link
  const { name, params } = parseHash();
  const view = views[name];
  const entering = current !== view;
  current = view;
  ctx.refresh = () => current === view && render(view.template(), main);
  for (const link of document.querySelectorAll("nav a[data-view]")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = `${view.title} · Lifecycle console`;
  ctx.refresh();
  if (entering) main.querySelector("h1")?.focus();
  await view.show(params);
}

/** One poll at a time, and none while the tab is hidden: a background tab costs the app nothing. */
async function poll() {
  try {
    if (!document.hidden && current?.poll) await current.poll();
  } finally {
    setTimeout(poll, POLL_INTERVAL_MS);
  }
}

function showSignedOut() {
  render(
    html`<div class="notice error" role="alert">
      <p>
        Your session has ended.
        <a href="/.auth/login/aad?post_login_redirect_uri=/api/console/">Sign in again</a>
      </p>
    </div>`,
    document.getElementById("session-banner"),
  );
}

async function start() {
  onSignedOut(showSignedOut);
  try {
    const { data } = await get("me");
    Object.assign(session, data);
    document.getElementById("who").textContent = `Signed in as ${data.name} (${
      data.roles.map((role) => role.replace("Lifecycle.", "")).join(", ") || "no role"
    })`;
  } catch (error) {
    document.getElementById("who").textContent = `Not signed in: ${error.message}`;
  }
  window.addEventListener("hashchange", () => void route());
  await route();
  setTimeout(poll, POLL_INTERVAL_MS);
}

void start();
