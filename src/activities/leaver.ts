import { checkDeactivationGuard } from "../lifecycle/deactivation-guard";
import type { DeactivationSnapshot } from "../lifecycle/state";
import { auditStep, withAuditContext } from "./audit-context";
import type { ActivityDependencies } from "./dependencies";
import { classifyGenesys } from "./genesys-outcome";
import { createHandOver, type HandOverDependencies } from "./hand-over";
import { loadInboxEvent } from "./inbox-events";
import type {
  DeactivateInput,
  DeactivateResult,
  FinishLeaverInput,
  GuardInput,
  GuardResult,
  HandOverInput,
  HandOverResult,
  LeaverStepInput,
  OffQueueResult,
  PrepareLeaverInput,
  PrepareLeaverResult,
  ReadApprovalInput,
  ReadApprovalResult,
} from "./leaver.contract";

/** The graceful leaver's activities: find, off queue, hand over, guard, deactivate with a snapshot, finish. */
/** What the graceful leaver's activities use. */
export type LeaverDependencies = HandOverDependencies & Pick<ActivityDependencies, "approvals" | "now">;

export function createLeaverActivities(deps: LeaverDependencies) {
  const { genesys, employees, inbox, mappings, audit, approvals, policy } = deps;
  const handOver = createHandOver(deps);
  const now = () => (deps.now ?? (() => new Date()))();

  const loadEvent = (eventKey: string) => loadInboxEvent(inbox, eventKey);

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
        // From here until the leaver ends, no other leaver hands this person work.
        await employees.startLeaver({
          employeeKey,
          userId: user.id,
          eventId: event.eventId,
          startedAt: now().toISOString(),
        });
        const leaver = (await mappings.getActive())?.mapping.defaults.leaver;
        return {
          kind: "FOUND" as const,
          plan: {
            userId: user.id,
            drainDeadlineInMs: policy.drainDeadlineInMs,
            recheckIntervalInMs: policy.recheckIntervalInMs,
            retentionInMs: (leaver?.retentionSeconds ?? 30 * 86_400) * 1000,
            approvalTimeoutInMs: policy.approvalTimeoutInMs,
          },
        };
      });
    },

    takeAgentOffQueue: async (input: LeaverStepInput): Promise<OffQueueResult> => {
      return withAuditContext(context(input), () =>
        classifyGenesys(`employee ${input.employeeKey}: presence Offline and OFF_QUEUE`, async () => {
          const user = await genesys.getUser(input.userId);
          if (user.state !== "active") return { kind: "OFF_QUEUE" as const };
          await genesys.setUserOffline(input.userId);
          await genesys.setRoutingStatus(input.userId, "OFF_QUEUE");
          await auditStep(
            audit,
            "leaver.off-queue",
            "presence Offline and routing status OFF_QUEUE: nothing new is routed",
          );
          return { kind: "OFF_QUEUE" as const };
        }),
      );
    },

    handOverInteractions: async (input: HandOverInput): Promise<HandOverResult> => {
      return withAuditContext(context(input), () =>
        classifyGenesys(`employee ${input.employeeKey}: handing over live interactions`, async () => ({
          kind: "HANDED_OVER" as const,
          ...(await handOver.handOverPass(input)),
        })),
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
            // The last look before the account goes: work that arrived since the drain (during a guard wait,
            // by a direct transfer) is handed over first, never cut off with the account.
            const live = await genesys.getActiveInteractions(input.userId);
            if (live.length > 0) {
              await auditStep(
                audit,
                "leaver.live-work-found",
                `${live.length} live interaction(s) since the drain: handed over before deactivation`,
                { after: live.map((i) => ({ conversationId: i.conversationId, mediaType: i.mediaType })) },
              );
              return { kind: "LIVE_WORK" as const, count: live.length };
            }
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
          const at = (await employees.get(input.employeeKey))?.deactivatedAt ?? now().toISOString();
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

    finishLeaver: async ({ employeeKey }: FinishLeaverInput): Promise<void> => {
      await employees.endLeaver(employeeKey);
    },
  };
}
