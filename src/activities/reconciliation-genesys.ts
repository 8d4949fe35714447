import { whoChanged } from "../adapters/genesys-audit-lookup";
import {
  hasAllDivisionsGrant,
  OrgSnapshot,
  pageKey,
  readPage,
  statesOf,
  type ManagedEmployee,
  type PageItems,
} from "../adapters/genesys-snapshot";
import { collect, isGenesysCloudError } from "../genesys";
import { fixOfDrift, reconciliationItems } from "../hr/reconciliation-intake";
import type { HrWorker } from "../lifecycle/hr-event";
import { Catalog } from "../lifecycle/org";
import { Planner } from "../lifecycle/plan";
import { mappedProfile } from "../lifecycle/profile";
import { describeDrift, driftOf, type DriftItem } from "../lifecycle/reconcile/drift";
import { planReads, type ReadPlan } from "../lifecycle/reconcile/read-plan";
import { NO_COMPARE_TOTALS, type CompareTotals, type Finding } from "../lifecycle/reconcile/report";
import type { AssignedSnapshot } from "../lifecycle/state";
import { appliedEventsOf, lifecycleStateOf } from "../storage/employees";
import { startBounded } from "./bounded";
import { compareStep, failed, READ_STEP, steppedBackSteps } from "./reconciliation-steps";
import { classifyGenesys } from "./genesys-outcome";
import type {
  CompareSliceInput,
  CompareSliceResult,
  ExplainInput,
  ExplainResult,
  PlanGenesysInput,
  PlanGenesysResult,
  ReadSliceInput,
  ReadSliceResult,
} from "./reconciliation.contract";
import { updateSummary, type ReconciliationDependencies } from "./reconciliation-context";

/**
 * Employees whose records a compare slice checks at once, ahead of its Genesys reads: checked one by one before
 * any read, a slice's checks took longer than its reads, and the budget sat idle meanwhile.
 */
const CHECKS_IN_FLIGHT = 16;

/** Managed employees are stored this many to a row; a compare slice reads only its own rows. */
const MANAGED_PER_ROW = 1000;

const managedRow = (row: number) => `managed:${String(row).padStart(5, "0")}`;

/** What the plan step leaves for the slices after it. */
interface StoredPlan {
  plan: ReadPlan;
  managed: number;
  /** Read per user instead, because a listing was refused (a 403 on one queue or division). */
  fallbacks?: { queues?: boolean; grants?: boolean };
}

/** Drift that a converge of the employee puts right; a user made inactive or deleted is not such drift. */
const FIXABLE = (item: DriftItem) => item.attribute !== "state" && item.attribute !== "identity";

const day = (date: string) => date.slice(0, 10);

