/**
 * Reconciliation: the last runs, newest first, with how each started, its status and its counts; one run's
 * report (HR findings, Genesys drift per user and attribute, orphans, cost); and, for an operator, a button
 * that starts a run. A run in progress is followed until it ends.
 */
import { attempt } from "../attempt.js";
import { html, nothing } from "../vendor/lit-html/lit-html.js";
import { repeat } from "../vendor/lit-html/directives/repeat.js";
import { ApiError, get, getPageAfter, post, withLaterPages } from "../api.js";
import { errorBlock, noticeBlock, when } from "../format.js";
import { hrEventsSent, modeText, runReport, statusChip, triggerText } from "./reconciliation-report.js";

const runHref = (id) => `#/reconciliation/${encodeURIComponent(id)}`;
const runPath = (id) => `reconciliation/runs/${encodeURIComponent(id)}`;

export function createReconciliationView(ctx) {
  const state = {
    runs: [],
    continuationToken: undefined,
    selected: undefined,
    /** The selected run: its summary and, once it has ended, all its findings. */
    detail: undefined,
    mode: "",
    starting: false,
    /** The run in progress a start was refused for (409). */
    refusedFor: undefined,
    message: undefined,
    error: undefined,
  };

  const running = (run) => run?.status === "running";

  async function loadList() {
    const { data } = await get("reconciliation/runs");
    state.runs = data.runs;
    state.continuationToken = data.continuationToken;
    // A refusal stays on screen only while the run it names is still going on.
    const refusedFor = state.runs.find((run) => run.id === state.refusedFor);
    if (refusedFor && !running(refusedFor)) state.refusedFor = undefined;
  }

  function loadOlder() {
    return attempt(state, ctx, async () => {
      const { data } = await getPageAfter("reconciliation/runs", state.continuationToken);
      state.runs = [...state.runs, ...data.runs];
      state.continuationToken = data.continuationToken;
    });
  }

  /** The run's summary; every page of its findings once it has ended (202 while it runs: no findings yet). */
  async function loadDetail(id) {
    const path = `${runPath(id)}?pageSize=1000`;
    const first = await get(path);
    const { findings: _firstPage, continuationToken: _next, ...run } = first.data;
    const findings = await withLaterPages(path, first.data, "findings");
    const wasRunning = running(state.detail?.run) && state.detail.run.id === id;
    state.detail = { run, findings };
    if (wasRunning && !running(run)) ctx.announce(`Run ${id} has ${run.status}.`);
  }

  /** The list, and the shown run: what the view follows. */
  async function reload() {
    await loadList();
    if (state.selected) await loadDetail(state.selected);
  }

  async function start(event) {
    event.preventDefault();
    state.starting = true;
    state.error = state.message = state.refusedFor = undefined;
    ctx.refresh();
    try {
      const { data } = await post("reconciliation/runs", state.mode ? { mode: state.mode } : {});
      state.message = `Run ${data.id} started (${modeText(data.mode)}).`;
      ctx.announce(state.message);
      ctx.navigate(runHref(data.id));
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        state.refusedFor = error.body?.id ?? "";
        ctx.announce(`Not started: run ${state.refusedFor} is still running. One run at a time.`);
        // Show where the run in progress is now.
        await reload().catch((loadError) => (state.error = loadError));
      } else {
        state.error = error;
      }
    } finally {
      state.starting = false;
      ctx.refresh();
    }
  }

  /** A start refused because a run is in progress (409): which run, and what to do. */
  function refusedNotice() {
    if (state.refusedFor === undefined) return nothing;
    return html`<div class="notice error" role="alert">
      <p>
        <strong>Not started: a run is already in progress.</strong>
        ${
          state.refusedFor
            ? html`Run <a href=${runHref(state.refusedFor)}>${state.refusedFor}</a> is still running.`
            : nothing
        }
        One run at a time: follow it, and start again once it has ended.
      </p>
    </div>`;
  }

  function startForm() {
    if (!ctx.can("Lifecycle.Operator")) return nothing;
    return html`<section class="panel" aria-labelledby="start-heading">
      <h2 id="start-heading">Start a run</h2>
      <form class="inline-form" @submit=${start}>
        <label for="run-mode">Genesys drift</label>
        <select id="run-mode" @change=${(e) => (state.mode = e.target.value)}>
          <option value="" ?selected=${state.mode === ""}>as configured</option>
          <option value="report" ?selected=${state.mode === "report"}>report only</option>
          <option value="fix" ?selected=${state.mode === "fix"}>report and fix</option>
        </select>
        <button type="submit" ?disabled=${state.starting}>
          ${state.starting ? "Starting…" : "Start a run"}
        </button>
      </form>
      <p class="hint">
        Reads each HR system's changes since the last successful run and sends the events that never came,
        then compares every managed user in Genesys with the mapped profile. It shares the rate budget with
        event processing, which always goes first. One run at a time.
      </p>
    </section>`;
  }

  function listTable() {
    if (state.runs.length === 0) return html`<p>No reconciliation has run yet.</p>`;
    return html`<table class="data">
        <caption class="visually-hidden">
          Reconciliation runs, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Finished</th>
            <th scope="col">HR events sent</th>
            <th scope="col">Managed users</th>
            <th scope="col">Drifted</th>
            <th scope="col">Orphans</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            state.runs,
            (run) => run.id,
            (run) =>
              html`<tr class=${run.id === state.selected ? "selected" : ""}>
                <th scope="row">
                  <a
                    class="mono"
                    href=${runHref(run.id)}
                    aria-current=${run.id === state.selected ? "true" : nothing}
                    >${run.id}</a
                  ><br /><span class="meta">${modeText(run.mode)}</span>
                </th>
                <td>${when(run.startedAt)}<br />${triggerText(run.trigger)}</td>
                <td>${statusChip(run)}</td>
                <td>${run.finishedAt ? when(run.finishedAt) : "—"}</td>
                <td class="number">${hrEventsSent(run)}</td>
                <td class="number">${run.genesys?.managed ?? 0}</td>
                <td class="number">${run.genesys?.drifted ?? 0}</td>
                <td class="number">${run.genesys?.orphans ?? 0}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        state.continuationToken
          ? html`<button type="button" class="secondary" @click=${loadOlder}>Show older runs</button>`
          : nothing
      }`;
  }

  function detailSection() {
    const detail = state.detail;
    if (!detail) return nothing;
    return html`<section class="panel" aria-labelledby="run-heading">
      <h2 id="run-heading">Run <span class="mono">${detail.run.id}</span></h2>
      ${runReport(detail.run, detail.findings)}
    </section>`;
  }

  return {
    title: "Reconciliation",
    template: () =>
      html`<h1 tabindex="-1">Reconciliation</h1>
        <p class="lead">
          The safety net under event processing: HR events that never came, and changes made in Genesys that
          nobody asked for through HR.
        </p>
        ${errorBlock(state.error)} ${refusedNotice()} ${noticeBlock(state.message)} ${startForm()}
        <section class="panel" aria-labelledby="runs-heading">
          <h2 id="runs-heading">Last runs</h2>
          ${listTable()}
        </section>
        ${detailSection()}`,

    async show([id]) {
      if (id !== state.selected) state.detail = undefined;
      state.selected = id;
      try {
        await reload();
        state.error = undefined;
      } catch (error) {
        state.error = error;
        if (error instanceof ApiError && error.status === 404) state.detail = undefined;
      }
      ctx.refresh();
    },

    /** While a run goes on, follow it: the list's status and counts, and the shown run's report. */
    async poll() {
      if (!state.runs.some(running) && !running(state.detail?.run)) return;
      await attempt(state, ctx, reload);
    },
  };
}
