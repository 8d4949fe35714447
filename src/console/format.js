/** Small, shared ways of showing values. */
import { html, nothing } from "./vendor/lit-html/lit-html.js";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

/** A moment, readable, with the exact ISO value for machines and on hover. */
export function when(iso) {
  if (!iso) return nothing;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return html`<time datetime=${iso} title=${iso}>${dateTime.format(date)}</time>`;
}

/** A calendar date (yyyy-MM-dd), as HR sends it. */
export function day(isoDate) {
  if (!isoDate) return nothing;
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? isoDate
    : html`<time datetime=${isoDate}>${dateOnly.format(date)}</time>`;
}

export const plural = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The first characters of a long id: enough to tell batches apart on screen; the full id is in the title. */
export const shortId = (id) => (id.length > 12 ? `${id.slice(0, 10)}…` : id);

/** Where an employee's page is. */
export const employeeHref = (employeeId) => `#/employee/${encodeURIComponent(employeeId)}`;

/** An error as a message block that screen readers announce. */
export function errorBlock(error) {
  if (!error) return nothing;
  return html`<div class="notice error" role="alert">
    <p class="pre">${error.message ?? String(error)}</p>
  </div>`;
}

/** A confirmation that stays on screen (the announcer reads it out too). */
export function noticeBlock(message) {
  if (!message) return nothing;
  return html`<div class="notice success"><p class="pre">${message}</p></div>`;
}

/** The lifecycle states in plain words (docs/lifecycle.md). */
export const STATE_WORDS = {
  not_provisioned: "this product has set nothing up yet",
  active: "provisioned and working: the Genesys user has the mapped profile",
  starting_leave: "a leave of absence is being applied, or stopped before the account was deactivated",
  on_leave: "the account is inactive for a leave; the end of the leave brings the agent back",
  terminating: "a termination is being applied, or stopped before the account was deactivated",
  terminated: "the account is inactive and will be deleted when the retention period ends",
  deleted: "the account was deleted after the retention period; a rehire restores it",
};

export const stateLabel = (state) => state.replace(/_/g, " ");
