/**
 * Quarantine: what could not be processed, where it came from, whose it is, why and which field; replay one
 * entry or a selection once the cause is fixed, and see what each replay did.
 */
import { attempt } from "../attempt.js";
import { html, nothing } from "../vendor/lit-html/lit-html.js";
import { repeat } from "../vendor/lit-html/directives/repeat.js";
import { live } from "../vendor/lit-html/directives/live.js";
import { ApiError, get, getPageAfter, post } from "../api.js";
import { employeeHref, errorBlock, plural, shortId, when } from "../format.js";

export function createQuarantineView(ctx) {
  const state = {
    entries: [],
    continuationToken: undefined,
    includeResolved: false,
    selected: new Set(),
    /** What each replay of this visit did, newest first: `{ id, employeeKey, source, status, text }`. */
    outcomes: [],
    replaying: false,
    error: undefined,
  };
  const canReplay = () => ctx.can("Lifecycle.Operator");

  const listPath = () => `hr/quarantine?pageSize=100${state.includeResolved ? "&status=all" : ""}`;

  async function load() {
    const { data } = await get(listPath());
    state.entries = data.entries;
    state.continuationToken = data.continuationToken;
    // A selection only of entries still listed and open.
    const open = new Set(state.entries.filter((e) => e.status === "open").map((e) => e.id));
    state.selected = new Set([...state.selected].filter((id) => open.has(id)));
  }

  async function loadMore() {
    try {
      const { data } = await getPageAfter(listPath(), state.continuationToken);
      state.entries = [...state.entries, ...data.entries];
      state.continuationToken = data.continuationToken;
    } catch (error) {
      state.error = error;
    }
    ctx.refresh();
  }

  /** Replays entries one after another (each claims its entry; a second replay meanwhile is refused). */
  async function replay(entries) {
    state.replaying = true;
    state.error = undefined;
    ctx.refresh();
    const results = [];
    for (const entry of entries) {
      let outcome;
      try {
        await post(`hr/quarantine/${encodeURIComponent(entry.id)}/replay`, undefined);
        outcome = { status: "resolved", text: "resolved: handed to the employee's lifecycle" };
      } catch (error) {
        if (error instanceof ApiError && error.status === 422) {
          outcome = { status: "quarantined", text: `still quarantined: ${error.body.reason}` };
        } else {
          outcome = { status: "not-replayed", text: `not replayed: ${error.message}` };
        }
      }
      results.push({ id: entry.id, employeeKey: entry.employeeKey, source: entry.source, ...outcome });
      state.selected.delete(entry.id);
    }
    state.outcomes = [...results, ...state.outcomes];
    const resolved = results.filter((r) => r.status === "resolved").length;
    ctx.announce(
      `${plural(results.length, "entry", "entries")} replayed: ${resolved} resolved, ${results.length - resolved} not.`,
    );
    try {
      await load();
    } catch (error) {
      state.error = error;
    }
    state.replaying = false;
    ctx.refresh();
  }

  const toggle = (id, on) => {
    if (on) state.selected.add(id);
    else state.selected.delete(id);
    ctx.refresh();
  };

  function outcomesPanel() {
    if (state.outcomes.length === 0) return nothing;
    return html`<section class="panel" aria-labelledby="outcomes-heading">
      <h2 id="outcomes-heading">Replays</h2>
      <ul class="outcomes">
        ${repeat(
          state.outcomes,
          (o, i) => `${o.id}-${state.outcomes.length - i}`,
          (o) =>
            html`<li class=${o.status}>
              <strong>${o.employeeKey ?? "unknown employee"}</strong> (${o.source}): ${o.text}
            </li>`,
        )}
      </ul>
    </section>`;
  }

  function table() {
    if (state.entries.length === 0) return html`<p>Nothing is in quarantine.</p>`;
    const open = state.entries.filter((e) => e.status === "open");
    const allSelected = open.length > 0 && open.every((e) => state.selected.has(e.id));
    return html`<table class="data">
        <caption class="visually-hidden">
          Quarantined events
        </caption>
        <thead>
          <tr>
            ${
              canReplay()
                ? html`<th scope="col" class="check">
                    <input
                      type="checkbox"
                      aria-label="Select every open entry"
                      .checked=${live(allSelected)}
                      @change=${(e) => {
                        state.selected = e.target.checked ? new Set(open.map((x) => x.id)) : new Set();
                        ctx.refresh();
                      }}
                    />
                  </th>`
                : nothing
            }
            <th scope="col">Employee</th>
            <th scope="col">Source</th>
            <th scope="col">Reason</th>
            <th scope="col">Field</th>
            <th scope="col">Quarantined</th>
            <th scope="col">Replays</th>
            ${canReplay() ? html`<th scope="col"><span class="visually-hidden">Action</span></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${repeat(
            state.entries,
            (e) => e.id,
            (e) =>
              html`<tr class=${e.status}>
                ${
                  canReplay()
                    ? html`<td class="check">
                        ${
                          e.status === "open"
                            ? html`<input
                                type="checkbox"
                                aria-label=${`Select the entry of employee ${e.employeeKey ?? "unknown"} from ${e.source}`}
                                .checked=${live(state.selected.has(e.id))}
                                @change=${(ev) => toggle(e.id, ev.target.checked)}
                              />`
                            : nothing
                        }
                      </td>`
                    : nothing
                }
                <th scope="row">
                  ${e.employeeKey ? html`<a href=${employeeHref(e.employeeKey)}>${e.employeeKey}</a>` : "unknown"}
                </th>
                <td>
                  ${e.source}${
                    e.batchId
                      ? html`<br /><a class="meta" href=${`#/batches/${encodeURIComponent(e.batchId)}`}
                            >batch ${shortId(e.batchId)}, row ${e.row}</a
                          >`
                      : nothing
                  }
                </td>
                <td class="reason">${e.reason}</td>
                <td>${e.field ? html`<code>${e.field}</code>` : nothing}</td>
                <td>${when(e.quarantinedAt)}</td>
                <td class="number">
                  ${e.replayCount}${e.status === "resolved" ? html`<br /><span class="meta">resolved</span>` : nothing}
                </td>
                ${
                  canReplay()
                    ? html`<td>
                        ${
                          e.status === "open"
                            ? html`<button
                                type="button"
                                class="secondary"
                                ?disabled=${state.replaying}
                                aria-label=${`Replay the entry of employee ${e.employeeKey ?? "unknown"} from ${e.source}`}
                                @click=${() => replay([e])}
                              >
                                Replay
                              </button>`
                            : nothing
                        }
                      </td>`
                    : nothing
                }
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        state.continuationToken
          ? html`<button type="button" class="secondary" @click=${loadMore}>Show more</button>`
          : nothing
      }`;
  }

  const view = {
    title: "Quarantine",
    template: () =>
      html`<h1 tabindex="-1">Quarantine</h1>
        <p class="lead">
          Events that could not be applied, each with the reason. Fix the cause (the mapping, the HR record),
          then replay: the stored message is read again; nothing needs to be resent.
        </p>
        ${errorBlock(state.error)} ${outcomesPanel()}
        <div class="toolbar">
          <input
            id="show-resolved"
            type="checkbox"
            .checked=${live(state.includeResolved)}
            @change=${async (e) => {
              state.includeResolved = e.target.checked;
              await view.show();
            }}
          />
          <label for="show-resolved">Also show resolved entries</label>
          ${
            canReplay()
              ? html`<button
                  type="button"
                  ?disabled=${state.selected.size === 0 || state.replaying}
                  @click=${() => replay(state.entries.filter((e) => state.selected.has(e.id)))}
                >
                  ${state.replaying ? "Replaying…" : `Replay selected (${state.selected.size})`}
                </button>`
              : nothing
          }
        </div>
        ${table()}`,

    show() {
      return attempt(state, ctx, async () => {
        await load();
        state.error = undefined;
      });
    },

    async poll() {
      if (state.replaying || state.continuationToken) return; // keep what was paged in
      await attempt(state, ctx, load);
    },
  };
  return view;
}
