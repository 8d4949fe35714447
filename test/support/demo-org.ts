import fs from "node:fs";
import path from "node:path";
import { OrgSnapshotSchema, type OrgSnapshot } from "../../src/lifecycle/static-org";

const snapshot = OrgSnapshotSchema.parse(
  JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../local/mappings/demo-org.json"), "utf8")),
);

/** The demo organisation local/mappings/demo.yaml is written for (local/mappings/demo-org.json). */
export function demoOrg(permissions: OrgSnapshot["permissions"] = allPermissions()): OrgSnapshot {
  return { ...structuredClone(snapshot), permissions };
}

export const LIFECYCLE_PERMISSIONS = [
  "directory:user:add",
  "directory:user:edit",
  "authorization:grant:add",
  "authorization:grant:delete",
  "routing:queue:view",
  "routing:queue:edit",
  "routing:skill:assign",
  "routing:language:assign",
];

/** The seeded `lifecycle-local` client: every permission in every division. */
export function allPermissions(): OrgSnapshot["permissions"] {
  return Object.fromEntries(LIFECYCLE_PERMISSIONS.map((p) => [p, "*" as const]));
}

/** The seeded `lifecycle-limited` client: every permission, in Home only. */
export function homeOnlyPermissions(): OrgSnapshot["permissions"] {
  return Object.fromEntries(LIFECYCLE_PERMISSIONS.map((p) => [p, ["Home"]]));
}
