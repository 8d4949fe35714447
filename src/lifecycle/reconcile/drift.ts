import type { EmployeePlan, PlanStep } from "../plan";

/**
 * The Genesys half of reconciliation, as a pure reading of a plan: the planner already knows what differs
 * between a user and the mapped profile, by the ownership rule (what the mapping owns outright, or what this
 * product assigned last time, may be taken away; what an administrator added by hand otherwise stays). Each
 * step of a converge planned for an employee who had nothing new from HR is drift: something changed in
 * Genesys that nobody asked for through HR.
 */

/** What drifted, in the words of the mapping and the lifecycle. */
export const DRIFT_ATTRIBUTES = [
  "state",
  "identity",
  "division",
  "profile",
  "manager",
  "roles",
  "queues",
  "skills",
  "languages",
] as const;
export type DriftAttribute = (typeof DRIFT_ATTRIBUTES)[number];

export interface DriftItem {
  attribute: DriftAttribute;
  /** `missing`: the profile has it and Genesys does not; `extra`: the other way round; `different`: both, unlike. */
  change: "missing" | "extra" | "different";
  /** Which one, for people: "Agent in Support", "Priority_Support_Queue", "Billing", "title". */
  item?: string;
  /** Its Genesys id, when it has one (a queue, a role, a skill), for the audit lookup. */
  itemId?: string;
  expected?: string;
  found?: string;
}

export type DriftResult =
  | { kind: "COMPARED"; items: DriftItem[] }
  /** The mapped profile could not be worked out (an unmapped title, a name the org lacks): nothing to compare. */
  | { kind: "NOT_COMPARED"; reason: string };

/** Names for what a plan holds as ids only (the user found as a manager). */
export interface DriftNames {
  user(id: string | undefined): string | undefined;
}

/**
 * The drift a plan describes. The plan must be a `change` planned without reactivation for an employee the
 * product manages, from the HR record last applied, against the user the product provisioned.
 */
export function driftOf(plan: EmployeePlan, names: DriftNames): DriftResult {
  switch (plan.kind) {
    case "USER_INACTIVE":
      return {
        kind: "COMPARED",
        items: [{ attribute: "state", change: "different", expected: "active", found: stateIn(plan.reason) }],
      };
    case "IDENTITY_CONFLICT":
      return {
        kind: "COMPARED",
        items: [{ attribute: "identity", change: "different", found: plan.reason }],
      };
    case "PLANNED":
      return { kind: "COMPARED", items: plan.steps.flatMap((step) => itemsOf(step, names)) };
    default:
      return { kind: "NOT_COMPARED", reason: plan.reason };
  }
}

/** The user state a USER_INACTIVE plan names ("… is inactive and …"). */
function stateIn(reason: string): string {
  return /\bis (inactive|deleted)\b/.exec(reason)?.[1] ?? "inactive";
}

function itemsOf(step: PlanStep, names: DriftNames): DriftItem[] {
  switch (step.kind) {
    case "CREATE_USER":
      return [{ attribute: "state", change: "missing", expected: "active", found: "no user" }];
    case "RESTORE_USER":
      return [{ attribute: "state", change: "different", expected: "active", found: step.fromState }];
    case "MOVE_DIVISION":
      return [{ attribute: "division", change: "different", expected: step.to.name, found: step.from.name }];
    case "UPDATE_USER":
      return step.changes.map((c): DriftItem => {
        if (c.field === "manager") {
          return {
            attribute: "manager",
            change: c.from === undefined ? "missing" : "different",
            expected: names.user(c.to) ?? c.to,
            ...(c.from === undefined ? {} : { found: names.user(c.from) ?? c.from }),
          };
        }
        return {
          attribute: c.field === "employeeId" ? "identity" : "profile",
          change: c.from === undefined ? "missing" : "different",
          item: c.field,
          expected: c.to,
          ...(c.from === undefined ? {} : { found: c.from }),
        };
      });
    case "GRANT_ROLES":
    case "REVOKE_ROLES":
      return step.grants.map((g) => ({
        attribute: "roles",
        change: step.kind === "GRANT_ROLES" ? "missing" : "extra",
        item: `${g.role.name} in ${g.division.name}`,
        itemId: `${g.role.id}@${g.division.id}`,
      }));
    case "JOIN_QUEUES":
    case "LEAVE_QUEUES":
      return step.queues.map((q) => ({
        attribute: "queues",
        change: step.kind === "JOIN_QUEUES" ? "missing" : "extra",
        item: q.name,
        itemId: q.id,
      }));
    case "SET_SKILLS":
    case "SET_LANGUAGES": {
      const attribute = step.kind === "SET_SKILLS" ? "skills" : "languages";
      return [
        ...step.set.map((s): DriftItem => ({
          attribute,
          change: s.from === undefined ? "missing" : "different",
          item: s.name,
          itemId: s.id,
          expected: String(s.proficiency),
          ...(s.from === undefined ? {} : { found: String(s.from) }),
        })),
        ...step.remove.map((s): DriftItem => ({ attribute, change: "extra", item: s.name, itemId: s.id })),
      ];
    }
    // The invitation is not drift: a user who never signed in has nothing changed by hand.
    case "INVITE":
      return [];
    default:
      // A converge plan holds no leaver step; one would be a planner bug, reported rather than hidden.
      return [{ attribute: "state", change: "different", item: step.kind }];
  }
}

/** One line per item, as a report or an audit record shows it. */
export function describeDrift(item: DriftItem): string {
  const what = item.item === undefined ? item.attribute : `${item.attribute} ${item.item}`;
  switch (item.change) {
    case "missing":
      return `${what}: missing${item.expected === undefined ? "" : ` (expected ${item.expected})`}`;
    case "extra":
      return `${what}: not in the profile`;
    case "different":
      return `${what}: ${item.found ?? "?"}, expected ${item.expected ?? "?"}`;
  }
}
