import {
  APPLY_STEP,
  ApplyStepInputSchema,
  PrepareConvergeInputSchema,
} from "../../../src/activities/converge.contract";
import { BatchSliceInputSchema } from "../../../src/activities/onboarding.contract";
import { ActivityInputError, withValidatedInput } from "../../../src/functions/activity-input";

describe("activity inputs are checked against the contract before anything runs", () => {
  it("hands a valid input to the activity", async () => {
    const seen: unknown[] = [];
    const prepare = withValidatedInput("prepareConverge", PrepareConvergeInputSchema, async (input) => {
      seen.push(input);
      return "planned";
    });
    const input = {
      employeeKey: "100482",
      eventKey: "events:hire-100482",
      lookup: { user: null, manager: { id: "u-9", name: "Mary Manager" } },
    };
    await expect(prepare(input)).resolves.toBe("planned");
    expect(seen).toEqual([input]);
  });

  it("refuses a bad input with every problem named, and never runs the activity", async () => {
    const run = jest.fn();
    const slice = withValidatedInput("lookUpBatchSlice", BatchSliceInputSchema, run);
    const refused = slice({ batchId: "", from: 20, to: 10 });
    await expect(refused).rejects.toBeInstanceOf(ActivityInputError);
    await expect(refused).rejects.toThrow(/^activity lookUpBatchSlice refused its input: batchId: /);
    await expect(
      withValidatedInput("prepareConverge", PrepareConvergeInputSchema, run)({ employeeKey: "1" }),
    ).rejects.toThrow("eventKey");
    await expect(slice({ batchId: "b1", from: 20, to: 10 })).rejects.toThrow("from must not be after to");
    expect(run).not.toHaveBeenCalled();
  });

  describe("a plan step to apply", () => {
    const grant = {
      kind: "GRANT_ROLES",
      grants: [{ role: { id: "role-1", name: "Agent" }, division: { id: "div-support", name: "Support" } }],
    };
    const input = (step: object) => ({
      employeeKey: "100482",
      eventId: "wd-1",
      mappingVersion: 3,
      userId: "u-jane",
      step: { kind: "GRANT_ROLES", summary: "grant Agent in Support", ...step },
    });

    it("reaches the activity with its payload checked against the plan step schema", async () => {
      const applied: unknown[] = [];
      const apply = withValidatedInput(APPLY_STEP.name, ApplyStepInputSchema, async ({ step }) => {
        applied.push(step.payload);
        return step.payload.kind === "GRANT_ROLES" ? step.payload.grants.map((g) => g.role.id) : [];
      });
      await expect(apply(input({ payload: grant }))).resolves.toEqual(["role-1"]);
      expect(applied).toEqual([grant]);
    });

    it("is refused when the payload is not a step the planner makes, or not the step it claims to be", async () => {
      const run = jest.fn();
      const apply = withValidatedInput(APPLY_STEP.name, ApplyStepInputSchema, run);
      await expect(apply(input({ payload: { kind: "GRANT_ROLES" } }))).rejects.toThrow(
        "activity applyPlanStep refused its input: step.payload.grants: ",
      );
      await expect(apply(input({ payload: { kind: "WIPE_USER" } }))).rejects.toThrow("step.payload.kind: ");
      await expect(apply(input({ kind: "INVITE", payload: grant }))).rejects.toThrow(
        "step.kind: must be the kind of the step in payload",
      );
      expect(run).not.toHaveBeenCalled();
    });
  });
});
