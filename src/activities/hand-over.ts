import { isGenesysCloudError, type ActiveInteraction, type User } from "../genesys";
import type { HrEvent } from "../lifecycle/hr-event";
import {
  describeTarget,
  handOverChain,
  whyNotPerson,
  type HandOverCandidates,
  type HandOverTarget,
  type LeaverTransferPolicy,
  type PersonCandidate,
  type QueueCandidate,
} from "../lifecycle/leaver-policy";
import type { MappingProfile } from "../lifecycle/mapping";
import { ProfileMatcher } from "../lifecycle/match";
import { Catalog } from "../lifecycle/org";
import { auditStep } from "./audit-context";
import type { ActivityDependencies } from "./dependencies";
import { loadInboxEvent } from "./inbox-events";

/** Where a leaver's work may go this pass: the policy, who could take it, and names for the audit. */
interface PassContext {
  policy: LeaverTransferPolicy;
  candidates: HandOverCandidates;
  catalog: Catalog;
  /** Each person is looked at once per pass: their name, and why they cannot take work (if they cannot). */
  people: Map<string, { name?: string; why?: string }>;
}

const DEFAULT_POLICY: LeaverTransferPolicy = { transferTo: "manager", fallback: "queue" };

/**
 * One pass of a leaver's hand-over: every live interaction (and scheduled callback the leaver owns) goes down
 * its chain of targets, resolved afresh now, until one takes it. A target refusing with a permanent error
 * (4xx) is passed over at once for the next; a transient error is thrown so the whole pass is retried (it
 * re-reads what is still live, so nothing moves twice). Each interaction's story goes into the audit.
 */
/** What the hand-over uses. */
export type HandOverDependencies = Pick<
  ActivityDependencies,
  "genesys" | "employees" | "inbox" | "mappings" | "org" | "audit" | "policy" | "state"
>;

