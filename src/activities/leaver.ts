import type { ActiveInteraction } from "../genesys";
import { checkDeactivationGuard } from "../lifecycle/deactivation-guard";
import type { HrEvent } from "../lifecycle/hr-event";
import { chooseTransferTarget, type TransferCandidates } from "../lifecycle/leaver-policy";
import { ProfileMatcher } from "../lifecycle/match";
import { Catalog } from "../lifecycle/org";
import type { DeactivationSnapshot } from "../lifecycle/state";
import { auditStep, withAuditContext } from "./audit-context";
import type { ActivityDependencies } from "./dependencies";
import { classifyGenesys } from "./genesys-outcome";
import { loadInboxEvent } from "./inbox-events";
import type {
  DeactivateInput,
  DeactivateResult,
  GuardInput,
  GuardResult,
  HandOverInput,
  HandOverResult,
  LeaverStepInput,
  PrepareLeaverInput,
  PrepareLeaverResult,
  ReadApprovalInput,
  ReadApprovalResult,
} from "./leaver.contract";

/** The graceful leaver's activities: find, off queue, hand over, guard, deactivate with a snapshot. */
export function createLeaverActivities(deps: ActivityDependencies) {
  const { genesys, employees, inbox, mappings, org, audit, approvals, policy } = deps;

  const loadEvent = (eventKey: string) => loadInboxEvent(inbox, eventKey);

  /** Manager, profile supervisor and fallback queue as Genesys ids; a missing one is simply absent. */
  async function transferCandidates(event: HrEvent): Promise<TransferCandidates> {
    const candidates: TransferCandidates = {};
    const managers = await deps.state.read([event.worker]);
    const manager = managers.get(event.worker.employeeId)?.manager;
    if (manager) candidates.managerUserId = manager.id;
    const loaded = await mappings.getActive();
    if (!loaded) return candidates;
    const match = new ProfileMatcher(loaded.mapping).match(event.worker);
    const profile = match.kind === "MATCHED" ? match.profile : undefined;
    if (profile?.supervisor) {
      const [supervisor] = await genesys.findUsersByEmail([profile.supervisor], { states: ["active"] });
      if (supervisor) candidates.supervisorUserId = supervisor.id;
    }
    const queueName = loaded.mapping.defaults.leaver.queue ?? profile?.queues[0];
    if (queueName) {
      const queue = (await Catalog.load(org)).find("queue", queueName);
      if (queue) candidates.queueId = queue.id;
    }
    return candidates;
  }

  const context = (input: LeaverStepInput) => ({ employeeKey: input.employeeKey, eventId: input.eventId });

  return {
    prepareLeaver: async ({ employeeKey, eventKey }: PrepareLeaverInput): Promise<PrepareLeaverResult> => {
      const event = await loadEvent(eventKey);
      if (!event)
        return { kind: "FAILED", reason: `event ${eventKey} of employee ${employeeKey} is not in the inbox` };
      return classifyGenesys(`employee ${employeeKey}: finding the leaver in Genesys`, async () => {
        const user = (await deps.state.findUsers([event.worker])).get(event.worker.employeeId);
        if (!user || user.state === "deleted") {
          const summary = user
            ? `the Genesys user of employee ${employeeKey} is already deleted`
            : `employee ${employeeKey} has no Genesys user (searched by employee id, then email): recorded, nothing to do`;
          await withAuditContext({ employeeKey, eventId: event.eventId }, () =>
            auditStep(audit, "leaver.no-user", summary),
          );
          return { kind: "NO_USER" as const, summary };
        }
        const loaded = await mappings.getActive();
        const leaver = loaded?.mapping.defaults.leaver;
        return {
          kind: "FOUND" as const,
          plan: {
            userId: user.id,
            policy: { transferTo: leaver?.transferTo ?? "manager", fallback: leaver?.fallback ?? "queue" },
            candidates: await transferCandidates(event),
            drainDeadlineInMs: policy.drainDeadlineInMs,
            recheckIntervalInMs: policy.recheckIntervalInMs,
            retentionInMs: (leaver?.retentionSeconds ?? 30 * 86_400) * 1000,
            approvalTimeoutInMs: policy.approvalTimeoutInMs,
          },
        };
      });
    },

    takeAgentOffQueue: async (input: LeaverStepInput): Promise<DeactivateResult> => {
      return withAuditContext(context(input), () =>
        classifyGenesys(`employee ${input.employeeKey}: presence Offline and OFF_QUEUE`, async () => {
          const user = await genesys.getUser(input.userId);
          if (user.state !== "active") return { kind: "DEACTIVATED" as const };
          await genesys.setUserOffline(input.userId);
          await genesys.setRoutingStatus(input.userId, "OFF_QUEUE");
          await auditStep(
            audit,
            "leaver.off-queue",
            "presence Offline and routing status OFF_QUEUE: nothing new is routed",
          );
          return { kind: "DEACTIVATED" as const };
        }),
      );
    },

    handOverInteractions: async (input: HandOverInput): Promise<HandOverResult> => {
      return withAuditContext(context(input), () =>
        classifyGenesys(`employee ${input.employeeKey}: handing over live interactions`, async () => {
          const live = await genesys.getActiveInteractions(input.userId);
          // Past the deadline the fallback is what applies, down to disconnecting.
          const choice = input.deadlinePassed
            ? { transferTo: input.policy.fallback, fallback: "disconnect" as const }
            : input.policy;
          let handled = 0;
          for (const interaction of live) {
            if (
              await handOver(
                interaction,
                chooseTransferTarget(choice, input.candidates),
                input.deadlinePassed,
              )
            )
              handled++;
          }
          return { kind: "HANDED_OVER" as const, handled, remaining: live.length - handled };
        }),
      );
    },

    checkDeactivationGuard: async (input: GuardInput): Promise<GuardResult> => {
      const asOf = new Date(input.asOf);
      const since = new Date(asOf.getTime() - policy.guard.windowInMs).toISOString();
      const decision = checkDeactivationGuard(policy.guard, {
        recentDeactivations: await employees.deactivationsSince(since, input.employeeKey),
        managedUserCount: await employees.countManaged(),
        now: asOf,
      });
      if (!decision.approvalRequired) return { kind: "PROCEED" };
      const approval = await approvals.request({
        employeeKey: input.employeeKey,
        eventId: input.eventId,
        instanceId: input.instanceId,
        reason: decision.reason,
        requestedAt: input.asOf,
      });
      if (approval.status === "approved") return { kind: "PROCEED" };
      await withAuditContext(context(input), () =>
        auditStep(
          audit,
          "leaver.paused",
          `${decision.reason}: waiting for an operator (approval ${approval.id})`,
        ),
      );
      return { kind: "APPROVAL_REQUIRED", approvalId: approval.id, reason: decision.reason };
    },

    /** The approval as the table holds it: the only source of a decision (and of who made it). */
    readApprovalDecision: async ({ approvalId }: ReadApprovalInput): Promise<ReadApprovalResult> => {
      const approval = await approvals.get(approvalId);
      if (!approval || approval.status === "pending") return { kind: "PENDING" };
      return {
        kind: "DECIDED",
        approved: approval.status === "approved",
        by: approval.decidedBy ?? "unknown",
        ...(approval.comment ? { comment: approval.comment } : {}),
      };
    },

    deactivateLeaver: async (input: DeactivateInput): Promise<DeactivateResult> => {
      return withAuditContext(context(input), () =>
        classifyGenesys(`employee ${input.employeeKey}: deactivation`, async () => {
          const found = await genesys.getUser(input.userId);
          if (found.state === "active") {
            // Inactive users lose their roles: this snapshot is the only memory a return can restore from.
            const profile = await deps.state.describe(found);
            const snapshot: DeactivationSnapshot = {
              divisionId: profile.divisionId,
              grants: profile.grants,
              queueIds: profile.queueIds,
              skills: profile.skills,
              languages: profile.languages,
            };
            await employees.update(input.employeeKey, { snapshot: JSON.stringify(snapshot) });
            await auditStep(audit, "leaver.snapshot", "profile saved for a rehire or return", {
              before: snapshot,
            });
            for (const queueId of profile.queueIds) await genesys.removeQueueMembers(queueId, [input.userId]);
            await genesys.revokeUserTokens(input.userId);
            const current = await genesys.getUser(input.userId);
            await genesys.setUserState(input.userId, "inactive", current.version, { before: current });
          }
          // A re-run keeps the first deactivation time, so the guard never counts one leaver twice.
          const at =
            (await employees.get(input.employeeKey))?.deactivatedAt ??
            (deps.now ?? (() => new Date()))().toISOString();
          await employees.update(input.employeeKey, {
            genesysUserId: input.userId,
            deactivatedAt: at,
            deleteAt: input.deleteAt ?? null,
          });
          await employees.logDeactivation(input.employeeKey, at);
          await auditStep(
            audit,
            "leaver.deactivated",
            input.deleteAt
              ? `inactive; to be deleted at ${input.deleteAt} unless rehired`
              : "inactive for the leave of absence",
          );
          return { kind: "DEACTIVATED" as const };
        }),
      );
    },
  };

  /** Transfers or disconnects one interaction; false when it could not be handed over this time. */
  async function handOver(
    interaction: ActiveInteraction,
    decision: ReturnType<typeof chooseTransferTarget>,
    deadlinePassed: boolean,
  ): Promise<boolean> {
    const what = `${interaction.mediaType} ${interaction.conversationId}`;
    try {
      if (decision.kind === "disconnect") await genesys.disconnectInteraction(interaction);
      else
        await genesys.transferInteraction(
          interaction,
          decision.kind === "user" ? { userId: decision.userId } : { queueId: decision.queueId },
        );
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      if (!deadlinePassed) {
        await auditStep(audit, "leaver.hand-over-failed", `${what}: ${why}; re-checking`);
        return false;
      }
      if (decision.kind === "disconnect") throw error;
      // Past the deadline and the fallback failed too: disconnecting is the last resort, and it is recorded.
      await genesys.disconnectInteraction(interaction);
      await auditStep(
        audit,
        "leaver.disconnected",
        `${what} disconnected (last resort): ${decision.reason} failed: ${why}`,
      );
      return true;
    }
    const to =
      decision.kind === "user"
        ? `${decision.choice} ${decision.userId}`
        : decision.kind === "queue"
          ? `queue ${decision.queueId}`
          : "";
    await auditStep(
      audit,
      decision.kind === "disconnect" ? "leaver.disconnected" : "leaver.transferred",
      decision.kind === "disconnect"
        ? `${what} disconnected: ${decision.reason}`
        : `${what} transferred to ${to}: ${decision.reason}`,
    );
    return true;
  }
}
