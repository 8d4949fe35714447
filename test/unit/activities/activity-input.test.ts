import { PrepareConvergeInputSchema } from "../../../src/activities/converge.contract";
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
});
