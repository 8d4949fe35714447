import { isGenesysCloudError, type AuthzGrant } from "../genesys";
import type { HrEvent } from "../lifecycle/hr-event";
import { ALL_DIVISIONS } from "../lifecycle/mapping";
import { Catalog } from "../lifecycle/org";
import { mappedProfile } from "../lifecycle/profile";
import { decide, supersededBy } from "../lifecycle/employee-lifecycle";
import type { BatchReportRow } from "../storage/batches";
import { appliedEventsOf, lifecycleStateOf } from "../storage/employees";
import { batchRowIndex, type InboxItem } from "../storage/inbox";
import { RECORDS_READ_AT_ONCE, startBounded } from "./bounded";
import { auditStep, withAuditContext } from "./audit-context";
import type { createConvergeActivities } from "./converge";
import type { ActivityDependencies } from "./dependencies";
import {
  outcomeText,
  stateOfOutcome,
  superseded,
  type DueEvent,
  type EventOutcome,
} from "./employee-events.contract";
import { createEventRecorder } from "./event-outcomes";
import { classifyGenesys } from "./genesys-outcome";
import { divisionsHeld, RoleGrantsByDivisions } from "./role-grants";
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
 * Hires of a finishing slice settled and invited at once: enough to keep ahead of the rate budget's pace (each
 * hire's record writes take a few milliseconds), few enough that the first ones are not queued behind all the
 * slice's writes in Table Storage.
 */
const FINISHING_AT_ONCE = 10;

/** The row number people see: the CSV line (header = line 1), or a JSON batch's item number. */
const displayRow = (item: InboxItem) => item.row ?? batchRowIndex(item.idempotencyKey) + 1;

/** What a converged row's outcome says about its user: who, and whether it was created, restored or updated. */
const converged = (row: BatchReportRow) => ({
  ...(row.userId ? { userId: row.userId } : {}),
  change: row.state as "created" | "restored" | "updated",
});

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

/** Notes that `listing` should show `thing` for `userId` (a role in a division's grants, a division in a role's). */
function expectListed(
  expected: Map<string, Map<string, Set<string>>>,
  listing: string,
  userId: string,
  thing: string,
): void {
  const users = expected.get(listing) ?? new Map<string, Set<string>>();
  expected.set(listing, users.set(userId, (users.get(userId) ?? new Set()).add(thing)));
}

/** Bulk onboarding's activities: read a slice, record outcomes, join queues in bulk, verify and invite. */
/** What bulk onboarding's activities use. */
export type OnboardingDependencies = Pick<
  ActivityDependencies,
  | "inbox"
  | "batches"
  | "genesys"
  | "mappings"
  | "org"
  | "audit"
  | "state"
  | "employees"
  | "quarantine"
  | "now"
>;

