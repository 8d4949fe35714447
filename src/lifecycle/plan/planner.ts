import type { HrEventType, HrWorker } from "../hr-event";
import type { Mapping } from "../mapping";
import { ProfileMatcher } from "../match";
import type { Catalog } from "../org";
import { desiredProfile, resolveProfile, type MissingName } from "../profile";
import type { AssignedSnapshot, EmployeeState } from "../state";
import { planConverge, planWithdraw, type ConvergeContext } from "./converge-steps";
import { AssignmentDiff, assignedSnapshot } from "./diff";
import { planLeaver } from "./leaver-steps";
import type { PlanStep } from "./step";

export type EmployeePlan =
  | {
      kind: "PLANNED";
      employeeId: string;
      eventId?: string;
      eventType: HrEventType;
      mappingVersion?: number;
      /**
       * What this product will have assigned once the steps are applied: record it, and the next plan for this
       * employee may take exactly this back. Absent for leavers, whose assignments are snapshotted instead.
       */
      assigned?: AssignedSnapshot;
      userId: string | null;
      profileIndex?: number;
      steps: PlanStep[];
      notes: string[];
    }
  | {
      kind: "UNMAPPED_TITLE" | "AMBIGUOUS_MATCH" | "UNKNOWN_NAMES" | "IDENTITY_CONFLICT" | "USER_INACTIVE";
      employeeId: string;
      eventId?: string;
      eventType: HrEventType;
      mappingVersion?: number;
      reason: string;
      missing?: MissingName[];
      /**
       * An active user this product provisioned whose new title the mapping does not know: what the product
       * assigned is taken away (off queue first, then queues, roles, skills, languages); the account stays.
       */
      withdraw?: PlanStep[];
      userId?: string;
    };

export interface PlanOptions {
  /** Send the activation email to a user who has none yet; off for SSO-only orgs. Default true. */
  invite?: boolean;
  /** The stored mapping version planned with; carried into every plan for the audit trail. */
  mappingVersion?: number;
}

export interface PlanInput {
  eventId?: string;
  type: HrEventType;
  worker: HrWorker;
  /** Whether a user found inactive or deleted may be restored; a change never reactivates. Default true. */
  reactivate?: boolean;
}

/**
 * A mapping and a catalog compiled once, then used for every employee of a batch. It decides which plan an
 * event gets (converge, leaver, withdrawal, or none and why); the steps themselves are planned in
 * `converge-steps.ts` and `leaver-steps.ts`, by the ownership rule in `diff.ts`.
 */
export class Planner {
  private readonly matcher: ProfileMatcher;
  private readonly converge: ConvergeContext;

  constructor(
    private readonly mapping: Mapping,
    private readonly catalog: Catalog,
    private readonly options: PlanOptions = {},
  ) {
    this.matcher = new ProfileMatcher(mapping);
    this.converge = {
      catalog,
      diff: new AssignmentDiff(catalog, new Set(mapping.owns)),
      invite: options.invite ?? true,
    };
  }

  plan(input: PlanInput, employee: EmployeeState): EmployeePlan {
    const base = {
      employeeId: input.worker.employeeId,
      eventId: input.eventId,
      eventType: input.type,
      mappingVersion: this.options.mappingVersion,
    };
    const { user } = employee;
    if (user?.employeeId !== undefined && user.employeeId !== input.worker.employeeId) {
      // Found by email, but the account belongs to another employee: never take it over.
      return {
        ...base,
        kind: "IDENTITY_CONFLICT",
        reason:
          `the Genesys user ${user.id} with email ${user.email} belongs to employee ${user.employeeId}, ` +
          `not ${input.worker.employeeId}: correct the email in HR or the employee id in Genesys`,
      };
    }
    const leaver = input.type === "terminate" || input.type === "leave_start";
    if (!leaver && input.reactivate === false && user !== null && user.state !== "active") {
      return {
        ...base,
        kind: "USER_INACTIVE",
        userId: user.id,
        reason: `the Genesys user ${user.id} is ${user.state} and a ${input.type} does not reactivate it (a rehire or the end of a leave does): recorded, nothing written`,
      };
    }
    const desired = desiredProfile(input.worker, this.mapping, this.matcher);
    if (leaver) {
      // Nothing a leaver does depends on the title: an unmapped (brownfield) one leaves by the mapping's defaults.
      const resolved = desired.kind === "DESIRED" ? resolveProfile(desired.profile, this.catalog) : undefined;
      const profile = resolved?.kind === "RESOLVED" ? resolved.profile : undefined;
      const result = planLeaver(
        this.catalog,
        this.mapping.defaults.leaver,
        input.type as "terminate" | "leave_start",
        profile,
        employee,
      );
      const why =
        desired.kind !== "DESIRED" ? desired.reason : resolved?.kind === "UNKNOWN_NAMES" && resolved.reason;
      if (why) result.notes.unshift(`${why}: the mapping's leaver defaults apply`);
      return {
        ...base,
        kind: "PLANNED",
        userId: employee.user?.id ?? null,
        ...(profile ? { profileIndex: profile.profileIndex } : {}),
        ...result,
      };
    }
    if (desired.kind === "UNMAPPED_TITLE" && user?.state === "active" && employee.previous) {
      const withdraw = planWithdraw(this.converge.diff, user, employee.previous);
      if (withdraw.length > 0)
        return { ...base, kind: desired.kind, reason: desired.reason, withdraw, userId: user.id };
    }
    if (desired.kind !== "DESIRED") return { ...base, kind: desired.kind, reason: desired.reason };
    const resolved = resolveProfile(desired.profile, this.catalog);
    if (resolved.kind !== "RESOLVED") {
      return { ...base, kind: "UNKNOWN_NAMES", reason: resolved.reason, missing: resolved.missing };
    }
    return {
      ...base,
      kind: "PLANNED",
      userId: employee.user?.id ?? null,
      profileIndex: resolved.profile.profileIndex,
      ...planConverge(this.converge, resolved.profile, employee, input.worker),
      assigned: assignedSnapshot(resolved.profile, this.options.mappingVersion),
    };
  }
}
