import type { HrEvent, HrWorker } from "../lifecycle/hr-event";
import { ProfileMatcher } from "../lifecycle/match";
import { Catalog, type Ref } from "../lifecycle/org";
import { assignedSnapshot, Planner, type EmployeePlan, type PlanStep } from "../lifecycle/plan";
import { mappedProfile } from "../lifecycle/profile";
import type { AssignedSnapshot, EmployeeState, RoleGrant } from "../lifecycle/state";
import { validateMapping } from "../lifecycle/validate";
import type { EmployeeRecord } from "../storage/employees";
import type { LoadedMapping } from "../storage/mappings-service";
import { withAuditContext } from "./audit-context";
import { RECORDS_READ_AT_ONCE, startBounded } from "./bounded";
import type { FoundUser } from "../adapters/genesys-state";
import type {
  ApplyStepInput,
  HireLookup,
  ApplyStepResult,
  PlannedStep,
  PrepareConvergeInput,
  PrepareConvergeResult,
  VerifyConvergedInput,
  VerifyConvergedResult,
} from "./converge.contract";
import type { ActivityDependencies } from "./dependencies";
import { classifyGenesys } from "./genesys-outcome";
import { loadInboxEvent } from "./inbox-events";
import { applyStep, updateFields } from "./plan-steps";
import { createManagerLinks } from "./manager-links";
import type { PermanentFailure, RateLimited } from "./results";
import { summarizeStep } from "./step-summary";

/**
 * Steps a bulk batch applies itself once every user exists: one call per queue and per role for all its users,
 * and the invitation last.
 */
const DEFERRED_IN_BULK = new Set<PlanStep["kind"]>(["GRANT_ROLES", "JOIN_QUEUES", "INVITE"]);

/** An event to plan, with the effective date of the HR record it carries. */
interface Loaded {
  event: HrEvent;
  workerAsOf: string;
  /** The employee's record as read for it, handed to the state reader instead of a second read. */
  record: EmployeeRecord | undefined;
}

interface Planned {
  kind: "READY";
  event: HrEvent;
  /** The effective date of the HR record the plan used (`worker` and `workerAsOf` on the employee record). */
  workerAsOf: string;
  loaded: LoadedMapping;
  catalog: Catalog;
  state: EmployeeState;
  plan: EmployeePlan;
}

/** Joiner, mover and rehire activities: plan from what Genesys holds, apply the steps, verify. */
/** What joiner, mover and rehire activities use. */
export type ConvergeDependencies = Pick<
  ActivityDependencies,
  "genesys" | "employees" | "inbox" | "mappings" | "org" | "state" | "audit" | "now"
>;

