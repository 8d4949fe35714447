import { isGenesysCloudError, type AuthzGrant } from "../genesys";
import type { HrEvent } from "../lifecycle/hr-event";
import { ALL_DIVISIONS } from "../lifecycle/mapping";
import { Catalog } from "../lifecycle/org";
import { mappedProfile } from "../lifecycle/profile";
import { batchRowIndex, type InboxItem } from "../storage/inbox";
import { auditStep, withAuditContext } from "./audit-context";
import type { createConvergeActivities } from "./converge";
import type { ActivityDependencies } from "./dependencies";
import { stateOfOutcome, type EventOutcome } from "./employee-events.contract";
import { classifyGenesys } from "./genesys-outcome";
import type { RateLimited } from "./results";
import { eventKeyOf } from "./inbox-events";
import type {
  BatchHire,
  BatchSliceInput,
  CompleteBatchInput,
  FinishBatchSliceResult,
  JoinBatchQueuesResult,
  LookUpBatchSliceResult,
  RecordBatchOutcomesInput,
  SettledHire,
} from "./onboarding.contract";

/**
 * Reads a listing (a queue's members, a division's grants) to confirm what a batch just wrote: `expected` maps
 * each user to the things it should show for them. Returns the users not confirmed. Reading stops once all is
 * seen, or after `maxItems`: never more calls than the per-user reads it replaces (past that, the rest count as
 * not confirmed and are read one by one). The check only saves calls, so a listing Genesys refuses (a 403)
 * leaves everyone to be read one by one rather than failing the batch; rate limits and transient faults still
 * go back to the orchestrator.
 */
export async function unconfirmedUsers<T>(
  listing: AsyncIterable<T>,
  expected: ReadonlyMap<string, ReadonlySet<string>>,
  seen: (item: T) => [userId: string | undefined, thing: string],
  maxItems: number,
): Promise<string[]> {
  const missing = new Map([...expected].map(([user, things]) => [user, new Set(things)]));
  let listed = 0;
  try {
    for await (const item of listing) {
      const [user, thing] = seen(item);
      const things = user === undefined ? undefined : missing.get(user);
      if (things?.delete(thing) && things.size === 0) missing.delete(user!);
      if (missing.size === 0 || ++listed >= maxItems) break;
    }
  } catch (error) {
    if (!isGenesysCloudError(error) || error.isRateLimited || error.isTransient) throw error;
    return [...expected.keys()];
  }
  return [...missing.keys()];
}

