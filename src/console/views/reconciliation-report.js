/**
 * One reconciliation run's report, as the console shows it: how and when it ran, what each HR system gave
 * and which events that sent, the Genesys drift per user and attribute, the orphans, and what the run cost
 * against the rate budget. Templates only: the view (reconciliation.js) loads the run and its findings.
 */
import { html, nothing } from "../vendor/lit-html/lit-html.js";
import { day, employeeHref, plural, when } from "../format.js";

const SOURCE_NAMES = { workday: "Workday", successfactors: "SuccessFactors" };
const PHASE_WORDS = {
  hr: "reading HR",
  "genesys-read": "reading Genesys",
  "genesys-compare": "comparing users",
  finish: "finishing",
  done: "done",
};
const CHANGE_WORDS = {
  missing: "missing in Genesys",
  extra: "extra in Genesys",
  different: "different",
};

const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const number = (value) => (typeof value === "number" ? decimal.format(value) : "—");

/** How a run started: on its schedule, or on demand and by whom. */
export const triggerText = (trigger) =>
  trigger?.kind === "schedule" ? "on schedule" : `on demand by ${trigger?.by ?? "an operator"}`;

export const modeText = (mode) => (mode === "fix" ? "report and fix" : "report only");

/** The run's status in words, never by colour alone; while running, the phase it is in. */
export function statusChip(run) {
  const words = run.status === "running" ? `running: ${PHASE_WORDS[run.phase] ?? run.phase}` : run.status;
  return html`<span class=${`chip ${run.status}`}>${words}</span>`;
}

/** The HR events a run sent, over every HR system it read. */
export const hrEventsSent = (run) => (run.hr ?? []).reduce((sum, s) => sum + (s.eventsAccepted ?? 0), 0);

function facts(run) {
  return html`<dl class="facts">
      <dt>Status</dt>
      <dd>${statusChip(run)} ${run.reason ? html`<span class="reason">${run.reason}</span>` : nothing}</dd>
      <dt>Started</dt>
      <dd>${when(run.startedAt)}, ${triggerText(run.trigger)}</dd>
      <dt>Finished</dt>
      <dd>${run.finishedAt ? when(run.finishedAt) : "not yet"}</dd>
      <dt>Genesys drift</dt>
      <dd>${modeText(run.mode)}</dd>
    </dl>
    ${
      run.notes?.length
        ? html`<ul aria-label="Notes">
            ${run.notes.map((note) => html`<li>${note}</li>`)}
          </ul>`
        : nothing
    }`;
}

