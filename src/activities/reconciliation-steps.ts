import type { EmployeeState } from "../lifecycle/state";
import type { ReconciliationRepository } from "../storage/reconciliation";
import type { ReadCursor } from "./reconciliation.contract";

/**
 * What an attempt that stepped back (for the budget) or failed (on a transient fault, retried by the
 * orchestration) leaves for the next attempt of the same step: the calls it made (the run's cost counts
 * them), how many attempts failed (the run's back-offs count them), and where it got to: for a compare slice,
 * the employees' states it had read; for a read slice, the next page to read. None of it is read twice.
 */
export interface SteppedBack {
  calls: number;
  faults?: number;
  states?: [employeeKey: string, state: EmployeeState][];
  cursor?: ReadCursor;
}

/** What an attempt leaves when it fails on a transient fault: its calls and one more fault. */
export const failed = (
  earlier: SteppedBack,
  calls: number,
  left: Omit<SteppedBack, "calls" | "faults"> = {},
) => ({
  ...left,
  calls: earlier.calls + calls,
  faults: (earlier.faults ?? 0) + 1,
});

const steppedBackKey = (step: string) => `stepped-back:${step}`;
export const compareStep = (from: number) => `compare:${String(from).padStart(7, "0")}`;
/** Read slices run one after another: what a failed one leaves is for the attempt that retries it. */
export const READ_STEP = "read";

/** Where a run keeps what each step's attempts left, in the run's working data. */
export function steppedBackSteps(runs: Pick<ReconciliationRepository, "loadData" | "saveData">) {
  return {
    /** What earlier attempts of this step left when they stepped back or failed (nothing when none did). */
    steppedBack: async (runId: string, step: string): Promise<SteppedBack> => {
      const key = steppedBackKey(step);
      return (await runs.loadData<SteppedBack>(runId, key)).get(key) ?? { calls: 0 };
    },
    /** Keeps what an attempt did before it stepped back or failed, for the attempt that completes the step. */
    stepBack: async (runId: string, step: string, left: SteppedBack): Promise<void> => {
      await runs.saveData(runId, steppedBackKey(step), left);
    },
  };
}
