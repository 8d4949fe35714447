import { checkDeactivationGuard } from "../../../src/lifecycle/deactivation-guard";

const now = new Date("2026-12-01T12:00:00Z");
const hour = 3_600_000;
const times = (n: number, minutesAgo: number) =>
  Array.from({ length: n }, () => new Date(now.getTime() - minutesAgo * 60_000).toISOString());

describe("checkDeactivationGuard", () => {
  it.each([
    ["a normal day", { maxCount: 10, windowInMs: hour }, times(3, 10), 500, false],
    ["the count limit reached exactly", { maxCount: 10, windowInMs: hour }, times(9, 10), 500, false],
    ["one over the count limit", { maxCount: 10, windowInMs: hour }, times(10, 10), 500, true],
    ["old deactivations outside the window", { maxCount: 10, windowInMs: hour }, times(50, 61), 500, false],
    ["a share over the limit", { maxShare: 0.1, windowInMs: hour }, times(10, 5), 100, true],
    ["a share under the limit", { maxShare: 0.1, windowInMs: hour }, times(8, 5), 100, false],
    ["no limits configured", { windowInMs: hour }, times(400, 5), 500, false],
    [
      "one leaver in a small pilot: too few for a share to mean anything",
      { maxShare: 0.1, windowInMs: hour },
      times(0, 5),
      3,
      false,
    ],
    [
      "the share counts from the minimum on",
      { maxShare: 0.1, minCountForShare: 2, windowInMs: hour },
      times(1, 5),
      3,
      true,
    ],
  ])("%s", (_name, policy, recent, managed, expected) => {
    const decision = checkDeactivationGuard(policy, {
      recentDeactivations: recent,
      managedUserCount: managed,
      now,
    });
    expect(decision.approvalRequired).toBe(expected);
  });

  it("explains the pause in words an operator understands", () => {
    expect(
      checkDeactivationGuard(
        { maxShare: 0.1, windowInMs: hour },
        { recentDeactivations: times(49, 5), managedUserCount: 100, now },
      ),
    ).toEqual({
      approvalRequired: true,
      reason: "50 of 100 managed users (50%) deactivated within 1 h exceed the limit of 10%",
    });
  });
});
