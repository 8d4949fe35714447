// The local host's sign-in settings, apart from the test helpers so the benches can use them outside Jest.

/** Who the local host signs requests in as (LOCAL_DEV_IDENTITY / LOCAL_DEV_TOKENS), by role. */
export const DEV_IDENTITY = {
  name: "operator@example.com",
  roles: ["Lifecycle.Reader", "Lifecycle.Operator", "Lifecycle.Approver"],
};
export const DEV_TOKENS = {
  "reader-token": { name: "reader@example.com", roles: ["Lifecycle.Reader"] },
  "operator-token": { name: "operator-only@example.com", roles: ["Lifecycle.Operator"] },
  "approver-token": { name: "approver@example.com", roles: ["Lifecycle.Approver"] },
  "no-role-token": { name: "nobody@example.com", roles: [] },
};
/** The settings that sign every request in as DEV_IDENTITY, or as a token's identity. */
export const DEV_AUTH_SETTINGS = {
  LOCAL_DEV_IDENTITY: JSON.stringify(DEV_IDENTITY),
  LOCAL_DEV_TOKENS: JSON.stringify(DEV_TOKENS),
};
