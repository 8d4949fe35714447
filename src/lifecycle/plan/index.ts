/**
 * The planner: `plan = diff(desired, current, previously assigned)` → ordered, typed steps. `planner.ts` decides
 * which plan an event gets; `converge-steps.ts` and `leaver-steps.ts` plan the steps; `diff.ts` holds the
 * ownership rule; `step.ts` the step schema the applying activity checks; `summary.ts` the dry-run totals.
 */
export { assignedSnapshot } from "./diff";
export { Planner, type EmployeePlan, type PlanInput, type PlanOptions } from "./planner";
export {
  PlanStepSchema,
  type FieldChange,
  type LeveledChange,
  type PlanStep,
  type PlanStepKind,
  type TransferTargetRef,
} from "./step";
export { summarizePlans, type PlanTotals } from "./summary";
