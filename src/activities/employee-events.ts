import { decideQueue } from "../lifecycle/event-queue";
import type { HrSource } from "../lifecycle/hr-event";
import { appliedEventsOf, lifecycleStateOf } from "../storage/employees";
import { auditStep, withAuditContext } from "./audit-context";
import type { ActivityDependencies } from "./dependencies";
import {
  superseded,
  type BeginEventInput,
  type CompleteEventInput,
  type DeleteAfterRetentionInput,
  type DueEvent,
  type TakeDueEventsInput,
  type TakeDueEventsResult,
} from "./employee-events.contract";
import { createEventRecorder, EVENT_WAITING } from "./event-outcomes";

const dueEvent = ({ key, eventId, type, effectiveDate }: DueEvent): DueEvent => ({
  key,
  eventId,
  type,
  effectiveDate,
});

/** The employee's event queue: what is due now, each event's outcome, and the deletion after retention. */
export function createEmployeeEventActivities(
  deps: Pick<
    ActivityDependencies,
    "employees" | "inbox" | "quarantine" | "genesys" | "audit" | "batches" | "policy" | "now"
  >,
) {
  const { employees, genesys, audit } = deps;
  const now = deps.now ?? (() => new Date());
  const complete = createEventRecorder(deps);

  return {
    /**
     * Decides what is due. A late event an applied one makes moot ends here as superseded; a waiting event is
     * announced once with the time it waits for (the wake-up writes its next record).
     */
    takeDueEvents: async ({ employeeKey, asOf }: TakeDueEventsInput): Promise<TakeDueEventsResult> => {
      const [{ events: pending, awaitingHr }, record] = await Promise.all([
        employees.pendingQueue(employeeKey),
        employees.get(employeeKey),
      ]);
      const decision = decideQueue(
        pending,
        appliedEventsOf(record),
        new Date(asOf),
        { hireLeadTimeInMs: deps.policy.hireLeadTimeInMs },
        lifecycleStateOf(record),
      );
      for (const { event, by } of decision.superseded) {
        await complete({ employeeKey, event: dueEvent(event), outcome: superseded(by) });
      }
      for (const { event, until, behind } of decision.waiting) {
        if (event.waitingUntil === until) continue;
        await audit.record(`waiting|${event.key}|${until}`, {
          employeeKey,
          at: now().toISOString(),
          eventId: event.eventId,
          operation: EVENT_WAITING,
          summary:
            `${event.type} effective ${event.effectiveDate}: waiting until ${until}` +
            (behind ? `, behind ${behind.eventId} (${behind.type} effective ${behind.effectiveDate})` : ""),
          after: { until, ...(behind ? { behind: behind.eventId } : {}) },
        });
        await employees.markWaiting(employeeKey, event.key, until);
      }
      return {
        ...(awaitingHr.length > 0
          ? {
              awaitingHr: {
                items: awaitingHr
                  .map(({ source, idempotencyKey, receivedAt }) => ({
                    source: source as HrSource,
                    idempotencyKey,
                    receivedAt,
                  }))
                  .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)),
                retry: deps.policy.hrRetry,
              },
            }
          : {}),
        state: lifecycleStateOf(record),
        applied: appliedEventsOf(record),
        due: decision.due.map(dueEvent),
        ...(decision.nextDueAt ? { nextDueAt: decision.nextDueAt } : {}),
        ...(record?.deleteAt && record.genesysUserId
          ? { pendingDeletion: { userId: record.genesysUserId, deleteAt: record.deleteAt } }
          : {}),
      };
    },

    beginEvent: async ({ employeeKey, state }: BeginEventInput): Promise<void> => {
      await employees.update(employeeKey, { lifecycleState: state });
    },

    completeEvent: async (input: CompleteEventInput): Promise<void> => complete(input),

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
      if (deleted) await employees.update(employeeKey, { deleteAt: null, lifecycleState: "deleted" });
    },
  };
}
