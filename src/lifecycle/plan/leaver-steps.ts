import type { LeaverPolicy, TransferTarget } from "../mapping";
import type { Catalog } from "../org";
import type { ResolvedProfile } from "../profile";
import type { EmployeeState } from "../state";
import type { PlanStep, TransferTargetRef } from "./step";

/**
 * Terminate and leave of absence: off queue, hand over live work, snapshot, leave queues, deactivate; a
 * termination also schedules the deletion. `desired` is the title's profile when it has one; without, the
 * mapping's leaver defaults decide.
 */
export function planLeaver(
  catalog: Catalog,
  policy: LeaverPolicy,
  type: "terminate" | "leave_start",
  desired: ResolvedProfile | undefined,
  employee: EmployeeState,
): { steps: PlanStep[]; notes: string[] } {
  const { user } = employee;
  if (user === null) return { steps: [], notes: ["no Genesys user exists for this employee: nothing to do"] };
  if (user.state === "deleted") return { steps: [], notes: ["the Genesys user is already deleted"] };
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  if (user.state === "active") {
    steps.push({ kind: "SET_OFF_QUEUE" });
    const targetOf = (kind: TransferTarget) => transferTarget(catalog, policy, kind, desired, employee);
    const target = targetOf(policy.transferTo) ?? targetOf(policy.fallback);
    if (target === undefined && policy.fallback !== "disconnect" && policy.transferTo !== "disconnect") {
      notes.push(
        `neither ${policy.transferTo} nor ${policy.fallback} is known now: live interactions go to the queue ` +
          "they came through, else stay and are re-checked until the deadline, and only then are disconnected",
      );
    }
    steps.push({
      kind: "DRAIN_INTERACTIONS",
      transferTo: policy.transferTo,
      fallback: policy.fallback,
      target,
    });
    steps.push({ kind: "SNAPSHOT_PROFILE" });
    if (user.queueIds.length > 0) {
      steps.push({
        kind: "LEAVE_QUEUES",
        queues: user.queueIds.map((id) => catalog.describe("queue", id)),
      });
    }
    steps.push({ kind: "DEACTIVATE_USER" });
  } else {
    notes.push("the Genesys user is already inactive");
  }
  if (type === "terminate") steps.push({ kind: "SCHEDULE_DELETE", afterSeconds: policy.retentionSeconds });
  return { steps, notes };
}

/** Who the policy's choice names, as far as the plan knows now; undefined when nobody (or "disconnect"). */
function transferTarget(
  catalog: Catalog,
  policy: LeaverPolicy,
  kind: TransferTarget,
  desired: ResolvedProfile | undefined,
  employee: EmployeeState,
): TransferTargetRef | undefined {
  switch (kind) {
    case "manager":
      return employee.manager === null ? undefined : { kind, user: employee.manager };
    case "supervisor":
      return desired?.supervisor === undefined ? undefined : { kind, email: desired.supervisor };
    case "queue": {
      const queue = policy.queue === undefined ? desired?.queues[0] : catalog.find("queue", policy.queue);
      return queue === undefined ? undefined : { kind, queue };
    }
    case "disconnect":
      return undefined;
  }
}