export function createOnboardingActivities(
  deps: OnboardingDependencies,
  converge: ReturnType<typeof createConvergeActivities>,
) {
  const { inbox, batches, genesys, mappings, org, audit, state, employees } = deps;
  const now = deps.now ?? (() => new Date());
  const complete = createEventRecorder(deps);

  /** Ends a converged row: the lifecycle table's decision is taken again, as the state has not moved since. */
  async function completeRow(employeeKey: string, event: DueEvent, outcome: EventOutcome): Promise<void> {
    const current = lifecycleStateOf(await employees.get(employeeKey));
    const transition = { state: current, ...decide(current, event.type) };
    await complete({ employeeKey, event, transition, outcome });
  }

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
      // The rows' employee records are read ahead of the loop, not one after another: the lookup is on the
      // batch's critical path, before any of its slices starts.
      const records = startBounded([...rows.values()], RECORDS_READ_AT_ONCE, (item) =>
        item.event ? employees.get(item.event.worker.employeeId) : Promise.resolve(undefined),
      );
      // One search for the whole slice, handed to each hire's plan instead of a search per hire. It runs
      // alongside the records' reads, over every row that may turn out to be a hire: a row the records then
      // settle is searched for nothing, at no extra call while one search takes a hundred.
      const candidates = [...rows.values()].filter(
        (item) => item.event && item.status !== "quarantined" && item.duplicateOf === undefined,
      );
      const search =
        candidates.length === 0
          ? undefined
          : classifyGenesys(`batch ${batchId}: looking up rows ${from + 1}-${to}`, () =>
              state.lookUp(candidates.map((i) => i.event!.worker)),
            );
      // Awaited below unless every row settles; a failure is then nobody's to report.
      search?.catch(() => undefined);
      for (const [index, [row, item]] of [...rows].entries()) {
        const event = item.event;
        const line = displayRow(item);
        const employeeKey = event?.worker.employeeId ?? item.employeeKey ?? `row ${line}`;
        if (!event || item.status === "quarantined") {
          settled.push({
            row,
            line,
            employeeKey,
            outcome: { kind: "QUARANTINED", reason: item.reason ?? "not accepted at intake" },
          });
          continue;
        }
        const due = {
          key: eventKeyOf("batch", item.idempotencyKey),
          eventId: event.eventId,
          type: event.type,
          effectiveDate: event.effectiveDate,
        };
        if (item.duplicateOf !== undefined) {
          const first = await inbox.get("batch", item.duplicateOf);
          const firstRow = first ? displayRow(first) : batchRowIndex(item.duplicateOf) + 1;
          settled.push({
            row,
            line,
            employeeKey,
            event: due,
            outcome: { kind: "NOTHING_TO_DO", summary: `duplicate of row ${firstRow}` },
          });
          continue;
        }
        // The employee's lifecycle decides, as for any other event: a late row is superseded, and a row the
        // table does not converge (a change to someone on leave) is recorded without touching Genesys.
        const record = await records[index];
        const current = lifecycleStateOf(record);
        const by = supersededBy(event, appliedEventsOf(record), current);
        const transition = { state: current, ...decide(current, event.type) };
        if (by) {
          settled.push({
            row,
            line,
            employeeKey,
            event: due,
            outcome: superseded(by),
          });
        } else if (transition.action.kind !== "CONVERGE") {
          const outcome = { kind: "NOTHING_TO_DO", summary: transition.why } as const;
          settled.push({ row, line, employeeKey, event: due, transition, outcome });
        } else {
          hires.push({ row, line, employeeKey, event: due, transition });
        }
      }
      // Every hire is a candidate, so with any hire there is a search.
      if (hires.length === 0 || !search) return { kind: "FOUND", hires, settled };
      const found = await search;
      if ("kind" in found) {
        if (found.kind === "RATE_LIMITED") return found;
        // A search Genesys refuses (403) would refuse every hire of the slice the same way.
        const outcome = { kind: "QUARANTINED", reason: found.reason } as const;
        return {
          kind: "FOUND",
          hires: [],
          settled: [
            ...settled,
            ...hires.map(({ row, line, employeeKey, event, transition }) => ({
              row,
              line,
              employeeKey,
              event,
              transition,
              outcome,
            })),
          ],
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
      for (const settled of outcomes) {
        // A converged hire is not done until its queues are joined and it is invited: its row says so meanwhile.
        if (settled.outcome.kind === "APPLIED" || !settled.event) {
          const { row, line, employeeKey, outcome } = settled;
          await batches.recordRow(batchId, {
            position: row,
            row: line,
            employeeKey,
            state: stateOfOutcome(outcome),
            summary: outcomeText(outcome),
            ...(outcome.kind === "APPLIED" && outcome.userId ? { userId: outcome.userId } : {}),
          });
        } else {
          const { employeeKey, event, transition, outcome } = settled;
          await complete({
            employeeKey,
            event,
            ...(transition ? { transition } : {}),
            outcome,
          });
        }
      }
    },

    joinBatchQueues: async ({ batchId }: { batchId: string }): Promise<JoinBatchQueuesResult> => {
      // The batch's rows and report are read while the mapping and catalog load: this call is on the batch's
      // critical path, between its last create and its first invitation.
      const reads = Promise.all([rowsOf(batchId), batches.listRows(batchId)]);
      reads.catch(() => undefined);
      const loaded = await mappings.getActive();
      if (!loaded) return { kind: "FAILED", reason: "no mapping is active" };
      const catalog = await Catalog.load(org);
      const [items, reportRows] = await reads;
      const members = new Map<string, Set<string>>();
      const roleGrants = new RoleGrantsByDivisions();
      /** Division (or `*`, per role) → each created user's mapped roles there, to confirm from one listing. */
      const grants = new Map<string, Map<string, Set<string>>>();
      const allDivisionGrants = new Map<string, Map<string, Set<string>>>();
      for (const row of reportRows) {
        const event: HrEvent | undefined = items.get(row.position)?.event;
        if (!row.userId || !event || !["created", "restored", "updated"].includes(row.state)) continue;
        const profile = mappedProfile(event.worker, loaded.mapping, catalog);
        if (!profile) continue;
        for (const queue of profile.queues)
          members.set(queue.id, (members.get(queue.id) ?? new Set()).add(row.userId));
        roleGrants.add(row.userId, profile.grants);
        if (row.state !== "created") continue;
        for (const { role, division } of profile.grants) {
          // An all-divisions grant is listed under no one division: it is looked for in the role's listing.
          if (division.id === ALL_DIVISIONS)
            expectListed(allDivisionGrants, role.id, row.userId, ALL_DIVISIONS);
          else expectListed(grants, division.id, row.userId, role.id);
        }
      }
      const joined = await classifyGenesys(
        `batch ${batchId}: granting roles and adding queue members`,
        async () => {
          // One call per role and set of divisions for all the batch's users (a thousand per call); granting
          // what is already granted changes nothing.
          for (const { roleId, divisionIds, userIds } of roleGrants.calls())
            await genesys.grantRoleToUsers(roleId, userIds, divisionIds);
          // Chunked by 100 per call inside the client; adding an existing member changes nothing.
          for (const [queueId, userIds] of members) await genesys.addQueueMembers(queueId, [...userIds]);
          // Then one listing per queue, per division and per all-divisions role confirms what was written,
          // instead of a read per user.
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
          const unconfirmedGrants = new Set<string>();
          for (const [divisionId, expected] of grants) {
            const listing = genesys.listDivisionGrants(divisionId);
            const seen = (g: AuthzGrant): [string | undefined, string] => [g.subjectId, g.role.id];
            for (const userId of await unconfirmedUsers(listing, expected, seen, expected.size * 500))
              unconfirmedGrants.add(userId);
          }
          for (const [roleId, expected] of allDivisionGrants) {
            const listing = divisionsHeld(genesys.listRoleSubjectGrants(roleId));
            for (const userId of await unconfirmedUsers(
              listing,
              expected,
              (held) => held,
              expected.size * 100,
            ))
              unconfirmedGrants.add(userId);
          }
          for (const userId of unconfirmedGrants) await batches.recordUnconfirmed(batchId, "grants", userId);
        },
      );
      if (joined !== undefined) return joined;
      const count = [...members.values()].reduce((n, s) => n + s.size, 0);
      return { kind: "JOINED", queues: members.size, members: count };
    },

    finishBatchSlice: async ({ batchId, from, to }: BatchSliceInput): Promise<FinishBatchSliceResult> => {
      // Read side by side: a slice's first invitation waits for all four.
      const [items, reportRows, queuesUnconfirmed, grantsUnconfirmed] = await Promise.all([
        rowsOf(batchId, { from, to }),
        batches.listRows(batchId, { from, to }),
        batches.listUnconfirmed(batchId, "queues"),
        batches.listUnconfirmed(batchId, "grants"),
      ]);
      const rows = reportRows.filter((r) => r.userId && ["created", "restored", "updated"].includes(r.state));
      const finishing: Array<{ row: BatchReportRow; event: HrEvent; eventKey: string }> = [];
      const finished: SettledHire[] = [];
      for (const row of rows) {
        const item = items.get(row.position);
        if (!item?.event) continue;
        const settled = { row: row.position, line: row.row, employeeKey: row.employeeKey };
        if (item.status === "done" || item.status === "quarantined") {
          // Finished before this attempt (the orchestrator retries a slice after a rate-limit wait).
          const outcome: EventOutcome =
            row.state === "failed"
              ? { kind: "QUARANTINED", reason: row.summary }
              : { kind: "APPLIED", summary: row.summary, ...converged(row) };
          finished.push({ ...settled, outcome });
        } else {
          finishing.push({ row, event: item.event, eventKey: eventKeyOf("batch", item.idempotencyKey) });
        }
      }
      // The slice is read back in one go (one listing of its users, one search for their managers, grants and
      // queues per user unless confirmed), then the production-ready hires are invited side by side; the shared
      // rate budget paces them.
      // A user this batch created has no queues or grants but the ones it wrote, and the join step confirmed
      // those per queue and per division.
      const verified = await converge.readBackMany(
        finishing.map(({ row, event, eventKey }) => ({
          employeeKey: row.employeeKey,
          eventKey,
          event,
          userId: row.userId!,
          queuesConfirmed: row.state === "created" && !queuesUnconfirmed.has(row.userId!),
          grantsConfirmed: row.state === "created" && !grantsUnconfirmed.has(row.userId!),
        })),
      );
      if (!Array.isArray(verified)) return verified;
      const finishHire = async (i: number): Promise<SettledHire | RateLimited> => {
        const { row, event } = finishing[i];
        const check = await verified[i]();
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
                  ...converged(row),
                };
        }
        const dueEvent = {
          key: finishing[i].eventKey,
          eventId: event.eventId,
          type: event.type,
          effectiveDate: event.effectiveDate,
        };
        await completeRow(row.employeeKey, dueEvent, outcome);
        return {
          row: row.position,
          line: row.row,
          employeeKey: row.employeeKey,
          event: dueEvent,
          outcome,
        };
      };
      // Each hire is invited as soon as its own record is written, a few at a time: settling all of them first
      // kept the first invitation back while a hundred records were written, and nothing was sent meanwhile.
      // One hire's transient failure does not stop the others: all are tried, then the failure is thrown, and the
      // slice's next attempt finds the others finished.
      const attempts = await Promise.all(
        startBounded([...finishing.keys()], FINISHING_AT_ONCE, (i) =>
          finishHire(i).then(
            (result) => ({ result }),
            (error: unknown) => ({ error }),
          ),
        ),
      );
      const results: Array<SettledHire | RateLimited> = [];
      for (const attempt of attempts) {
        if ("error" in attempt) throw attempt.error;
        results.push(attempt.result);
      }
      // Rows finished before a rate limit stay finished; the orchestrator calls again after the wait.
      const limited = results.find((r): r is RateLimited => "kind" in r);
      if (limited) return limited;
      const outcomes = [...finished, ...results.filter((r): r is SettledHire => "outcome" in r)];
      return { kind: "FINISHED", outcomes };
    },

    completeBatch: async ({
      batchId,
      totals,
      reason,
    }: CompleteBatchInput & { reason?: string }): Promise<void> => {
      if (reason) {
        // Stopped before inviting: the converged hires are not production-ready, and each says why.
        const items = await rowsOf(batchId);
        for (const row of await batches.listRows(batchId)) {
          const item = items.get(row.position);
          if (!item?.event || !["created", "restored", "updated"].includes(row.state)) continue;
          const { event } = item;
          const due = {
            key: eventKeyOf("batch", item.idempotencyKey),
            eventId: event.eventId,
            type: event.type,
            effectiveDate: event.effectiveDate,
          };
          await completeRow(row.employeeKey, due, {
            kind: "QUARANTINED",
            reason: `${row.summary}; not invited: ${reason}`,
          });
        }
      }
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