export function createConvergeActivities(deps: ConvergeDependencies) {
  const { genesys, employees, inbox, mappings, org } = deps;
  const managerLinks = createManagerLinks(deps);

  /**
   * The event as accepted, carrying the newest HR record the employee has: its own, or one stored from an event
   * that takes effect after it (a late hire after a backdated termination, when changes came in between).
   */
  async function loadEvent(
    employeeKey: string,
    eventKey: string,
    stored?: HrEvent,
  ): Promise<Loaded | PermanentFailure> {
    const event = stored ?? (await loadInboxEvent(inbox, eventKey));
    if (!event)
      return { kind: "FAILED", reason: `event ${eventKey} of employee ${employeeKey} is not in the inbox` };
    const record = await employees.get(employeeKey);
    if (
      record?.worker &&
      record.workerAsOf &&
      Date.parse(record.workerAsOf) > Date.parse(event.effectiveDate)
    ) {
      return {
        event: { ...event, worker: JSON.parse(record.worker) as HrWorker },
        workerAsOf: record.workerAsOf,
        record,
      };
    }
    return { event, workerAsOf: event.effectiveDate, record };
  }

  /**
   * Plans many employees' events together: one mapping and catalog load, and one state read for all of them
   * (a few searches and one user listing instead of a set per employee). `known` is what a search just found.
   */
  async function planEvents(
    requests: ReadonlyArray<{
      employeeKey: string;
      eventKey: string;
      /** The event as the caller already read it from the inbox (none: read here). */
      event?: HrEvent;
      reactivate?: boolean;
      known?: Partial<HireLookup>;
      /** The user's queues, or grants, were confirmed to be the mapped ones (a bulk batch's checks). */
      queuesConfirmed?: boolean;
      grantsConfirmed?: boolean;
    }>,
  ): Promise<Array<Planned | PermanentFailure>> {
    const loads = await Promise.all(
      startBounded(requests, RECORDS_READ_AT_ONCE, (r) => loadEvent(r.employeeKey, r.eventKey, r.event)),
    );
    const events = loads.map((l) => ("kind" in l ? l : l.event));
    const loaded = await mappings.getActive();
    if (!loaded)
      return requests.map(() => ({
        kind: "FAILED",
        reason: "no mapping is active: import one with PUT /api/mappings",
      }));
    const catalog = await Catalog.load(org);
    const known = {
      users: new Map<string, FoundUser | null>(),
      managers: new Map<string, Ref | null>(),
      queueIds: new Map<string, string[]>(),
      grants: new Map<string, RoleGrant[]>(),
      records: new Map<string, EmployeeRecord | undefined>(),
    };
    const workers: HrWorker[] = [];
    events.forEach((event, i) => {
      if ("kind" in event) return;
      workers.push(event.worker);
      known.records.set(event.worker.employeeId, (loads[i] as Loaded).record);
      const { known: hint, queuesConfirmed, grantsConfirmed } = requests[i];
      if (hint?.user !== undefined) known.users.set(event.worker.employeeId, hint.user);
      if (hint?.manager !== undefined) known.managers.set(event.worker.employeeId, hint.manager);
      if (!hint?.user || !(queuesConfirmed || grantsConfirmed)) return;
      const profile = mappedProfile(event.worker, loaded.mapping, catalog);
      if (!profile) return;
      const mapped = assignedSnapshot(profile);
      if (queuesConfirmed) known.queueIds.set(hint.user.id, mapped.queueIds);
      if (grantsConfirmed) known.grants.set(hint.user.id, mapped.grants);
    });
    const states = await deps.state.read(workers, known);
    const planner = new Planner(loaded.mapping, catalog);
    return events.map((event, i) => {
      if ("kind" in event) return event;
      const state = states.get(event.worker.employeeId)!;
      const { reactivate } = requests[i];
      const plan = planner.plan(
        {
          eventId: event.eventId,
          type: event.type,
          worker: event.worker,
          ...(reactivate === false ? { reactivate } : {}),
        },
        state,
      );
      const { workerAsOf } = loads[i] as Loaded;
      return { kind: "READY", event, workerAsOf, loaded, catalog, state, plan };
    });
  }

  /** Reads back what was applied and re-plans: anything left besides the invitation is drift. */
  async function verify(
    inputs: readonly VerifyConvergedInput[],
  ): Promise<Array<Exclude<VerifyConvergedResult, RateLimited>> | RateLimited> {
    const each = await readBack(inputs);
    return Array.isArray(each) ? Promise.all(each.map((settle) => settle())) : each;
  }

  /**
   * Reads many hires back at once (one listing for all of them) and answers, per hire in order, the work that
   * settles it: a caller starts each when it can take its result, and goes on with that hire (its invitation)
   * without waiting for the others' records to be written.
   */
  async function readBack(
    inputs: ReadonlyArray<VerifyConvergedInput & { event?: HrEvent }>,
  ): Promise<Array<() => Promise<Exclude<VerifyConvergedResult, RateLimited>>> | RateLimited> {
    const planned = await classifyGenesys("reading the users back", () =>
      planEvents(
        inputs.map((input) => ({
          employeeKey: input.employeeKey,
          eventKey: input.eventKey,
          ...(input.event ? { event: input.event } : {}),
          known: { user: { id: input.userId, state: "active" } },
          queuesConfirmed: input.queuesConfirmed,
          grantsConfirmed: input.grantsConfirmed,
        })),
      ),
    );
    if (!Array.isArray(planned)) {
      if (planned.kind === "RATE_LIMITED") return planned;
      return inputs.map(() => () => Promise.resolve({ kind: "DRIFT", remaining: [planned.reason] }));
    }
    return planned.map((p, i) => () => settleVerified(inputs[i], p));
  }

  async function settleVerified(
    input: VerifyConvergedInput,
    planned: Planned | PermanentFailure,
  ): Promise<Exclude<VerifyConvergedResult, RateLimited>> {
    if (planned.kind === "FAILED") return { kind: "DRIFT", remaining: [planned.reason] };
    const { plan, event, loaded } = planned;
    if (plan.kind !== "PLANNED") return { kind: "DRIFT", remaining: [plan.reason] };
    const left = plan.steps.filter(
      (s) => s.kind !== "INVITE" && !(input.deferQueuesAndInvite && DEFERRED_IN_BULK.has(s.kind)),
    );
    // A manager who got a Genesys user since the plan (a lead hired in the same intake) is linked now.
    const [onlyManager] = left;
    if (
      left.length === 1 &&
      onlyManager.kind === "UPDATE_USER" &&
      onlyManager.changes.every((c) => c.field === "manager")
    ) {
      const context = {
        employeeKey: input.employeeKey,
        eventId: event.eventId,
        mappingVersion: loaded.version.version,
      };
      await withAuditContext(context, () =>
        updateFields(genesys, input.userId, onlyManager.changes, undefined),
      );
    } else if (left.length > 0) {
      return { kind: "DRIFT", remaining: left.map(summarizeStep) };
    }
    const assigned = assignedBy(planned);
    await employees.update(input.employeeKey, {
      worker: JSON.stringify(event.worker),
      workerAsOf: planned.workerAsOf,
      genesysUserId: input.userId,
      ...(assigned ? { assigned: JSON.stringify(assigned) } : {}),
      // Active again: whatever a leaver scheduled no longer applies.
      deactivatedAt: null,
      deleteAt: null,
    });
    await managerLinks.converged(input.employeeKey, event.worker, planned.state.manager !== null, {
      eventId: event.eventId,
    });
    return {
      kind: "CONVERGED",
      mappingVersion: loaded.version.version,
      inviteNeeded: plan.steps.some((s) => s.kind === "INVITE"),
    };
  }

  /** The profile this product assigns, remembered so a later mover removes only that. */
  function assignedBy(planned: Planned): AssignedSnapshot | undefined {
    const profile = mappedProfile(planned.event.worker, planned.loaded.mapping, planned.catalog);
    return profile && assignedSnapshot(profile, planned.loaded.version.version);
  }

  /**
   * Division access for the matched profile, checked before the first write (the user's edge case 2). Also when
   * its names did not resolve: a client without access to a division cannot see that division's queues either,
   * and the missing permission, not a missing queue, is what the operator must fix.
   */
  async function missingAccess(planned: Planned): Promise<string | undefined> {
    if (planned.plan.kind !== "PLANNED" && planned.plan.kind !== "UNKNOWN_NAMES") return undefined;
    const { mapping } = planned.loaded;
    const match = new ProfileMatcher(mapping).match(planned.event.worker);
    if (match.kind !== "MATCHED") return undefined;
    const report = await validateMapping({ ...mapping, profiles: [match.profile] }, org);
    const missing = report.problems.filter((p) => p.kind === "MISSING_PERMISSION").map((p) => p.message);
    if (missing.length === 0) return undefined;
    return `employee ${planned.event.worker.employeeId}: ${missing.join("; ")}. Grant the OAuth client a role with these permissions in those divisions, then replay the event.`;
  }

  return {
    prepareConverge: async (input: PrepareConvergeInput): Promise<PrepareConvergeResult> => {
      const planned = await classifyGenesys("reading the employee's Genesys state", async () => {
        const [one] = await planEvents([{ ...input, ...(input.lookup ? { known: input.lookup } : {}) }]);
        return one;
      });
      if (planned.kind === "RATE_LIMITED" || planned.kind === "FAILED") return planned;
      const { plan, loaded } = planned;
      if (plan.kind === "USER_INACTIVE")
        return { kind: "USER_INACTIVE", reason: `employee ${plan.employeeId}: ${plan.reason}` };
      const denied = await missingAccess(planned);
      if (denied) return { kind: "DIVISION_ACCESS_DENIED", reason: denied };
      if (plan.kind !== "PLANNED") {
        return {
          kind: "UNMAPPED",
          reason: `employee ${plan.employeeId}: ${plan.reason}`,
          withdraw: (plan.withdraw ?? []).map(plannedStep),
          mappingVersion: loaded.version.version,
          ...(plan.userId ? { userId: plan.userId } : {}),
        };
      }
      const deferred = (s: PlanStep) => input.deferQueuesAndInvite === true && DEFERRED_IN_BULK.has(s.kind);
      const steps = plan.steps.filter((s) => !deferred(s)).map(plannedStep);
      const deferredSteps = plan.steps.filter(deferred).length;
      return {
        kind: "PLANNED",
        mappingVersion: loaded.version.version,
        ...(plan.userId ? { userId: plan.userId } : {}),
        steps,
        ...(deferredSteps > 0 ? { deferredSteps } : {}),
      };
    },

    applyPlanStep: async (input: ApplyStepInput): Promise<ApplyStepResult> => {
      const context = {
        employeeKey: input.employeeKey,
        eventId: input.eventId,
        mappingVersion: input.mappingVersion,
      };
      let { userId, version } = input;
      const steps = [input.step, ...(input.then ?? [])];
      for (const [applied, step] of steps.entries()) {
        let result: ApplyStepResult;
        try {
          result = await withAuditContext(context, () =>
            classifyGenesys(`employee ${input.employeeKey}, step "${step.summary}"`, () =>
              applyStep(genesys, step.payload, userId, version),
            ),
          );
        } catch (error) {
          // A transient fault after the first step ends the call with what was applied: the caller's next call
          // starts at this step, and the Durable retry applies there.
          if (applied === 0) throw error;
          return progress(applied, userId, version);
        }
        if (result.kind === "FAILED") return { ...result, applied };
        // Likewise a rate limit: the next call waits it out, then applies the rest.
        if (result.kind === "RATE_LIMITED")
          return applied === 0 ? result : progress(applied, userId, version);
        userId = result.userId ?? userId;
        version = result.version;
      }
      return progress(steps.length, userId, version);
    },

    verifyConverged: async (input: VerifyConvergedInput): Promise<VerifyConvergedResult> => {
      const verified = await verify([input]);
      return Array.isArray(verified) ? verified[0] : verified;
    },

    /**
     * The read-back of many hires at once (a bulk slice): one read, then each hire settled as its caller goes.
     * `event`: the hire's event as the caller read it from the inbox, so it is not read again.
     */
    readBackMany: readBack,
  };
}

const progress = (
  applied: number,
  userId: string | undefined,
  version: number | undefined,
): ApplyStepResult => ({
  kind: "DONE",
  applied,
  ...(userId === undefined ? {} : { userId }),
  ...(version === undefined ? {} : { version }),
});

const plannedStep = (step: PlanStep): PlannedStep => ({
  kind: step.kind,
  summary: summarizeStep(step),
  payload: step,
});
