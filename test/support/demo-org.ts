import type { OrgSnapshot } from "../../src/lifecycle/static-org";

const ids = (prefix: string, names: string[]) => names.map((name, i) => ({ id: `${prefix}-${i + 1}`, name }));

/** The demo organisation local/mappings/demo.yaml is written for. */
export function demoOrg(permissions: OrgSnapshot["permissions"] = allPermissions()): OrgSnapshot {
  return {
    divisions: [
      { id: "div-home", name: "Home", homeDivision: true },
      { id: "div-support", name: "Support" },
      { id: "div-sales", name: "Sales" },
      { id: "div-emea", name: "EMEA" },
    ],
    roles: ids("role", ["Agent", "Supervisor", "Knowledge Base Editor", "Employee"]),
    queues: [
      { id: "q-priority", name: "Priority_Support_Queue", division: "Support" },
      { id: "q-tier2", name: "Tier_2_Escalation", division: "Support" },
      { id: "q-emea-support", name: "EMEA_Support_Queue", division: "EMEA" },
      { id: "q-sales", name: "Sales_Inbound_Queue", division: "Sales" },
      { id: "q-emea-sales", name: "EMEA_Sales_Queue", division: "EMEA" },
    ],
    skills: ids("skill", ["Network_Troubleshooting", "Product_Knowledge", "Sales_Negotiation"]),
    languages: ids("lang", ["English", "French", "German", "Spanish"]),
    permissions,
  };
}

export const LIFECYCLE_PERMISSIONS = [
  "directory:user:add",
  "directory:user:edit",
  "authorization:grant:add",
  "authorization:grant:delete",
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