export function createHandOver(deps: HandOverDependencies) {
  const { genesys, employees, inbox, mappings, org, audit, policy } = deps;

  /** The leaver's HR event: by its queue key, else (an input from before the key was passed) by id. */
  async function leaverEvent(employeeKey: string, eventId: string, eventKey?: string) {
    const key =
      eventKey ?? (await employees.pendingEvents(employeeKey)).find((e) => e.eventId === eventId)?.key;
    return key === undefined ? undefined : loadInboxEvent(inbox, key);
  }

  /** Who could take the leaver's work now, with the reason for every choice that has nobody. */
  async function passContext(event: HrEvent | undefined, leaver: User): Promise<PassContext> {
    const loaded = await mappings.getActive();
    const catalog = await Catalog.load(org);
    const match = loaded && event ? new ProfileMatcher(loaded.mapping).match(event.worker) : undefined;
    const profile = match?.kind === "MATCHED" ? match.profile : undefined;
    const noProfile = !loaded
      ? "no mapping is loaded"
      : !event
        ? "the HR event is not in the inbox"
        : `the title "${event.worker.title}" matches no profile in the mapping`;
    const managers = await managersOf(event, leaver);
    const supervisor = await supervisorOf(profile ?? noProfile);
    const queues = queuesOf(catalog, loaded?.mapping.defaults.leaver.queue, profile ?? noProfile);
    const leaverPolicy = loaded?.mapping.defaults.leaver;
    return {
      policy: leaverPolicy
        ? { transferTo: leaverPolicy.transferTo, fallback: leaverPolicy.fallback }
        : DEFAULT_POLICY,
      candidates: {
        managers: managers.found,
        ...(supervisor.found ? { supervisor: supervisor.found } : {}),
        queues: queues.found,
        missing: { manager: managers.missing, supervisor: supervisor.missing, queue: queues.missing },
      },
      catalog,
      people: new Map(),
    };
  }

  /** HR's manager's Genesys user, then the manager set on the leaver's Genesys user. */
  async function managersOf(event: HrEvent | undefined, leaver: User) {
    const found: PersonCandidate[] = [];
    const named = event?.worker.managerEmployeeId ?? event?.worker.managerEmail;
    const hrManager =
      event && named ? (await deps.state.lookUp([event.worker])).managers.get(event.worker.employeeId) : null;
    if (hrManager) found.push({ userId: hrManager.id, name: hrManager.name, source: "HR's manager" });
    const onRecord = leaver.manager?.id;
    if (onRecord && onRecord !== hrManager?.id)
      found.push({ userId: onRecord, source: "manager on the leaver's Genesys user" });
    const missing =
      (named ? `HR's manager ${named} has no active Genesys user` : "HR names no manager") +
      " and none is set on the leaver's Genesys user";
    return { found, missing };
  }

  /** The profile's supervisor, by email; without a profile (a string saying why), none. */
  async function supervisorOf(profile: MappingProfile | string) {
    if (typeof profile === "string") return { missing: profile };
    const email = profile.supervisor;
    if (email === undefined) return { missing: "the profile names no supervisor" };
    const [user] = await genesys.findUsersByEmail([email], { states: ["active"] });
    return user
      ? { found: { userId: user.id, name: user.name, source: "the profile's supervisor" } }
      : { missing: `the profile's supervisor ${email} has no active Genesys user` };
  }

  /** The mapping's leaver queue, then the first queue of the leaver's profile. */
  function queuesOf(catalog: Catalog, leaverQueue: string | undefined, profile: MappingProfile | string) {
    const found: QueueCandidate[] = [];
    const missing: string[] = [];
    const named = leaverQueue === undefined ? undefined : catalog.find("queue", leaverQueue);
    if (named) found.push({ queueId: named.id, name: named.name, source: "the mapping's leaver queue" });
    else
      missing.push(
        leaverQueue === undefined
          ? "the mapping names no leaver queue"
          : `the mapping's leaver queue "${leaverQueue}" does not exist`,
      );
    const firstMapped = typeof profile === "string" ? undefined : profile.queues[0];
    const mapped = firstMapped === undefined ? undefined : catalog.find("queue", firstMapped);
    if (mapped)
      found.push({ queueId: mapped.id, name: mapped.name, source: "the leaver's first mapped queue" });
    else missing.push(typeof profile === "string" ? profile : "the profile maps no queue that exists");
    return { found, missing: missing.join(" and ") };
  }

  /** Whether a person can take work right now: active, not leaving, and (unless allowed) not Offline. */
  async function lookAt(ctx: PassContext, userId: string, leaverId: string) {
    const known = ctx.people.get(userId);
    if (known) return known;
    let user: User | undefined;
    try {
      user = await genesys.getUser(userId, { expand: ["presence"] });
    } catch (error) {
      if (!(isGenesysCloudError(error) && error.isNotFound)) throw error;
    }
    const why = whyNotPerson(
      {
        state: user?.state ?? "unknown",
        systemPresence: user?.presence?.presenceDefinition?.systemPresence,
        leaving: (await employees.leaverInProgress(userId)) !== undefined,
        isLeaver: userId === leaverId,
      },
      { allowOffline: policy.allowOfflineTargets },
    );
    const seen = { ...(user?.name ? { name: user.name } : {}), ...(why ? { why } : {}) };
    ctx.people.set(userId, seen);
    return seen;
  }

  /** Moves the interaction to the target; throws what Genesys answered. */
  async function apply(interaction: ActiveInteraction, target: HandOverTarget): Promise<string> {
    switch (target.kind) {
      case "person":
        if (interaction.scheduledCallback) {
          await genesys.reassignScheduledCallback(interaction, { agentId: target.userId });
          return "reassigned";
        }
        await genesys.transferInteraction(interaction, { userId: target.userId });
        return "transferred";
      case "queue":
        await genesys.transferInteraction(interaction, { queueId: target.queueId });
        return "transferred";
      case "disconnect":
        await genesys.disconnectInteraction(interaction);
        return "disconnected";
    }
  }

  /** One interaction down its chain; true once someone took it (or, at the deadline, it was disconnected). */
  async function handOverOne(
    ctx: PassContext,
    leaverId: string,
    interaction: ActiveInteraction,
    deadlinePassed: boolean,
  ): Promise<boolean> {
    const queue = interaction.queueId
      ? {
          queueId: interaction.queueId,
          name: ctx.catalog.describe("queue", interaction.queueId).name,
          source: "the interaction's queue",
        }
      : undefined;
    const what = interaction.scheduledCallback
      ? `scheduled callback ${interaction.conversationId}` +
        (interaction.scheduledCallback.scheduledTime
          ? ` due ${interaction.scheduledCallback.scheduledTime}`
          : "") +
        (queue ? ` (waiting in ${queue.name})` : "")
      : `${interaction.mediaType} ${interaction.conversationId}` +
        (queue ? ` (came in through ${queue.name})` : "");
    const chain = handOverChain(
      ctx.policy,
      ctx.candidates,
      { ...(queue ? { queue } : {}), scheduledCallback: interaction.scheduledCallback !== undefined },
      deadlinePassed,
    );
    const story: string[] = [];
    for (const step of chain) {
      if ("skipped" in step) {
        story.push(`${step.skipped} skipped: ${step.reason}`);
        continue;
      }
      let target = step.target;
      if (target.kind === "person") {
        const person = await lookAt(ctx, target.userId, leaverId);
        target = { ...target, ...(person.name ? { name: person.name } : {}) };
        if (person.why) {
          story.push(`${describeTarget(target)} skipped: ${person.why}`);
          continue;
        }
      }
      let done: string;
      try {
        done = await apply(interaction, target);
      } catch (error) {
        // A target that refuses for good (4xx: deactivated since it was chosen, no such queue…) is passed over
        // at once; anything transient is thrown so the pass is retried.
        if (!isGenesysCloudError(error) || error.isTransient || error.isRateLimited) throw error;
        story.push(`${describeTarget(target)} refused: ${error.message}`);
        continue;
      }
      story.push(`${describeTarget(target)}: ${done}`);
      await auditStep(
        audit,
        target.kind === "disconnect" ? "leaver.disconnected" : "leaver.transferred",
        `${what}: ${story.join("; ")}`,
        { after: { conversationId: interaction.conversationId, to: target, story } },
      );
      return true;
    }
    await auditStep(
      audit,
      "leaver.hand-over-failed",
      `${what}: ${story.join("; ")}; ` +
        (deadlinePassed
          ? "nothing left to try"
          : "kept with the leaver for now, looked at again at the next re-check"),
      { after: { conversationId: interaction.conversationId, story } },
    );
    return false;
  }

  return {
    /** A pass over everything the leaver still holds or owns; counts what is left. */
    async handOverPass(input: {
      employeeKey: string;
      eventId: string;
      eventKey?: string;
      userId: string;
      deadlinePassed: boolean;
    }): Promise<{ handled: number; remaining: number }> {
      const live = await genesys.getActiveInteractions(input.userId);
      if (live.length === 0) return { handled: 0, remaining: 0 };
      const leaver = await genesys.getUser(input.userId);
      const event = await leaverEvent(input.employeeKey, input.eventId, input.eventKey);
      const ctx = await passContext(event, leaver);
      let handled = 0;
      for (const interaction of live)
        if (await handOverOne(ctx, input.userId, interaction, input.deadlinePassed)) handled++;
      return { handled, remaining: live.length - handled };
    },
  };
}
