/**
 * Mappings: every version with who imported it and when; the difference between two versions; and a dry run
 * of a candidate mapping against the managed workforce (what would change for whom) before importing it.
 */
import { attempt } from "../attempt.js";
import { html, nothing } from "../vendor/lit-html/lit-html.js";
import { repeat } from "../vendor/lit-html/directives/repeat.js";
import { live } from "../vendor/lit-html/directives/live.js";
import { ApiError, get, post, put } from "../api.js";
import { diffLines, withContext } from "../diff.js";
import { employeeHref, errorBlock, noticeBlock, plural, when } from "../format.js";

const YAML = "application/yaml";

/** A plan's outcome in words: its steps, or why none could be planned. */
function planOutcome(plan) {
  if (plan.kind !== "PLANNED") return html`<span class="chip failed">${plan.kind}</span> ${plan.reason}`;
  if (plan.steps.length === 0) return html`<span class="chip unchanged">no change</span>`;
  return html`<ul class="steps">
    ${plan.steps.map((step) => html`<li><span class="mono">${step.kind}</span> ${step.summary ?? ""}</li>`)}
  </ul>`;
}

/** One sentence, built in one place, so the page and the screen-reader announcement say the same. */
const diffSummary = (diff) =>
  `Version ${diff.from} → ${diff.to}: ${plural(diff.added, "line")} added, ${plural(diff.removed, "line")} removed.`;

