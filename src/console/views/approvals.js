/**
 * Approvals: leavers the mass-deactivation guard paused, who they are and why the guard stopped them; an
 * approver decides, and the decision shows who made it and when (the app records the signed-in identity).
 */
import { attempt } from "../attempt.js";
import { html, nothing } from "../vendor/lit-html/lit-html.js";
import { repeat } from "../vendor/lit-html/directives/repeat.js";
import { live } from "../vendor/lit-html/directives/live.js";
import { get, post } from "../api.js";
import { employeeHref, errorBlock, noticeBlock, when } from "../format.js";

const FILTERS = ["all", "pending", "approved", "rejected"];

/** Pending first (oldest request first: it has waited longest), then decisions, newest first. */
function ordered(approvals) {
  const pending = approvals.filter((a) => a.status === "pending");
  const decided = approvals
    .filter((a) => a.status !== "pending")
    .sort((a, b) => (b.decidedAt ?? "").localeCompare(a.decidedAt ?? ""));
  return [...pending, ...decided];
}

export function createApprovalsView(ctx) {
  const state = {
    filter: "all",
    approvals: [],
    comments: {},
    busy: undefined,
    message: undefined,
    error: undefined,
  };

  async function load() {
    const { data } = await get(`approvals?status=${state.filter}`);
    state.approvals = ordered(data.approvals);
  }

  async function decide(approval, decision) {
    state.busy = approval.id;
    state.error = state.message = undefined;
    ctx.refresh();
    await attempt(
      state,
      ctx,
      async () => {
        const comment = (state.comments[approval.id] ?? "").trim();
        const { data } = await post(`approvals/${encodeURIComponent(approval.id)}`, {
          decision,
          ...(comment ? { comment } : {}),
        });
        state.approvals = ordered(state.approvals.map((a) => (a.id === data.id ? data : a)));
        state.message = `${data.status === "approved" ? "Approved" : "Rejected"}: the leaver of employee ${
          data.employeeKey
        } ${data.status === "approved" ? "goes on" : "stops"}. Recorded as decided by ${data.decidedBy}.`;
        ctx.announce(state.message);
      },
      () => (state.busy = undefined),
    );
  }

  function decisionCell(approval) {
    if (approval.status !== "pending") {
      return html`<p>
          <strong>${approval.status === "approved" ? "Approved" : "Rejected"}</strong> by
          <span class="decided-by">${approval.decidedBy}</span>, ${when(approval.decidedAt)}
        </p>
        ${approval.comment ? html`<p class="quote">“${approval.comment}”</p>` : nothing}`;
    }
    if (!ctx.can("Lifecycle.Approver")) return html`<p>Waiting for an approver.</p>`;
    const busy = state.busy === approval.id;
    const commentId = `comment-${approval.id}`;
    return html`<div class="decide">
      <label for=${commentId}>Comment (optional)</label>
      <input
        id=${commentId}
        type="text"
        maxlength="1000"
        .value=${live(state.comments[approval.id] ?? "")}
        @input=${(e) => (state.comments[approval.id] = e.target.value)}
      />
      <div class="buttons">
        <button
          type="button"
          ?disabled=${busy}
          @click=${() => decide(approval, "approve")}
          aria-label=${`Approve the leaver of employee ${approval.employeeKey}`}
        >
          Approve
        </button>
        <button
          type="button"
          class="danger"
          ?disabled=${busy}
          @click=${() => decide(approval, "reject")}
          aria-label=${`Reject the leaver of employee ${approval.employeeKey}`}
        >
          Reject
        </button>
      </div>
    </div>`;
  }

  const view = {
    title: "Approvals",
    template: () =>
      html`<h1 tabindex="-1">Approvals</h1>
        <p class="lead">
          Leavers pause before deactivation when more accounts would be deactivated than the guard allows.
          Approve to go on; reject to stop (the event is quarantined and the agent stays active, off queue).
        </p>
        ${errorBlock(state.error)} ${noticeBlock(state.message)}
        <div class="toolbar">
          <label for="approval-filter">Show</label>
          <select
            id="approval-filter"
            @change=${async (e) => {
              state.filter = e.target.value;
              await view.show();
            }}
          >
            ${FILTERS.map((f) => html`<option value=${f} ?selected=${state.filter === f}>${f}</option>`)}
          </select>
        </div>
        ${
          state.approvals.length === 0
            ? html`<p>No ${state.filter === "all" ? "" : `${state.filter} `}approval.</p>`
            : html`<table class="data">
                <caption class="visually-hidden">
                  Approvals
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Employee</th>
                    <th scope="col">Why the guard paused it</th>
                    <th scope="col">Requested</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  ${repeat(
                    state.approvals,
                    (a) => a.id,
                    (a) =>
                      html`<tr class=${a.status}>
                        <th scope="row"><a href=${employeeHref(a.employeeKey)}>${a.employeeKey}</a></th>
                        <td>${a.reason}<br /><span class="meta">HR event ${a.eventId}</span></td>
                        <td>${when(a.requestedAt)}</td>
                        <td>${decisionCell(a)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }`,

    show() {
      return attempt(state, ctx, async () => {
        await load();
        state.error = undefined;
      });
    },

    async poll() {
      if (state.busy) return;
      await attempt(state, ctx, load);
    },
  };
  return view;
}
