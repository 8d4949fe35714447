/**
 * Where a leaver's live interactions go (issue "graceful leaver"): the mapping names a first choice and a
 * fallback; disconnecting is the last resort, or the policy itself. Pure, so every decision and its reason can
 * be audited and replayed.
 */

export type TransferChoice = "manager" | "supervisor" | "queue" | "disconnect";

export interface LeaverTransferPolicy {
  transferTo: TransferChoice;
  fallback: TransferChoice;
}

/** Who could take the interactions; `undefined` means there is no such person or queue. */
export interface TransferCandidates {
  managerUserId?: string;
  supervisorUserId?: string;
  /** The queue the interaction came through, else the leaver's first mapped queue. */
  queueId?: string;
}

export type TransferDecision =
  | { kind: "user"; choice: "manager" | "supervisor"; userId: string; reason: string }
  | { kind: "queue"; queueId: string; reason: string }
  | { kind: "disconnect"; reason: string };

const missing: Record<Exclude<TransferChoice, "disconnect">, string> = {
  manager: "the leaver has no manager with an active Genesys user",
  supervisor: "the profile names no supervisor with an active Genesys user",
  queue: "no queue is known for the interaction",
};

function resolve(choice: TransferChoice, c: TransferCandidates): TransferDecision | string {
  switch (choice) {
    case "manager":
      return c.managerUserId
        ? { kind: "user", choice, userId: c.managerUserId, reason: "" }
        : missing.manager;
    case "supervisor":
      return c.supervisorUserId
        ? { kind: "user", choice, userId: c.supervisorUserId, reason: "" }
        : missing.supervisor;
    case "queue":
      return c.queueId ? { kind: "queue", queueId: c.queueId, reason: "" } : missing.queue;
    case "disconnect":
      return { kind: "disconnect", reason: "" };
  }
}

/**
 * The first workable target in the order policy choice → policy fallback → disconnect, with a reason that says
 * why each earlier option was passed over.
 */
export function chooseTransferTarget(
  policy: LeaverTransferPolicy,
  candidates: TransferCandidates,
): TransferDecision {
  const skipped: string[] = [];
  const order: TransferChoice[] = [policy.transferTo, policy.fallback, "disconnect"];
  for (const [i, choice] of order.entries()) {
    const outcome = resolve(choice, candidates);
    if (typeof outcome === "string") {
      skipped.push(outcome);
      continue;
    }
    const role = i === 0 ? "policy" : choice === "disconnect" && i === 2 ? "last resort" : "fallback";
    const reason = [`${choice} (${role})`, ...skipped.map((s) => `skipped: ${s}`)].join("; ");
    return { ...outcome, reason };
  }
  // Unreachable: "disconnect" always resolves.
  throw new Error("no transfer target");
}
