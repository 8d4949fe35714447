import type { PlanStep } from "../lifecycle/plan";

const names = (refs: readonly { name: string }[]) => refs.map((r) => r.name).join(", ");

/** A plan step in words, for custom status, audit and quarantine reasons. */
export function summarizeStep(step: PlanStep): string {
  switch (step.kind) {
    case "CREATE_USER":
      return `create ${step.email} in ${step.division.name}`;
    case "RESTORE_USER":
      return `restore the ${step.fromState} user`;
    case "MOVE_DIVISION":
      return `move from ${step.from.name} to ${step.to.name}`;
    case "UPDATE_USER":
      return `update ${step.changes.map((c) => c.field).join(", ")}`;
    case "GRANT_ROLES":
      return `grant ${step.grants.map((g) => `${g.role.name} in ${g.division.name}`).join(", ")}`;
    case "REVOKE_ROLES":
      return `revoke ${step.grants.map((g) => `${g.role.name} in ${g.division.name}`).join(", ")}`;
    case "LEAVE_QUEUES":
      return `leave ${names(step.queues)}`;
    case "JOIN_QUEUES":
      return `join ${names(step.queues)}`;
    case "SET_SKILLS":
      return `skills: set ${step.set.map((s) => `${s.name} ${s.proficiency}`).join(", ") || "none"}${step.remove.length ? `; remove ${names(step.remove)}` : ""}`;
    case "SET_LANGUAGES":
      return `languages: set ${step.set.map((s) => `${s.name} ${s.proficiency}`).join(", ") || "none"}${step.remove.length ? `; remove ${names(step.remove)}` : ""}`;
    case "INVITE":
      return "send the invitation";
    case "SET_OFF_QUEUE":
      return "presence Offline and OFF_QUEUE";
    case "STOP_ROUTING":
      return "routing status OFF_QUEUE";
    case "DRAIN_INTERACTIONS":
      return `hand over live interactions (${step.transferTo}, then ${step.fallback})`;
    case "SNAPSHOT_PROFILE":
      return "save the assigned profile";
    case "DEACTIVATE_USER":
      return "set the user inactive";
    case "SCHEDULE_DELETE":
      return `delete after ${Math.round(step.afterSeconds / 86_400)} days`;
  }
}
