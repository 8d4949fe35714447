/**
 * Where a leaver's live interactions go. The mapping names a first choice and a fallback (manager, supervisor,
 * queue or disconnect); who that is gets resolved afresh at every re-check, because people leave, go Offline
 * and get deactivated while a leaver drains. Before the deadline nothing is ever disconnected; at the deadline
 * the chain ends in a disconnect as the last resort. Pure, so every decision and its reason can be audited and
 * tested on its own.
 */

export type TransferChoice = "manager" | "supervisor" | "queue" | "disconnect";

export interface LeaverTransferPolicy {
  transferTo: TransferChoice;
  fallback: TransferChoice;
}

/** A person who could take the work, and where the product found them (for the audit). */
export interface PersonCandidate {
  userId: string;
  name?: string;
  /** e.g. "HR's manager", "manager on the leaver's Genesys user", "the profile's supervisor". */
  source: string;
}

export interface QueueCandidate {
  queueId: string;
  name?: string;
  /** "the interaction's queue", "the mapping's leaver queue" or "the leaver's first mapped queue". */
  source: string;
}

/** Who could take a leaver's work this pass, before looking at any one interaction. */
export interface HandOverCandidates {
  /** HR's manager's Genesys user, then the manager set on the leaver's Genesys user (each at most once). */
  managers: readonly PersonCandidate[];
  supervisor?: PersonCandidate;
  /** The mapping's leaver queue, then the leaver's first mapped queue (each at most once). */
  queues: readonly QueueCandidate[];
  /** Why a choice has no candidate at all, in words for the audit. */
  missing: { manager?: string; supervisor?: string; queue?: string };
}

/** What one interaction adds: the queue it came through, and whether it is a callback not yet placed. */
export interface InteractionFacts {
  queue?: QueueCandidate;
  /** A scheduled callback is reassigned to a person: the callback API takes an agent, not a queue. */
  scheduledCallback: boolean;
}

export type HandOverTarget =
  | ({ kind: "person"; choice: "manager" | "supervisor" } & PersonCandidate)
  | ({ kind: "queue" } & QueueCandidate)
  | { kind: "disconnect"; lastResort: boolean };

/** One step of an interaction's chain: a target to try, or a choice passed over and why. */
export type HandOverStep = { target: HandOverTarget } | { skipped: TransferChoice; reason: string };

/**
 * The chain for one interaction, in the policy's order, each choice expanded to its candidates.
 *
 * Before the deadline a `disconnect` ends the chain without being tried ("waits for the deadline"): work that
 * no one can take now stays where it is and is looked at again at the next re-check. At the deadline the
 * chain ends in a disconnect: the policy's own, or else one added as the last resort.
 */
export function handOverChain(
  policy: LeaverTransferPolicy,
  candidates: HandOverCandidates,
  interaction: InteractionFacts,
  deadlinePassed: boolean,
): HandOverStep[] {
  const steps: HandOverStep[] = [];
  const choices = [...new Set([policy.transferTo, policy.fallback])];
  for (const choice of choices) {
    if (choice === "disconnect") {
      if (!deadlinePassed) {
        steps.push({ skipped: choice, reason: "disconnecting waits for the deadline" });
        return steps;
      }
      steps.push({ target: { kind: "disconnect", lastResort: false } });
      return steps;
    }
    steps.push(...stepsFor(choice, candidates, interaction));
  }
  if (deadlinePassed) steps.push({ target: { kind: "disconnect", lastResort: true } });
  return steps;
}

function stepsFor(
  choice: Exclude<TransferChoice, "disconnect">,
  candidates: HandOverCandidates,
  interaction: InteractionFacts,
): HandOverStep[] {
  switch (choice) {
    case "manager":
      return candidates.managers.length > 0
        ? candidates.managers.map((m) => ({ target: { kind: "person", choice, ...m } }))
        : [{ skipped: choice, reason: candidates.missing.manager ?? "no manager is known" }];
    case "supervisor":
      return candidates.supervisor
        ? [{ target: { kind: "person", choice, ...candidates.supervisor } }]
        : [{ skipped: choice, reason: candidates.missing.supervisor ?? "no supervisor is known" }];
    case "queue": {
      if (interaction.scheduledCallback)
        return [{ skipped: choice, reason: "a scheduled callback is reassigned to a person, not a queue" }];
      const queues = [...(interaction.queue ? [interaction.queue] : []), ...candidates.queues].filter(
        (q, i, all) => all.findIndex((other) => other.queueId === q.queueId) === i,
      );
      if (queues.length > 0) return queues.map((q) => ({ target: { kind: "queue", ...q } }));
      const why = ["the interaction came through no queue", candidates.missing.queue].filter(Boolean);
      return [{ skipped: choice, reason: why.join(", ") }];
    }
  }
}

/** What is known of a person at the moment they might be handed work. */
export interface PersonFacts {
  state: "active" | "inactive" | "deleted" | "unknown";
  /** The Genesys presence (`systemPresence`), when known. */
  systemPresence?: string;
  /** This product runs a leaver for them. */
  leaving: boolean;
  /** The person is the leaver themselves (e.g. their own manager on record). */
  isLeaver: boolean;
}

/** Why this person cannot take the work now, or undefined when they can. */
export function whyNotPerson(facts: PersonFacts, options: { allowOffline: boolean }): string | undefined {
  if (facts.isLeaver) return "is the leaver";
  if (facts.state === "unknown") return "has no Genesys user";
  if (facts.state !== "active") return `is ${facts.state}`;
  if (facts.leaving) return "is a leaver in progress";
  if (!options.allowOffline && facts.systemPresence === "Offline") return "is Offline";
  return undefined;
}

/** A target in words for the audit: "manager Sam Lead (HR's manager)", "queue Billing (the interaction's queue)". */
export function describeTarget(target: HandOverTarget): string {
  switch (target.kind) {
    case "person":
      return `${target.choice} ${target.name ?? target.userId} (${target.source})`;
    case "queue":
      return `queue ${target.name ?? target.queueId} (${target.source})`;
    case "disconnect":
      return target.lastResort ? "disconnect (last resort)" : "disconnect (the policy)";
  }
}
