/**
 * Employee: find someone by HR employee id or email; their lifecycle state, the events still to come, the
 * manager link, the profile this product assigned, and the audit trail told as a story.
 */
import { html, nothing } from "../vendor/lit-html/lit-html.js";
import { repeat } from "../vendor/lit-html/directives/repeat.js";
import { live } from "../vendor/lit-html/directives/live.js";
import { ApiError, get } from "../api.js";
import { day, employeeHref, errorBlock, STATE_WORDS, stateLabel, when } from "../format.js";
import { storyOf } from "../story.js";

/** States an employee passes through while a leaver runs. */
const IN_PROGRESS = ["starting_leave", "terminating"];

export function createEmployeeView(ctx) {
  const state = {
    query: "",
    employee: undefined,
    audit: [],
    matches: undefined,
    error: undefined,
    loading: false,
  };

  async function search(event) {
    event.preventDefault();
    const query = state.query.trim();
    if (query === "") return;
    state.error = state.matches = undefined;
    if (!query.includes("@")) {
      ctx.navigate(employeeHref(query));
      return;
    }
    try {
      const { data } = await get(`employees?email=${encodeURIComponent(query)}`);
      if (data.employees.length === 1) {
        ctx.navigate(employeeHref(data.employees[0].employeeId));
        return;
      }
      state.employee = undefined;
      state.matches = data.employees;
      ctx.announce(`${data.employees.length} employees found for ${query}.`);
    } catch (error) {
      state.error = error;
    }
    ctx.refresh();
  }

  async function load(employeeId) {
    state.loading = true;
    ctx.refresh();
    try {
      const [employee, audit] = await Promise.all([
        get(`employees/${encodeURIComponent(employeeId)}`),
        get(`employees/${encodeURIComponent(employeeId)}/audit`),
      ]);
      state.employee = employee.data;
      state.audit = audit.data.entries;
      state.error = undefined;
    } catch (error) {
      state.employee = undefined;
      state.error =
        error instanceof ApiError && error.status === 404
          ? new Error(`No employee with id ${employeeId}: no HR event was ever accepted for them.`)
          : error;
    } finally {
      state.loading = false;
    }
    ctx.refresh();
  }

  const searchForm = () =>
    html`<form role="search" class="inline-form" @submit=${search}>
      <label for="employee-query">Employee id or email</label>
      <input
        id="employee-query"
        type="search"
        autocomplete="off"
        .value=${live(state.query)}
        @input=${(e) => (state.query = e.target.value)}
      />
      <button type="submit">Find</button>
    </form>`;

  function matchesList() {
    if (!state.matches) return nothing;
    if (state.matches.length === 0) return html`<p role="status">No employee has that email.</p>`;
    return html`<section class="panel" aria-labelledby="matches-heading">
      <h2 id="matches-heading">Employees with that email</h2>
      <ul>
        ${state.matches.map(
          (m) =>
            html`<li>
              <a href=${employeeHref(m.employeeId)}>${m.name ?? m.employeeId}</a> (${m.employeeId}),
              ${m.title ?? ""}, ${stateLabel(m.state)}
            </li>`,
        )}
      </ul>
    </section>`;
  }

  function managerLink(employee) {
    if (employee.managerPending) {
      return html`waiting for the manager ${employee.managerPending.manager} to have a Genesys user (since
      ${when(employee.managerPending.since)})`;
    }
    const manager = employee.worker?.managerEmployeeId ?? employee.worker?.managerEmail;
    return manager ? `linked to ${manager}` : "HR names no manager";
  }

  function summary(employee) {
    const w = employee.worker;
    return html`<dl class="facts">
      <dt>Lifecycle state</dt>
      <dd>
        <span class=${`chip state-${employee.state}`}>${stateLabel(employee.state)}</span>
        ${STATE_WORDS[employee.state] ?? ""}
      </dd>
      ${
        w
          ? html`<dt>Email</dt>
              <dd>${w.email}</dd>
              <dt>Job</dt>
              <dd>${[w.title, w.department, w.location, w.country].filter(Boolean).join(" · ")}</dd>`
          : nothing
      }
      <dt>Genesys user</dt>
      <dd>${employee.genesysUserId ? html`<code>${employee.genesysUserId}</code>` : "none yet"}</dd>
      <dt>Manager link</dt>
      <dd>${managerLink(employee)}</dd>
      ${
        employee.deleteAt
          ? html`<dt>Deletion</dt>
              <dd>scheduled for ${when(employee.deleteAt)}, unless a rehire comes first</dd>`
          : nothing
      }
    </dl>`;
  }

  function pendingEvents(employee) {
    return html`<section class="panel" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Events still to come</h2>
      ${
        employee.pendingEvents.length === 0
          ? html`<p>None: every accepted event has been applied.</p>`
          : html`<table class="data">
              <caption class="visually-hidden">
                Pending events, in the order they become due
              </caption>
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Type</th>
                  <th scope="col">Effective</th>
                  <th scope="col">Due</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                ${employee.pendingEvents.map(
                  (e) =>
                    html`<tr>
                      <td class="mono">${e.eventId}</td>
                      <td>${e.type}</td>
                      <td>${day(e.effectiveDate)}</td>
                      <td>${when(e.dueAt)}</td>
                      <td>${e.source}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
  }

  function assignedProfile(employee) {
    const a = employee.assigned;
    const names = (refs) => (refs.length === 0 ? "none" : refs.map((r) => r.name).join(", "));
    return html`<section class="panel" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile as this product assigned it</h2>
      ${
        !a
          ? html`<p>Nothing assigned by this product yet.</p>`
          : html`<dl class="facts">
              <dt>Mapping version</dt>
              <dd>${a.mappingVersion ?? "unknown"}</dd>
              <dt>Roles</dt>
              <dd>
                ${a.roles.length === 0 ? "none" : a.roles.map((r) => `${r.role.name} in ${r.division.name}`).join(", ")}
              </dd>
              <dt>Queues</dt>
              <dd>${names(a.queues)}</dd>
              <dt>Skills</dt>
              <dd>${names(a.skills)}</dd>
              <dt>Languages</dt>
              <dd>${names(a.languages)}</dd>
            </dl>`
      }
    </section>`;
  }

  function timeline() {
    const groups = storyOf(state.audit);
    return html`<section class="panel" aria-labelledby="story-heading">
      <h2 id="story-heading">What happened</h2>
      ${
        groups.length === 0
          ? html`<p>Nothing recorded yet.</p>`
          : html`<ol class="story">
              ${repeat(
                groups,
                (g, i) => `${i}-${g.eventId}`,
                (g) =>
                  html`<li>
                    <h3>
                      ${g.eventId ? html`HR event <span class="mono">${g.eventId}</span>` : "Without an HR event"}
                    </h3>
                    <ol class="timeline">
                      ${g.entries.map(
                        (s) =>
                          html`<li
                            class=${`entry ${s.kind} ${s.outcome ? `outcome-${s.outcome.replace(/ /g, "-")}` : ""}`}
                          >
                            ${when(s.at)}
                            <span class="what">${s.text}</span
                            >${s.detail ? html`: <span class="detail">${s.detail}</span>` : nothing}
                            ${s.meta ? html`<span class="meta">${s.meta}</span>` : nothing}
                          </li>`,
                      )}
                    </ol>
                  </li>`,
              )}
            </ol>`
      }
    </section>`;
  }

  function employeeSection() {
    const employee = state.employee;
    if (!employee) return nothing;
    const w = employee.worker;
    return html`<section aria-labelledby="employee-heading">
      <h2 id="employee-heading">
        ${w ? `${w.preferredName ?? w.firstName} ${w.lastName}` : "Employee"}
        <span class="mono">(${employee.employeeId})</span>
      </h2>
      ${summary(employee)} ${pendingEvents(employee)} ${assignedProfile(employee)} ${timeline()}
    </section>`;
  }

  return {
    title: "Employee",
    template: () =>
      html`<h1 tabindex="-1">Employee</h1>
        ${searchForm()} ${errorBlock(state.error)} ${matchesList()}
        ${state.loading && !state.employee ? html`<p role="status">Loading…</p>` : nothing}
        ${employeeSection()}`,

    async show([employeeId]) {
      if (!employeeId) {
        state.employee = undefined;
        ctx.refresh();
        return;
      }
      state.matches = undefined;
      if (state.employee?.employeeId !== employeeId) state.query = employeeId;
      await load(employeeId);
    },

    /** An employee's story grows while events are applied: follow it while any is pending or in progress. */
    async poll() {
      const employee = state.employee;
      if (!employee || state.loading) return;
      if (employee.pendingEvents.length === 0 && !IN_PROGRESS.includes(employee.state)) return;
      await load(employee.employeeId);
    },
  };
}
