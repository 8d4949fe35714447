import type { EmployeePlan } from "./planner";
import type { PlanStepKind } from "./step";

export interface PlanTotals {
  employees: number;
  planned: number;
  unchanged: number;
  unmapped: number;
  ambiguous: number;
  unknownNames: number;
  identityConflicts: number;
  steps: number;
  byStep: Partial<Record<PlanStepKind, number>>;
}

/** Totals for a dry-run report: how many employees fall in each outcome and how many steps of each kind. */
export function summarizePlans(plans: readonly EmployeePlan[]): PlanTotals {
  const totals: PlanTotals = {
    employees: plans.length,
    planned: 0,
    unchanged: 0,
    unmapped: 0,
    ambiguous: 0,
    unknownNames: 0,
    identityConflicts: 0,
    steps: 0,
    byStep: {},
  };
  for (const plan of plans) {
    switch (plan.kind) {
      case "PLANNED":
        if (plan.steps.length === 0) totals.unchanged++;
        else totals.planned++;
        for (const step of plan.steps) {
          totals.steps++;
          totals.byStep[step.kind] = (totals.byStep[step.kind] ?? 0) + 1;
        }
        break;
      case "UNMAPPED_TITLE":
        totals.unmapped++;
        break;
      case "AMBIGUOUS_MATCH":
        totals.ambiguous++;
        break;
      case "UNKNOWN_NAMES":
        totals.unknownNames++;
        break;
      case "IDENTITY_CONFLICT":
        totals.identityConflicts++;
        break;
    }
  }
  return totals;
}