/** The Genesys half of a run: plan the shared reads, read them in slices, compare, explain. */
export function createGenesysReconciliationActivities(deps: ReconciliationDependencies) {
  const { runs, employees } = deps;
  /** The last run's reads, parsed once per process: every compare slice of a run uses the same snapshot. */
  let cached: { runId: string; snapshot: OrgSnapshot } | undefined;

  const counting = () => {
    let calls = 0;
    return { genesys: deps.genesys(() => calls++), calls: () => calls };
  };

  async function storedPlan(runId: string): Promise<StoredPlan> {
    const plan = (await runs.loadData<StoredPlan>(runId, "plan")).get("plan");
    if (!plan) throw new Error(`reconciliation run ${runId} has no read plan`);
    return plan;
  }

  async function snapshotOf(runId: string): Promise<OrgSnapshot> {
    if (cached?.runId === runId) return cached.snapshot;
    const { plan, fallbacks } = await storedPlan(runId);
    const pages = await runs.loadData<PageItems>(runId, "page:");
    const snapshot = new OrgSnapshot(pages.values(), {
      queues: fallbacks?.queues ? "per-user" : plan.queues,
      grants: fallbacks?.grants ? "per-user" : plan.grants,
    });
    cached = { runId, snapshot };
    return snapshot;
  }

  const { steppedBack, stepBack } = steppedBackSteps(runs);

  async function mappingAndCatalog() {
    const loaded = await deps.mappings.getActive();
    return loaded && { loaded, catalog: await Catalog.load(deps.org) };
  }

  return {
    planGenesysReconciliation: async ({ runId }: PlanGenesysInput): Promise<PlanGenesysResult> => {
      const active = await mappingAndCatalog();
      if (!active) {
        const reason = "no mapping is active: Genesys cannot be compared with a profile";
        await updateSummary(runs, runId, (s) => {
          s.notes.push(reason);
          s.phase = "finish";
        });
        return { kind: "FAILED", reason };
      }
      const managed: ManagedEmployee[] = (await employees.listRecords())
        .filter((r) => lifecycleStateOf(r) === "active" && r.genesysUserId && r.worker)
        .map((r) => ({
          employeeKey: r.employeeKey,
          userId: r.genesysUserId!,
          worker: JSON.parse(r.worker!) as HrWorker,
          assigned: r.assigned ? (JSON.parse(r.assigned) as AssignedSnapshot) : null,
        }));
      const earlier = await steppedBack(runId, "plan");
      const { genesys, calls } = counting();
      const queues = await classifyGenesys("listing queues for reconciliation", () =>
        collect(genesys.listQueues()),
      ).catch(async (error: unknown) => {
        await stepBack(runId, "plan", failed(earlier, calls()));
        throw error;
      });
      if (!Array.isArray(queues)) {
        if (queues.kind === "RATE_LIMITED")
          await stepBack(runId, "plan", { ...earlier, calls: earlier.calls + calls() });
        return queues;
      }
      const plan = planReads({
        mapping: active.loaded.mapping,
        catalog: active.catalog,
        assigned: managed.map((m) => m.assigned),
        orgUsers: managed.length,
        queueMembers: new Map(queues.map((q) => [q.id, q.memberCount ?? 0])),
      });
      for (let i = 0; i * MANAGED_PER_ROW < managed.length; i++)
        await runs.saveData(
          runId,
          managedRow(i),
          managed.slice(i * MANAGED_PER_ROW, (i + 1) * MANAGED_PER_ROW),
        );
      await runs.saveData(runId, "plan", { plan, managed: managed.length } satisfies StoredPlan);
      await updateSummary(runs, runId, (s) => {
        s.phase = "genesys-read";
        s.genesys.managed = managed.length;
        s.genesys.reads = { queues: plan.queues, grants: plan.grants, units: plan.units.length };
      });
      return {
        kind: "PLANNED",
        units: plan.units.length,
        managed: managed.length,
        calls: earlier.calls + calls(),
        retried: earlier.faults ?? 0,
      };
    },

    readGenesysSlice: async ({ runId, cursor, maxCalls }: ReadSliceInput): Promise<ReadSliceResult> => {
      const stored = await storedPlan(runId);
      const { units } = stored.plan;
      // An attempt that failed left its calls and its place: this one, its retry, goes on from there.
      const earlier = await steppedBack(runId, READ_STEP);
      if (earlier.calls > 0 || earlier.faults) await stepBack(runId, READ_STEP, { calls: 0 });
      const { genesys, calls } = counting();
      const spent = () => earlier.calls + calls();
      const retried = earlier.faults ?? 0;
      let { unit, page } = earlier.cursor ?? cursor;
      try {
        while (unit < units.length && calls() < maxCalls) {
          const current = units[unit];
          let read;
          try {
            read = await readPage(genesys, current, page);
          } catch (error) {
            if (!isGenesysCloudError(error) || error.isTransient) throw error;
            // The budget is busy (event processing comes first) or Genesys said 429: step back, keep the place.
            if (error.isRateLimited)
              return {
                next: { unit, page },
                calls: spent(),
                retried,
                backOffInMs: error.retryAfterInMs ?? 1000,
              };
            // A queue or division this client may not list: those are read user by user instead.
            if (current.kind === "users") throw error;
            stored.fallbacks = {
              ...stored.fallbacks,
              [current.kind === "queue" ? "queues" : "grants"]: true,
            };
            await runs.saveData(runId, "plan", stored);
            await updateSummary(runs, runId, (s) =>
              s.notes.push(
                `${current.kind} ${current.id} could not be listed (${error.message}): read per user`,
              ),
            );
            unit++;
            page = 1;
            continue;
          }
          await runs.saveData(runId, `page:${pageKey(current, page)}`, read.items);
          if (read.more) page++;
          else {
            unit++;
            page = 1;
          }
        }
      } catch (error) {
        // A transient fault, retried by the orchestration: the retry counts these calls and resumes here.
        await stepBack(runId, READ_STEP, failed(earlier, calls(), { cursor: { unit, page } }));
        throw error;
      }
      if (unit >= units.length)
        await updateSummary(runs, runId, (s) => {
          s.phase = "genesys-compare";
        });
      return { ...(unit < units.length ? { next: { unit, page } } : {}), calls: spent(), retried };
    },

    compareGenesysSlice: async ({
      runId,
      from,
      count,
      mode,
      today,
    }: CompareSliceInput): Promise<CompareSliceResult> => {
      const active = await mappingAndCatalog();
      const stored = await storedPlan(runId);
      const row = Math.floor(from / MANAGED_PER_ROW);
      const inRow =
        (await runs.loadData<ManagedEmployee[]>(runId, managedRow(row))).get(managedRow(row)) ?? [];
      const slice = inRow.slice(from - row * MANAGED_PER_ROW, from - row * MANAGED_PER_ROW + count);
      const done = from + count >= stored.managed;
      if (!active) return { kind: "COMPARED", totals: NO_COMPARE_TOTALS, calls: 0, retried: 0, done };
      const { loaded, catalog } = active;
      const totals: CompareTotals = { ...NO_COMPARE_TOTALS };
      const findings: Finding[] = [];
      // Only who is still managed as the run read them, with nothing pending: the lifecycle comes first. The
      // checks (a storage read each) run ahead of the Genesys reads, which take each employee once checked.
      const checks = startBounded(slice, CHECKS_IN_FLIGHT, async (employee) => {
        const { record, pendingEvents } = await employees.recordAndPending(employee.employeeKey);
        const managed =
          record && lifecycleStateOf(record) === "active" && record.genesysUserId === employee.userId;
        return managed && pendingEvents === 0 ? { ...employee, record } : undefined;
      });
      const checkOf = new Map(slice.map((e, i) => [e.employeeKey, checks[i]]));
      const admitted = async (e: ManagedEmployee) => (await checkOf.get(e.employeeKey)) !== undefined;
      const snapshot = await snapshotOf(runId);
      // A slice that stepped back resumes: the states it read are kept, and the calls it made are counted.
      const step = compareStep(from);
      const earlier = await steppedBack(runId, step);
      const read = new Map(earlier.states);
      const { genesys, calls } = counting();
      const allDivisions = (e: ManagedEmployee) =>
        hasAllDivisionsGrant(e.assigned?.grants) ||
        hasAllDivisionsGrant(
          mappedProfile(e.worker, loaded.mapping, catalog)?.grants.map((g) => ({
            divisionId: g.division.id,
          })),
        );
      const states = await classifyGenesys("reading managed users for reconciliation", () =>
        statesOf(genesys, snapshot, slice, allDivisions, read, admitted),
      ).catch(async (error: unknown) => {
        // A transient fault: the retry of this activity resumes from here too, and its calls are counted.
        await Promise.allSettled(checks);
        await stepBack(runId, step, failed(earlier, calls(), { states: [...read] }));
        throw error;
      });
      if (!(states instanceof Map)) {
        await Promise.allSettled(checks);
        if (states.kind === "RATE_LIMITED") {
          await stepBack(runId, step, { ...earlier, calls: earlier.calls + calls(), states: [...read] });
          return states;
        }
        throw new Error(states.reason);
      }
      const toCompare = (await Promise.all(checks)).filter((e) => e !== undefined);
      totals.notCompared += slice.length - toCompare.length;
      const planner = new Planner(loaded.mapping, catalog, { invite: false });
      const names = { user: (id: string | undefined) => (id ? snapshot.users.get(id)?.name : undefined) };
      const fixes: { employee: (typeof toCompare)[number]; items: DriftItem[] }[] = [];
      for (const employee of toCompare) {
        const plan = planner.plan(
          { type: "change", worker: employee.worker, reactivate: false },
          states.get(employee.employeeKey)!,
        );
        const drift = driftOf(plan, names);
        if (drift.kind === "NOT_COMPARED") {
          totals.notCompared++;
          findings.push({ kind: "not-compared", employeeId: employee.employeeKey, why: drift.reason });
          continue;
        }
        totals.compared++;
        if (drift.items.length === 0) {
          totals.inSync++;
          continue;
        }
        totals.drifted++;
        totals.driftItems += drift.items.length;
        const fixable = mode === "fix" && drift.items.some(FIXABLE);
        if (fixable) fixes.push({ employee, items: drift.items });
        findings.push({
          kind: "drift",
          employeeId: employee.employeeKey,
          userId: employee.userId,
          items: drift.items,
          action: fixable ? "fix queued" : "reported",
          ...(mode === "fix" && !fixable
            ? {
                reason:
                  "a user made inactive or deleted in Genesys, or holding another employee's id, is put right " +
                  "by HR (a rehire or a return) or by hand, never by reconciliation",
              }
            : {}),
        });
        await deps.audit.record(`reconciliation|${runId}|drift`, {
          employeeKey: employee.employeeKey,
          at: new Date().toISOString(),
          operation: "reconciliation.drift",
          summary: `reconciliation run ${runId} found drift in Genesys: ${drift.items.map(describeDrift).join("; ")}`,
          after: { runId, items: drift.items, mode },
        });
      }
      if (fixes.length > 0) {
        const events = fixes.map(({ employee, items }) => {
          const last = Object.values(appliedEventsOf(employee.record)).map((e) => day(e.effectiveDate));
          const effectiveDate = [
            today,
            ...last,
            ...(employee.record.workerAsOf ? [day(employee.record.workerAsOf)] : []),
          ]
            .sort()
            .at(-1)!;
          return fixOfDrift(
            runId,
            { effectiveDate, worker: employee.worker },
            `drift in Genesys: ${items.filter(FIXABLE).map(describeDrift).join("; ")}`,
          );
        });
        const message = { reconciliationRun: runId, foundIn: "genesys", events };
        const results = await deps.intake.accept(
          "reconciliation",
          { raw: JSON.stringify(message), contentType: "application/json" },
          reconciliationItems(message),
        );
        for (const [i, result] of results.entries()) {
          const finding = findings.find(
            (f) => f.kind === "drift" && f.employeeId === fixes[i].employee.employeeKey,
          ) as Extract<Finding, { kind: "drift" }>;
          finding.eventId = events[i].event.eventId;
          if (result.status === "quarantined") {
            finding.action = "fix refused";
            finding.reason = result.reason;
          } else totals.fixesQueued++;
          await deps.audit.record(`reconciliation|${runId}|fix`, {
            employeeKey: fixes[i].employee.employeeKey,
            at: new Date().toISOString(),
            eventId: events[i].event.eventId,
            operation: "reconciliation.fix",
            summary: `reconciliation run ${runId} puts the profile back: ${events[i].why}`,
            after: { runId, status: result.status },
          });
        }
      }
      await runs.saveFindings(
        runId,
        findings.map((finding) => ({
          kind: finding.kind,
          key: "employeeId" in finding ? finding.employeeId : "",
          finding,
        })),
      );
      return { kind: "COMPARED", totals, calls: earlier.calls + calls(), retried: earlier.faults ?? 0, done };
    },

    explainGenesysFindings: async ({ runId }: ExplainInput): Promise<ExplainResult> => {
      let stored: StoredPlan | undefined;
      try {
        stored = await storedPlan(runId);
      } catch {
        stored = undefined; // nothing was read (no mapping): nothing to explain
      }
      if (!stored) return { kind: "EXPLAINED", calls: 0, retried: 0, orphans: 0 };
      const snapshot = await snapshotOf(runId);
      const known = new Set((await employees.listRecords()).map((r) => r.employeeKey));
      const candidates = snapshot.usersWithEmployeeId().filter((u) => !known.has(u.employeeId!));
      // HR may know them (staff the mapping does not cover): only an id HR does not know either is an orphan.
      const knownToHr = new Set<string>();
      let hrCalls = 0;
      const checked = new Set<string>();
      for (const reader of deps.hrReaders) {
        if (checked.has(reader.source)) continue;
        checked.add(reader.source);
        const { known: found, calls } = await reader.knows(candidates.map((u) => u.employeeId!));
        hrCalls += calls;
        for (const id of found) knownToHr.add(id);
      }
      const orphans = candidates.filter((u) => !knownToHr.has(u.employeeId!));
      await runs.saveFindings(
        runId,
        orphans.map((u) => ({
          kind: "orphan",
          key: u.id,
          finding: {
            kind: "orphan",
            userId: u.id,
            employeeId: u.employeeId!,
            name: u.name,
            ...(u.email ? { email: u.email } : {}),
            hrChecked: deps.hrReaders.length > 0,
          } satisfies Finding,
        })),
      );
      const drift = await runs.listFindings<Extract<Finding, { kind: "drift" }>>(runId, "drift");
      const earlier = await steppedBack(runId, "explain");
      const { genesys, calls } = counting();
      const explained =
        deps.auditQueries > 0 && drift.length > 0
          ? await classifyGenesys("reading Genesys's audit", () =>
              whoChanged(
                genesys,
                drift.map(({ finding }) => ({ userId: finding.userId, items: finding.items })),
                // Genesys stamps its audit with its own clock: the query ends now, by that clock too.
                { ownClientId: deps.ownClientId, now: new Date(), maxQueries: deps.auditQueries },
              ),
            ).catch(async (error: unknown) => {
              await stepBack(runId, "explain", failed(earlier, calls()));
              throw error;
            })
          : undefined;
      if (explained && "kind" in explained) {
        if (explained.kind === "RATE_LIMITED") {
          await stepBack(runId, "explain", { ...earlier, calls: earlier.calls + calls() });
          return explained;
        }
        throw new Error(explained.reason);
      }
      if (explained) {
        await runs.saveFindings(
          runId,
          drift.map(({ key, finding }) => ({
            kind: "drift",
            key,
            finding: {
              ...finding,
              items: finding.items.map((item, i) => {
                const author = explained.authors.get(`${finding.userId}|${i}`);
                return author ? { ...item, changedBy: author.by, changedAt: author.at } : item;
              }),
            },
          })),
        );
      }
      await updateSummary(runs, runId, (s) => {
        s.phase = "finish";
        s.genesys.orphans = orphans.length;
        if (explained?.unavailable) s.genesys.auditUnavailable = explained.unavailable;
        s.cost = { ...(s.cost ?? emptyCost()), hrCalls: (s.cost?.hrCalls ?? 0) + hrCalls };
      });
      return {
        kind: "EXPLAINED",
        calls: earlier.calls + calls(),
        retried: earlier.faults ?? 0,
        orphans: orphans.length,
      };
    },
  };
}

const emptyCost = () => ({
  genesysCalls: 0,
  byPhase: {},
  callsPerManagedUser: 0,
  requestsPerMinute: 0,
  floorSeconds: 0,
  genesysSeconds: 0,
  wallPerFloor: 0,
  backOffs: 0,
  hrCalls: 0,
});
