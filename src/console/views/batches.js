/**
 * Batches: the bulk onboarding batches submitted, newest first, with a progress bar that follows a running
 * batch; one batch's per-hire outcomes with a filter, its CSV report, and "retry failed rows".
 */
import { attempt } from "../attempt.js";
import { html, nothing } from "../vendor/lit-html/lit-html.js";
import { repeat } from "../vendor/lit-html/directives/repeat.js";
import { ApiError, get, getPageAfter, post, withLaterPages } from "../api.js";
import { employeeHref, errorBlock, noticeBlock, plural, shortId, when } from "../format.js";

const OUTCOMES = ["failed", "pending", "created", "restored", "updated", "unchanged"];

/** Percent done: 100 only once the batch has completed (inviting and queues come after every hire is converged). */
function percentOf(batch) {
  if (batch.status === "completed") return 100;
  const { total = 0, pending = 0 } = batch.totals ?? {};
  return total === 0 ? 0 : Math.min(99, Math.floor((100 * (total - pending)) / total));
}

function progressText(batch) {
  const { total = 0, pending = total } = batch.totals ?? {};
  switch (batch.status) {
    case "completed":
      return `done: ${plural(total, "hire")}`;
    case "failed":
      return "the batch failed";
    case "running":
      return `${batch.phase ?? "running"}: ${total - pending} of ${total}`;
    default:
      return "status unknown";
  }
}

function progress(batch, label) {
  const percent = percentOf(batch);
  return html`<span class="progress">
    <progress
      max="100"
      .value=${percent}
      aria-label=${label}
      aria-valuetext=${`${percent} %, ${progressText(batch)}`}
    ></progress>
    <span class="progress-text">${percent} % · ${progressText(batch)}</span>
  </span>`;
}

function totalsList(totals) {
  return html`<ul class="chips" aria-label="Totals">
    ${OUTCOMES.map((state) => html`<li class=${`chip ${state}`}>${state} <strong>${totals?.[state] ?? 0}</strong></li>`)}
  </ul>`;
}