function hrSources(run) {
  if (!run.hr?.length) return html`<p>No HR system was read.</p>`;
  return html`<table class="data">
    <caption class="visually-hidden">
      HR systems read
    </caption>
    <thead>
      <tr>
        <th scope="col">HR system</th>
        <th scope="col">Changes from … through</th>
        <th scope="col">Status</th>
        <th scope="col">Workers read</th>
        <th scope="col">Events sent</th>
        <th scope="col">Already sent</th>
        <th scope="col">Quarantined</th>
        <th scope="col">In sync</th>
        <th scope="col">Skipped or unreadable</th>
        <th scope="col">Out of scope</th>
        <th scope="col">HR calls</th>
      </tr>
    </thead>
    <tbody>
      ${run.hr.map(
        (s) =>
          html`<tr>
            <th scope="row">${SOURCE_NAMES[s.source] ?? s.source} <span class="meta">(${s.via})</span></th>
            <td>${when(s.window?.from)} – ${when(s.window?.through)}</td>
            <td>${s.status}${s.reason ? html`<br /><span class="reason">${s.reason}</span>` : nothing}</td>
            <td class="number">${s.workersRead}</td>
            <td class="number">${s.eventsAccepted}</td>
            <td class="number">${s.eventsDuplicate}</td>
            <td class="number">${s.eventsQuarantined}</td>
            <td class="number">${s.inSync}</td>
            <td class="number">${s.skipped + (s.unreadable ?? 0)}</td>
            <td class="number">${s.outOfScope}</td>
            <td class="number">${s.calls}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function hrFindings(findings) {
  const found = findings.filter((f) => f.kind === "hr-event" || f.kind === "hr-skipped");
  if (found.length === 0) return html`<p>HR and this product agree: no event was missing.</p>`;
  return html`<table class="data">
    <caption class="visually-hidden">
      HR findings
    </caption>
    <thead>
      <tr>
        <th scope="col">Employee</th>
        <th scope="col">HR system</th>
        <th scope="col">Event</th>
        <th scope="col">Why</th>
        <th scope="col">Outcome</th>
      </tr>
    </thead>
    <tbody>
      ${found.map(
        (f) =>
          html`<tr>
            <td><a href=${employeeHref(f.employeeId)}>${f.employeeId}</a></td>
            <td>${SOURCE_NAMES[f.source] ?? f.source}</td>
            <td>
              ${
                f.kind === "hr-event"
                  ? html`<span title=${f.eventId}>${f.type}</span>, effective ${day(f.effectiveDate)}`
                  : "none sent"
              }
            </td>
            <td class="reason">${f.why}</td>
            <td>
              ${
                f.kind === "hr-event"
                  ? html`<span class=${`chip ${f.status}`}>${f.status}</span>
                      ${f.reason ? html`<span class="reason">${f.reason}</span>` : nothing}`
                  : "skipped"
              }
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function genesysCounts(run) {
  const g = run.genesys ?? {};
  const counts = [
    ["managed", g.managed],
    ["compared", g.compared],
    ["in sync", g.inSync],
    ["drifted", g.drifted],
    ["drift items", g.driftItems],
    ["fixes queued", g.fixesQueued],
    ["not compared", g.notCompared],
    ["orphans", g.orphans],
  ];
  return html`<ul class="chips" aria-label="Genesys counts">
      ${counts.map(([label, value]) => html`<li class="chip">${label} <strong>${value ?? 0}</strong></li>`)}
    </ul>
    ${
      g.reads
        ? html`<p class="hint">
            Queue members ${g.reads.queues === "listed" ? "read per queue" : "read per user"}, grants
            ${g.reads.grants === "listed" ? "read per division" : "read per user"}.
          </p>`
        : nothing
    }
    ${g.auditUnavailable ? html`<p class="hint">Who changed what is missing: ${g.auditUnavailable}</p>` : nothing}`;
}

/** Who changed a drifted item and when, where Genesys's audit told. */
function changedBy(item) {
  if (!item.changedBy && !item.changedAt) return html`<span class="meta">not in the audit</span>`;
  return html`${item.changedBy ?? "someone"}${item.changedAt ? html`, ${when(item.changedAt)}` : nothing}`;
}

function driftAction(f) {
  return html`<span class=${`chip ${f.action.replace(" ", "-")}`}>${f.action}</span>
    ${f.reason ? html`<span class="reason">${f.reason}</span>` : nothing}`;
}

function drift(findings) {
  const drifted = findings.filter((f) => f.kind === "drift");
  if (drifted.length === 0) return html`<p>No managed user has drifted from the mapped profile.</p>`;
  const rows = drifted.flatMap((f) => f.items.map((item) => ({ f, item })));
  return html`<table class="data">
    <caption class="visually-hidden">
      Drift per user and attribute
    </caption>
    <thead>
      <tr>
        <th scope="col">Employee</th>
        <th scope="col">Attribute</th>
        <th scope="col">Change</th>
        <th scope="col">Which</th>
        <th scope="col">Expected</th>
        <th scope="col">Found</th>
        <th scope="col">Changed by</th>
        <th scope="col">Action</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        ({ f, item }) =>
          html`<tr>
            <td>
              <a href=${employeeHref(f.employeeId)}>${f.employeeId}</a><br /><code class="meta"
                >${f.userId}</code
              >
            </td>
            <td>${item.attribute}</td>
            <td>${CHANGE_WORDS[item.change] ?? item.change}</td>
            <td>${item.item ?? "—"}</td>
            <td>${item.expected ?? "—"}</td>
            <td>${item.found ?? "—"}</td>
            <td>${changedBy(item)}</td>
            <td>${driftAction(f)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function notCompared(findings) {
  const skipped = findings.filter((f) => f.kind === "not-compared");
  if (skipped.length === 0) return nothing;
  return html`<h4>Not compared</h4>
    <ul>
      ${skipped.map(
        (f) => html`<li><a href=${employeeHref(f.employeeId)}>${f.employeeId}</a>: ${f.why}</li>`,
      )}
    </ul>`;
}

function orphans(findings) {
  const found = findings.filter((f) => f.kind === "orphan");
  if (found.length === 0) return html`<p>Every active Genesys user with an employee id is known.</p>`;
  return html`<p>Reported only: orphans are never changed or deleted.</p>
    <table class="data">
      <caption class="visually-hidden">
        Orphans
      </caption>
      <thead>
        <tr>
          <th scope="col">Genesys user</th>
          <th scope="col">Employee id</th>
          <th scope="col">Email</th>
          <th scope="col">HR</th>
        </tr>
      </thead>
      <tbody>
        ${found.map(
          (f) =>
            html`<tr>
              <td>${f.name}<br /><code class="meta">${f.userId}</code></td>
              <td>${f.employeeId}</td>
              <td>${f.email ?? "—"}</td>
              <td>${f.hrChecked ? "does not know this id" : "no HR system to ask"}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function cost(run) {
  const c = run.cost;
  if (!c) return html`<p>The cost is counted when the run ends.</p>`;
  // `hr` in the phases counts the HR systems' calls, which are not Genesys's.
  const phases = Object.entries(c.byPhase ?? {}).filter(([phase]) => phase !== "hr");
  return html`<dl class="facts">
    <dt>Genesys calls</dt>
    <dd>
      ${c.genesysCalls}${
        phases.length ? ` (${phases.map(([phase, calls]) => `${phase} ${calls}`).join(", ")})` : ""
      }
    </dd>
    <dt>Calls per managed user</dt>
    <dd>${number(c.callsPerManagedUser)}</dd>
    <dt>Wall time ÷ floor</dt>
    <dd>
      ${number(c.genesysSeconds)} s ÷ ${number(c.floorSeconds)} s = <strong>${number(c.wallPerFloor)}</strong>
      <span class="meta">(floor: the calls at ${c.requestsPerMinute} requests a minute)</span>
    </dd>
    <dt>Stepped back for the budget</dt>
    <dd>${plural(c.backOffs ?? 0, "time")}</dd>
    <dt>HR calls</dt>
    <dd>${c.hrCalls} <span class="meta">(reading changes, and asking about orphans)</span></dd>
  </dl>`;
}

/** The whole report of `run`; `findings` once it has ended (none are stored before). */
export function runReport(run, findings) {
  const ended = run.status !== "running";
  const drifted = findings.filter((f) => f.kind === "drift").length;
  const orphanCount = findings.filter((f) => f.kind === "orphan").length;
  const hrFound = findings.filter((f) => f.kind === "hr-event" || f.kind === "hr-skipped").length;
  return html`${facts(run)}
    <section aria-labelledby="report-hr-heading">
      <h3 id="report-hr-heading">HR: the events that never came</h3>
      ${hrSources(run)}
      ${
        ended
          ? html`<h4>Events sent and workers skipped (${hrFound})</h4>
              ${hrFindings(findings)}`
          : nothing
      }
    </section>
    <section aria-labelledby="report-genesys-heading">
      <h3 id="report-genesys-heading">Genesys: drift nobody asked for</h3>
      ${genesysCounts(run)}
      ${
        ended
          ? html`<h4>Drift per user and attribute (${plural(drifted, "user")})</h4>
              ${drift(findings)} ${notCompared(findings)}
              <h4>Orphans (${orphanCount})</h4>
              ${orphans(findings)}`
          : html`<p>The findings appear here when the run has ended.</p>`
      }
    </section>
    <section aria-labelledby="report-cost-heading">
      <h3 id="report-cost-heading">Cost</h3>
      ${cost(run)}
    </section>`;
}
