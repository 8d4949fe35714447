/**
 * An employee's audit trail as a story people can read: entries grouped by the HR event behind them, each a
 * sentence. Lifecycle steps (`event.applied`, `leaver.transferred`, …) carry their own words; Genesys writes
 * are named by the client operation, put into words here.
 */

const GENESYS_WRITES = {
  createUser: "Genesys user created",
  updateUser: "Genesys user updated",
  restoreUser: "Genesys user restored",
  inviteUser: "invitation sent",
  setUserState: "account state changed",
  deleteUser: "Genesys user deleted",
  revokeUserTokens: "sign-in sessions revoked",
  setRoutingStatus: "routing status set",
  setUserPresence: "presence set",
  moveUsersToDivision: "moved to another division",
  addRoleGrants: "roles granted",
  replaceRoleGrants: "roles granted",
  removeRoleGrants: "roles revoked",
  addQueueMembers: "added to queues",
  removeQueueMembers: "removed from queues",
  addUserSkills: "skills added",
  replaceUserSkills: "skills set",
  removeUserSkills: "skills removed",
  addUserLanguages: "languages added",
  removeUserLanguages: "languages removed",
  transferInteraction: "interaction handed over",
  disconnectInteraction: "interaction disconnected",
  reassignScheduledCallback: "scheduled callback reassigned",
};

const OUTCOMES = {
  "event.applied": "applied",
  "event.nothing_to_do": "nothing to do",
  "event.superseded": "superseded",
  "event.quarantined": "quarantined",
  "event.waiting": "waiting",
};

/** `removeQueueMembers` → `remove queue members`: an operation this page has no words for yet. */
const words = (operation) => operation.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/** One entry as `{ at, kind, text, detail, outcome? }`. */
export function sentenceOf(entry) {
  const isStep = entry.operation.includes(".");
  const outcome = OUTCOMES[entry.operation];
  const kind = outcome ? "outcome" : isStep ? "step" : "genesys";
  const text = outcome
    ? `Outcome: ${outcome}`
    : isStep
      ? entry.operation.replace(/^[a-z]+\./, "").replace(/[-_]/g, " ")
      : (GENESYS_WRITES[entry.operation] ?? words(entry.operation));
  const meta = [
    entry.mappingVersion !== undefined ? `mapping version ${entry.mappingVersion}` : undefined,
    entry.correlationId ? `correlation ${entry.correlationId}` : undefined,
  ].filter(Boolean);
  return { at: entry.at, kind, outcome, text, detail: entry.summary ?? "", meta: meta.join(" · ") };
}

/** Entries in time order, grouped by consecutive HR event: `[{ eventId, entries: [sentence] }]`. */
export function storyOf(entries) {
  const groups = [];
  for (const entry of entries) {
    const eventId = entry.eventId ?? "";
    const last = groups.at(-1);
    if (last && last.eventId === eventId) last.entries.push(sentenceOf(entry));
    else groups.push({ eventId, entries: [sentenceOf(entry)] });
  }
  return groups;
}