/** Bulk onboarding's activities: read a slice, record outcomes, join queues in bulk, verify and invite. */
export function createOnboardingActivities(
  deps: ActivityDependencies,
  converge: ReturnType<typeof createConvergeActivities>,
) {
  const { inbox, batches, genesys, mappings, org, audit, state } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * The batch's rows by position (a hire's row in every report): a slice reads only its own key range, so a
   * batch's work grows with its rows, not with their square.
   */
  async function rowsOf(batchId: string, range?: { from: number; to: number }) {
    const items = await inbox.listBatch(batchId, range);
    return new Map<number, InboxItem>(items.map((item) => [batchRowIndex(item.idempotencyKey), item]));
  }

  return {
    lookUpBatchSlice: async ({ batchId, from, to }: BatchSliceInput): Promise<LookUpBatchSliceResult> => {
      const rows = await rowsOf(batchId, { from, to });
      const hires: BatchHire[] = [];
      const settled: SettledHire[] = [];
      for (const [row, item] of rows) {
        const event = item.event;
        const employeeKey = event?.worker.employeeId ?? item.employeeKey ?? `row ${row + 1}`;
        if (!event || item.status === "quarantined") {
          settled.push({
            row,
            employeeKey,
            outcome: { kind: "QUARANTINED", reason: item.reason ?? "not accepted at intake" },
          });
        } else if (item.duplicateOf !== undefined) {
          const first = batchRowIndex(item.duplicateOf) + 1;
          settled.push({
            row,
            employeeKey,
            outcome: { kind: "NOTHING_TO_DO", summary: `duplicate of row ${first}` },
          });
        } else {
          hires.push({
            row,
            employeeKey,
            event: {
              key: eventKeyOf("batch", item.idempotencyKey),
              eventId: event.eventId,
              type: event.type,
              effectiveDate: event.effectiveDate,
            },
          });
        }
      }
      if (hires.length === 0) return { kind: "FOUND", hires, settled };
      // One lookup for the whole slice, handed to each hire's plan instead of a search per hire.
      const found = await classifyGenesys(`batch ${batchId}: looking up rows ${from + 1}-${to}`, () =>
        state.lookUp(hires.map((hire) => rows.get(hire.row)!.event!.worker)),
      );
      if ("kind" in found) {
        if (found.kind === "RATE_LIMITED") return found;
        // A search Genesys refuses (403) would refuse every hire of the slice the same way.
        const outcome = { kind: "QUARANTINED", reason: found.reason } as const;
        return {
          kind: "FOUND",
          hires: [],
          settled: [...settled, ...hires.map(({ row, employeeKey }) => ({ row, employeeKey, outcome }))],
        };
      }
      for (const hire of hires) {
        const employeeId = rows.get(hire.row)!.event!.worker.employeeId;
        hire.lookup = {
          user: found.users.get(employeeId) ?? null,
          manager: found.managers.get(employeeId) ?? null,
        };
      }
      return { kind: "FOUND", hires, settled };
    },

    recordBatchOutcomes: async ({ batchId, outcomes }: RecordBatchOutcomesInput): Promise<void> => {
      for (const { row, employeeKey, outcome } of outcomes) {
        await batches.recordRow(batchId, {
          row,
          employeeKey,
          state: stateOfOutcome(outcome),
          summary: outcome.kind === "QUARANTINED" ? outcome.reason : outcome.summary,
          ...(outcome.kind === "APPLIED" && outcome.userId ? { userId: outcome.userId } : {}),
        });
      }
    },

    joinBatchQueues: async ({ batchId }: { batchId: string }): Promise<JoinBatchQueuesResult> => {
      const loaded = await mappings.getActive();
      if (!loaded) return { kind: "FAILED", reason: "no mapping is active" };
      const catalog = await Catalog.load(org);
      const items = await rowsOf(batchId);
      const members = new Map<string, Set<string>>();
      /** Division → each created user's mapped roles there, to confirm per division. */
      const grants = new Map<string, Map<string, Set<string>>>();
      const unconfirmedGrants: string[] = [];
      for (const row of await batches.listRows(batchId)) {
        const event: HrEvent | undefined = items.get(row.row)?.event;
        if (!row.userId || !event || !["created", "restored", "updated"].includes(row.state)) continue;
        const profile = mappedProfile(event.worker, loaded.mapping, catalog);
        for (const queue of profile?.queues ?? [])
          members.set(queue.id, (members.get(queue.id) ?? new Set()).add(row.userId));
        if (row.state !== "created" || !profile) continue;
        // An all-divisions grant is listed under no one division: that user's grants are read one by one.
        if (profile.grants.some((g) => g.division.id === ALL_DIVISIONS)) unconfirmedGrants.push(row.userId);
        else
          for (const { role, division } of profile.grants) {
            const users = grants.get(division.id) ?? new Map<string, Set<string>>();
            grants.set(division.id, users.set(row.userId, (users.get(row.userId) ?? new Set()).add(role.id)));
          }
      }
      const joined = await classifyGenesys(`batch ${batchId}: adding queue members`, async () => {
        // Chunked by 100 per call inside the client; adding an existing member changes nothing.
        for (const [queueId, userIds] of members) await genesys.addQueueMembers(queueId, [...userIds]);
        // Then one listing per queue and per division confirms what was written, instead of a read per user.
        for (const [queueId, userIds] of members) {
          const expected = new Map([...userIds].map((id) => [id, new Set(["member"])]));
          const listing = genesys.listQueueMembers(queueId);
          for (const userId of await unconfirmedUsers(
            listing,
            expected,
            (m) => [m.id, "member"],
            userIds.size * 100,
          ))
            await batches.recordUnconfirmed(batchId, "queues", userId);
        }
        for (const [divisionId, expected] of grants) {
          const listing = genesys.listDivisionGrants(divisionId);
          const seen = (g: AuthzGrant): [string | undefined, string] => [g.subjectId, g.role.id];
          for (const userId of await unconfirmedUsers(listing, expected, seen, expected.size * 500))
            unconfirmedGrants.push(userId);
        }
        for (const userId of unconfirmedGrants) await batches.recordUnconfirmed(batchId, "grants", userId);
      });
      if (joined !== undefined) return joined;
      const count = [...members.values()].reduce((n, s) => n + s.size, 0);
      return { kind: "JOINED", queues: members.size, members: count };
    },

    finishBatchSlice: async ({ batchId, from, to }: BatchSliceInput): Promise<FinishBatchSliceResult> => {
      const items = await rowsOf(batchId, { from, to });
      const rows = (await batches.listRows(batchId, { from, to })).filter(
        (r) => r.userId && ["created", "restored", "updated"].includes(r.state),
      );
      const finishing = rows.flatMap((row) => {
        const item = items.get(row.row);
        return item?.event
          ? [{ row, event: item.event, eventKey: eventKeyOf("batch", item.idempotencyKey) }]
          : [];
      });
      // The slice is read back in one go (one listing of its users, one search for their managers, grants and
      // queues per user unless confirmed), then the production-ready hires are invited side by side; the shared
      // rate budget paces them.
      // A user this batch created has no queues or grants but the ones it wrote, and the join step confirmed
      // those per queue and per division.
      const queuesUnconfirmed = await batches.listUnconfirmed(batchId, "queues");
      const grantsUnconfirmed = await batches.listUnconfirmed(batchId, "grants");
      const verified = await converge.verifyConvergedMany(
        finishing.map(({ row, eventKey }) => ({
          employeeKey: row.employeeKey,
          eventKey,
          userId: row.userId!,
          queuesConfirmed: row.state === "created" && !queuesUnconfirmed.has(row.userId!),
          grantsConfirmed: row.state === "created" && !grantsUnconfirmed.has(row.userId!),
        })),
      );
      if (!Array.isArray(verified)) return verified;
      const results = await Promise.all(
        finishing.map(async ({ row, event }, i): Promise<SettledHire | RateLimited> => {
          const check = verified[i];
          let outcome: EventOutcome;
          if (check.kind === "DRIFT") {
            outcome = {
              kind: "QUARANTINED",
              reason: `read-back found differences, not invited: ${check.remaining.join("; ")}`,
            };
          } else {
            const sent = check.inviteNeeded
              ? await converge.applyPlanStep({
                  employeeKey: row.employeeKey,
                  eventId: event.eventId,
                  mappingVersion: check.mappingVersion,
                  userId: row.userId,
                  step: { kind: "INVITE", summary: "send the invitation", payload: { kind: "INVITE" } },
                })
              : ({ kind: "DONE" } as const);
            if (sent.kind === "RATE_LIMITED") return sent;
            outcome =
              sent.kind === "FAILED"
                ? { kind: "QUARANTINED", reason: `profile applied, invitation failed: ${sent.reason}` }
                : {
                    kind: "APPLIED",
                    summary: `${row.summary}; queues joined and invitation sent`,
                    userId: row.userId,
                  };
          }
          await batches.recordRow(batchId, {
            ...row,
            state: outcome.kind === "QUARANTINED" ? "failed" : row.state,
            summary: outcome.kind === "QUARANTINED" ? outcome.reason : outcome.summary,
          });
          return { row: row.row, employeeKey: row.employeeKey, outcome };
        }),
      );
      // Rows already finished are idempotent to finish again when the orchestrator retries after the wait.
      const limited = results.find((r): r is RateLimited => "kind" in r);
      if (limited) return limited;
      const outcomes = results.filter((r): r is SettledHire => "outcome" in r);
      return { kind: "FINISHED", outcomes };
    },

    completeBatch: async ({
      batchId,
      totals,
      reason,
    }: CompleteBatchInput & { reason?: string }): Promise<void> => {
      await batches.complete(batchId, { ...totals }, reason, now());
      await withAuditContext({ employeeKey: `batch:${batchId}` }, () =>
        auditStep(
          audit,
          "batch.completed",
          reason ? `batch ${batchId} stopped: ${reason}` : `batch ${batchId} completed`,
          {
            after: totals,
          },
        ),
      );
    },
  };
}