export function createMappingsView(ctx) {
  const state = {
    versions: [],
    active: undefined,
    from: undefined,
    to: undefined,
    diff: undefined,
    candidate: "",
    dryRun: undefined,
    showUnchanged: false,
    busy: undefined,
    message: undefined,
    error: undefined,
  };
  const canOperate = () => ctx.can("Lifecycle.Operator");

  async function load() {
    const { data } = await get("mappings/versions");
    state.versions = data.versions;
    state.active = data.active?.version;
    const numbers = state.versions.map((v) => v.version);
    if (state.to === undefined || !numbers.includes(state.to)) state.to = state.active ?? numbers.at(-1);
    if (state.from === undefined || !numbers.includes(state.from))
      state.from = numbers.filter((n) => n < (state.to ?? 0)).at(-1) ?? numbers[0];
  }

  const sourceOf = async (version) => (await get(`mappings?version=${version}`, { accept: YAML })).data;

  async function compare(event) {
    event.preventDefault();
    state.busy = "compare";
    state.error = undefined;
    ctx.refresh();
    await attempt(
      state,
      ctx,
      async () => {
        const [before, after] = await Promise.all([sourceOf(state.from), sourceOf(state.to)]);
        const lines = diffLines(before, after);
        state.diff = {
          from: state.from,
          to: state.to,
          added: lines.filter((l) => l.kind === "added").length,
          removed: lines.filter((l) => l.kind === "removed").length,
          lines: withContext(lines),
        };
        ctx.announce(diffSummary(state.diff));
      },
      () => (state.busy = undefined),
    );
  }

  async function startFromActive() {
    try {
      state.candidate = (await get("mappings", { accept: YAML })).data;
      state.dryRun = undefined;
    } catch (error) {
      state.error = error;
    }
    ctx.refresh();
  }

  async function dryRun(event) {
    event.preventDefault();
    state.busy = "dry-run";
    state.error = state.message = undefined;
    ctx.refresh();
    try {
      const { data } = await post("plan", { mapping: state.candidate });
      state.dryRun = data;
      const t = data.totals;
      ctx.announce(`Dry run: ${plural(t.planned, "employee")} would change, ${t.unchanged} unchanged.`);
    } catch (error) {
      state.dryRun = undefined;
      state.error = error;
    } finally {
      state.busy = undefined;
      ctx.refresh();
    }
  }

  async function importCandidate() {
    state.busy = "import";
    state.error = state.message = undefined;
    ctx.refresh();
    try {
      const json = state.candidate.trimStart().startsWith("{");
      const { data } = await put("mappings", state.candidate, {
        contentType: json ? "application/json" : YAML,
      });
      state.message = `Version ${data.version.version} imported by ${data.version.importedBy} and active.`;
      ctx.announce(state.message);
      state.candidate = "";
      state.dryRun = undefined;
      await load();
    } catch (error) {
      state.error =
        error instanceof ApiError && error.status === 422
          ? new Error(
              `${error.body.error}\n${(error.body.report?.problems ?? []).map((p) => p.message ?? JSON.stringify(p)).join("\n")}`,
            )
          : error;
      if (error instanceof ApiError && error.status === 422) await load();
    } finally {
      state.busy = undefined;
      ctx.refresh();
    }
  }

  function versionsTable() {
    if (state.versions.length === 0) return html`<p>No mapping has been imported yet.</p>`;
    return html`<table class="data">
      <caption class="visually-hidden">
        Mapping versions, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Imported by</th>
          <th scope="col">When</th>
          <th scope="col">Valid for the org</th>
        </tr>
      </thead>
      <tbody>
        ${repeat(
          [...state.versions].reverse(),
          (v) => v.version,
          (v) =>
            html`<tr class=${v.version === state.active ? "selected" : ""}>
              <th scope="row">
                ${v.version}${v.version === state.active ? html` <span class="chip created">active</span>` : nothing}
              </th>
              <td>${v.importedBy}</td>
              <td>${when(v.importedAt)}</td>
              <td>${v.valid ? "yes" : `no (${plural(v.problemCount ?? 0, "problem")}; never activated)`}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  const versionSelect = (id, label, value, set) =>
    html`<label for=${id}>${label}</label>
      <select id=${id} @change=${(e) => set(Number(e.target.value))}>
        ${state.versions.map((v) => html`<option value=${v.version} ?selected=${v.version === value}>${v.version}</option>`)}
      </select>`;

  function diffSection() {
    if (state.versions.length < 2) return html`<p>Two versions are needed to compare.</p>`;
    return html`<form class="inline-form" @submit=${compare}>
        ${versionSelect("diff-from", "From version", state.from, (n) => (state.from = n))}
        ${versionSelect("diff-to", "To version", state.to, (n) => (state.to = n))}
        <button type="submit" ?disabled=${state.busy === "compare"}>Compare</button>
      </form>
      ${state.diff ? diffTable(state.diff) : nothing}`;
  }

  function diffTable(diff) {
    return html`<p role="status" class="diff-summary">${diffSummary(diff)}</p>
      <table class="diff">
        <caption class="visually-hidden">
          Lines changed from version ${diff.from} to version ${diff.to}
        </caption>
        <thead>
          <tr>
            <th scope="col">v${diff.from}</th>
            <th scope="col">v${diff.to}</th>
            <th scope="col"><span class="visually-hidden">Change</span></th>
            <th scope="col">Line</th>
          </tr>
        </thead>
        <tbody>
          ${diff.lines.map((line) =>
            line.kind === "skipped"
              ? html`<tr class="skipped">
                  <td colspan="4">… ${plural(line.count, "unchanged line")} …</td>
                </tr>`
              : html`<tr class=${line.kind}>
                  <td class="number">${line.from ?? ""}</td>
                  <td class="number">${line.to ?? ""}</td>
                  <td class="sign">
                    ${
                      line.kind === "added"
                        ? html`<span aria-hidden="true">+</span><span class="visually-hidden">added</span>`
                        : line.kind === "removed"
                          ? html`<span aria-hidden="true">−</span
                              ><span class="visually-hidden">removed</span>`
                          : nothing
                    }
                  </td>
                  <td><code>${line.text}</code></td>
                </tr>`,
          )}
        </tbody>
      </table>`;
  }

  function candidateSection() {
    if (!canOperate()) return html`<p>A dry run and an import need the Lifecycle.Operator role.</p>`;
    return html`<form @submit=${dryRun}>
        <label for="candidate">Candidate mapping (YAML or JSON)</label>
        <textarea
          id="candidate"
          rows="14"
          spellcheck="false"
          .value=${live(state.candidate)}
          @input=${(e) => ((state.candidate = e.target.value), (state.dryRun = undefined), ctx.refresh())}
        ></textarea>
        <div class="buttons">
          <button type="button" class="secondary" @click=${startFromActive}>
            Start from the active version
          </button>
          <button type="submit" ?disabled=${state.candidate.trim() === "" || state.busy === "dry-run"}>
            ${state.busy === "dry-run" ? "Planning…" : "Dry run"}
          </button>
          <button
            type="button"
            ?disabled=${!state.dryRun?.mapping?.validation?.ok || state.busy === "import"}
            @click=${importCandidate}
          >
            Import as a new version
          </button>
        </div>
      </form>
      ${state.dryRun ? dryRunResult(state.dryRun) : nothing}`;
  }

  function dryRunResult(result) {
    const validation = result.mapping.validation;
    const t = result.totals;
    const shown = state.showUnchanged
      ? result.employees
      : result.employees.filter((p) => p.kind !== "PLANNED" || p.steps.length > 0);
    return html`<section class="panel" aria-labelledby="dry-run-heading">
      <h3 id="dry-run-heading">Dry run over the managed workforce (nothing was written)</h3>
      ${
        validation.ok
          ? html`<p class="notice success">
              The candidate fits the org: every name exists and the OAuth client may assign it.
            </p>`
          : html`<div class="notice error">
              <p>The candidate does not fit the org; it could not be activated:</p>
              <ul>
                ${validation.problems.map((p) => html`<li>${p.message ?? JSON.stringify(p)}</li>`)}
              </ul>
            </div>`
      }
      <ul class="chips" aria-label="Dry-run totals">
        <li class="chip updated">would change <strong>${t.planned}</strong></li>
        <li class="chip unchanged">unchanged <strong>${t.unchanged}</strong></li>
        <li class="chip failed">
          cannot be planned
          <strong>${t.unmapped + t.ambiguous + t.unknownNames + t.identityConflicts}</strong>
        </li>
        <li class="chip">steps <strong>${t.steps}</strong></li>
      </ul>
      <div class="toolbar">
        <input
          id="show-unchanged"
          type="checkbox"
          .checked=${live(state.showUnchanged)}
          @change=${(e) => ((state.showUnchanged = e.target.checked), ctx.refresh())}
        />
        <label for="show-unchanged">Also show employees who would not change</label>
      </div>
      ${
        shown.length === 0
          ? html`<p>No employee would change.</p>`
          : html`<table class="data">
              <caption class="visually-hidden">
                What would change for whom
              </caption>
              <thead>
                <tr>
                  <th scope="col">Employee</th>
                  <th scope="col">What would happen</th>
                </tr>
              </thead>
              <tbody>
                ${repeat(
                  shown,
                  (p) => p.employeeId,
                  (p) =>
                    html`<tr>
                      <th scope="row"><a href=${employeeHref(p.employeeId)}>${p.employeeId}</a></th>
                      <td>${planOutcome(p)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
  }

  return {
    title: "Mappings",
    template: () =>
      html`<h1 tabindex="-1">Mappings</h1>
        ${errorBlock(state.error)} ${noticeBlock(state.message)}
        <section class="panel" aria-labelledby="versions-heading">
          <h2 id="versions-heading">Versions</h2>
          ${versionsTable()}
        </section>
        <section class="panel" aria-labelledby="diff-heading">
          <h2 id="diff-heading">Compare two versions</h2>
          ${diffSection()}
        </section>
        <section class="panel" aria-labelledby="candidate-heading">
          <h2 id="candidate-heading">Try a candidate</h2>
          ${candidateSection()}
        </section>`,

    show() {
      return attempt(state, ctx, async () => {
        await load();
        state.error = undefined;
      });
    },
  };
}
