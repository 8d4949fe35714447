import { decideQueue } from "../lifecycle/event-queue";
import type { HrSource } from "../lifecycle/hr-event";
import { auditStep, withAuditContext } from "./audit-context";
import type { ActivityDependencies } from "./dependencies";
import type {
  CompleteEventInput,
  DeleteAfterRetentionInput,
  TakeDueEventsInput,
  TakeDueEventsResult,
} from "./employee-events.contract";

/** The employee's event queue: what is due now, what is done, and the deletion after retention. */
export function createEmployeeEventActivities(deps: ActivityDependencies) {
  const { employees, inbox, quarantine, genesys, audit } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    takeDueEvents: async ({ employeeKey, asOf }: TakeDueEventsInput): Promise<TakeDueEventsResult> => {
      const [pending, record] = await Promise.all([
        employees.pendingEvents(employeeKey),
        employees.get(employeeKey),
      ]);
      const decision = decideQueue(pending, record?.lastAppliedEffectiveDate, new Date(asOf), {
        hireLeadTimeInMs: deps.policy.hireLeadTimeInMs,
      });
      for (const late of decision.superseded) {
        await employees.completeEvent(employeeKey, late.key, {
          kind: "NOTHING_TO_DO",
          summary: `superseded: effective ${late.effectiveDate}, before the already applied ${record?.lastAppliedEffectiveDate}`,
        });
      }
      return {
        due: decision.due.map(({ key, eventId, type, effectiveDate }) => ({
          key,
          eventId,
          type,
          effectiveDate,
        })),
        ...(decision.nextDueAt ? { nextDueAt: decision.nextDueAt } : {}),
        ...(record?.deleteAt && record.genesysUserId
          ? { pendingDeletion: { userId: record.genesysUserId, deleteAt: record.deleteAt } }
          : {}),
      };
    },

    completeEvent: async ({ employeeKey, event, outcome }: CompleteEventInput): Promise<void> => {
      const queued = await employees.getEvent(employeeKey, event.key);
      if (outcome.kind === "QUARANTINED" && queued) {
        // Quarantined, it can be replayed once the cause is fixed; the timeline does not move past it.
        await quarantine.quarantine({
          source: queued.source as HrSource,
          idempotencyKey: queued.idempotencyKey,
          reason: outcome.reason,
          employeeKey,
          now: now(),
        });
        await inbox.update(queued.source as HrSource, queued.idempotencyKey, {
          status: "quarantined",
          reason: outcome.reason,
          now: now(),
        });
      } else {
        await employees.update(employeeKey, {
          lastAppliedEffectiveDate: event.effectiveDate,
          lastAppliedEventId: event.eventId,
        });
      }
      await employees.completeEvent(employeeKey, event.key, outcome);
      await withAuditContext({ employeeKey, eventId: event.eventId }, () =>
        auditStep(
          audit,
          `event.${outcome.kind.toLowerCase()}`,
          "summary" in outcome ? outcome.summary : outcome.reason,
          {
            after: outcome,
          },
        ),
      );
    },

    deleteAfterRetention: async ({ employeeKey, userId }: DeleteAfterRetentionInput): Promise<void> => {
      const record = await employees.get(employeeKey);
      // A rehire since the timer was set cleared deleteAt; then the account stays.
      if (!record?.deleteAt || record.genesysUserId !== userId) return;
      const deleted = await withAuditContext({ employeeKey }, async () => {
        // Never delete an account that still holds live work: the deletion waits a day and looks again.
        const live = await genesys.getActiveInteractions(userId);
        if (live.length > 0) {
          const later = new Date(now().getTime() + 86_400_000).toISOString();
          await employees.update(employeeKey, { deleteAt: later });
          await auditStep(
            audit,
            "leaver.delete-postponed",
            `${live.length} live interaction(s) still with Genesys user ${userId}: deletion postponed to ${later}; ` +
              "hand them over in Genesys Cloud",
          );
          return false;
        }
        await genesys.deleteUser(userId);
        await auditStep(audit, "leaver.deleted", `retention ended: Genesys user ${userId} deleted`);
        return true;
      });
      if (deleted) await employees.update(employeeKey, { deleteAt: null });
    },
  };
}