export function createBatchesView(ctx) {
  const state = {
    batches: [],
    continuationToken: undefined,
    selected: undefined,
    /** The selected batch: `{ entry, status, totals, hires }`; hires once it is done. */
    detail: undefined,
    filter: "all",
    submitting: false,
    retrying: false,
    message: undefined,
    error: undefined,
  };

  const running = (batch) => batch?.status === "running";
  const hasPending = () => (state.detail?.totals?.pending ?? 0) > 0;

  async function loadList() {
    const { data } = await get("onboarding/batches");
    state.batches = data.batches;
    state.continuationToken = data.continuationToken;
  }

  function loadOlder() {
    return attempt(state, ctx, async () => {
      const { data } = await getPageAfter("onboarding/batches", state.continuationToken);
      state.batches = [...state.batches, ...data.batches];
      state.continuationToken = data.continuationToken;
    });
  }

  async function loadDetail(id) {
    const entry = state.batches.find((b) => b.id === id);
    const path = `onboarding/batches/${encodeURIComponent(id)}?pageSize=1000`;
    const first = await get(path);
    if (first.status === 202) {
      const { phase, batchId: _batchId, ...counts } = first.data.progress ?? {};
      state.detail = { id, entry, status: "running", phase, totals: counts, hires: [] };
      return;
    }
    const hires = await withLaterPages(path, first.data, "hires");
    state.detail = { id, entry, status: "completed", totals: first.data.totals, hires };
  }

  async function submit(event) {
    event.preventDefault();
    const input = event.target.querySelector("input[type=file]");
    const file = input.files?.[0];
    if (!file) return;
    state.submitting = true;
    state.error = state.message = undefined;
    ctx.refresh();
    await attempt(
      state,
      ctx,
      async () => {
        const text = await file.text();
        const json = file.name.toLowerCase().endsWith(".json") || file.type.includes("json");
        const { data } = await post("onboarding/batches", text, {
          contentType: json ? "application/json" : "text/csv",
        });
        state.message = `Batch ${shortId(data.id)} accepted: ${plural(data.rows, "row")}, submitted by ${data.submittedBy}.`;
        ctx.announce(state.message);
        input.value = "";
        ctx.navigate(`#/batches/${encodeURIComponent(data.id)}`);
      },
      () => (state.submitting = false),
    );
  }

  async function download() {
    const id = state.detail.id;
    try {
      const { data } = await get(`onboarding/batches/${encodeURIComponent(id)}`, { accept: "text/csv" });
      const url = URL.createObjectURL(new Blob([data], { type: "text/csv" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `batch-${id}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      ctx.announce(`The report of batch ${shortId(id)} is downloading.`);
    } catch (error) {
      state.error = error;
      ctx.refresh();
    }
  }

  async function retry() {
    const id = state.detail.id;
    state.retrying = true;
    state.error = state.message = undefined;
    ctx.refresh();
    await attempt(
      state,
      ctx,
      async () => {
        const { data } = await post(`onboarding/batches/${encodeURIComponent(id)}/retry`, undefined);
        const lines = data.rows.map(
          (r) => `row ${r.row} (${r.employeeKey}): ${r.status}${r.reason ? `, ${r.reason}` : ""}`,
        );
        state.message = [`${plural(data.retried, "failed row")} retried.`, ...lines].join("\n");
        ctx.announce(state.message);
        await loadDetail(id);
      },
      () => (state.retrying = false),
    );
  }

  function submitForm() {
    if (!ctx.can("Lifecycle.Operator")) return nothing;
    return html`<section class="panel" aria-labelledby="submit-heading">
      <h2 id="submit-heading">Submit a batch</h2>
      <form class="inline-form" @submit=${submit}>
        <label for="batch-file">Bulk CSV or JSON array of events</label>
        <input
          id="batch-file"
          name="file"
          type="file"
          accept=".csv,.json,text/csv,application/json"
          required
        />
        <button type="submit" ?disabled=${state.submitting}>
          ${state.submitting ? "Submitting…" : "Submit batch"}
        </button>
      </form>
      <p class="hint">
        CSV header:
        <code
          >employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate</code
        >
      </p>
    </section>`;
  }

  function listTable() {
    if (state.batches.length === 0) return html`<p>No batch has been submitted yet.</p>`;
    return html`<table class="data">
        <caption class="visually-hidden">
          Batches submitted, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Batch</th>
            <th scope="col">Submitted</th>
            <th scope="col">Rows</th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            state.batches,
            (batch) => batch.id,
            (batch) =>
              html`<tr class=${batch.id === state.selected ? "selected" : ""}>
                <th scope="row">
                  <a
                    href=${`#/batches/${encodeURIComponent(batch.id)}`}
                    title=${batch.id}
                    aria-current=${batch.id === state.selected ? "true" : nothing}
                    >${shortId(batch.id)}</a
                  >
                </th>
                <td>${batch.submittedBy}<br />${when(batch.submittedAt)}</td>
                <td class="number">${batch.rows}</td>
                <td>${progress(batch, `Progress of batch ${shortId(batch.id)}`)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        state.continuationToken
          ? html`<button type="button" class="secondary" @click=${loadOlder}>Show older batches</button>`
          : nothing
      }`;
  }

  function detailSection() {
    const detail = state.detail;
    if (!detail) return nothing;
    const totals = detail.totals ?? {};
    const failed = totals.failed ?? 0;
    const hires =
      state.filter === "all" ? detail.hires : detail.hires.filter((h) => h.state === state.filter);
    return html`<section class="panel" aria-labelledby="detail-heading">
      <h2 id="detail-heading">Batch <span class="mono">${detail.id}</span></h2>
      ${
        detail.entry
          ? html`<p>
              Submitted by ${detail.entry.submittedBy}, ${when(detail.entry.submittedAt)};
              ${plural(detail.entry.rows, "row")}.
            </p>`
          : nothing
      }
      <div class="progress-large">${progress({ ...detail, totals }, "Batch progress")}</div>
      ${totalsList(totals)}
      ${
        detail.status !== "completed"
          ? html`<p>The per-hire report appears here when the batch is done.</p>`
          : html`<div class="toolbar">
                <label for="hire-filter">Show hires</label>
                <select id="hire-filter" @change=${(e) => ((state.filter = e.target.value), ctx.refresh())}>
                  <option value="all" ?selected=${state.filter === "all"}>
                    all (${detail.hires.length})
                  </option>
                  ${OUTCOMES.map(
                    (s) =>
                      html`<option value=${s} ?selected=${state.filter === s}>
                        ${s} (${totals[s] ?? 0})
                      </option>`,
                  )}
                </select>
                <button type="button" class="secondary" @click=${download}>Download CSV report</button>
                ${
                  ctx.can("Lifecycle.Operator")
                    ? html`<button type="button" @click=${retry} ?disabled=${failed === 0 || state.retrying}>
                        ${state.retrying ? "Retrying…" : `Retry failed rows (${failed})`}
                      </button>`
                    : nothing
                }
              </div>
              <table class="data">
                <caption class="visually-hidden">
                  Per-hire outcomes, ${state.filter}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Employee</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">What happened</th>
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    hires,
                    (hire) => hire.row,
                    (hire) =>
                      html`<tr>
                        <td class="number">${hire.row}</td>
                        <td><a href=${employeeHref(hire.employeeKey)}>${hire.employeeKey}</a></td>
                        <td><span class=${`chip ${hire.state}`}>${hire.state}</span></td>
                        <td>${hire.summary}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              ${hires.length === 0 ? html`<p>No hire is ${state.filter}.</p>` : nothing}`
      }
    </section>`;
  }

  return {
    title: "Batches",
    template: () =>
      html`<h1 tabindex="-1">Batches</h1>
        ${errorBlock(state.error)} ${noticeBlock(state.message)} ${submitForm()}
        <section class="panel" aria-labelledby="list-heading">
          <h2 id="list-heading">Submitted batches</h2>
          ${listTable()}
        </section>
        ${detailSection()}`,

    async show([id]) {
      if (id !== state.selected) {
        state.detail = undefined;
        state.filter = "all";
      }
      state.selected = id;
      try {
        await loadList();
        if (id) await loadDetail(id);
        state.error = undefined;
      } catch (error) {
        state.error = error;
        if (error instanceof ApiError && error.status === 404) state.detail = undefined;
      }
      ctx.refresh();
    },

    /** While something runs (a batch, or a retried row), follow it. */
    async poll() {
      const following = state.batches.some(running) || running(state.detail) || hasPending();
      if (!following) return;
      await attempt(state, ctx, async () => {
        await loadList();
        if (state.selected) await loadDetail(state.selected);
      });
    },
  };
}
