import { ownWaitInMs, USERS_IN_FLIGHT } from "../../../src/adapters/genesys-snapshot";
import { RateBudget } from "../../../src/genesys";

describe("the wait for the budget a reconciliation run's own reads explain", () => {
  const requestsPerMinute = 300;
  const setUp = () => {
    const clock = { now: 0 };
    const budget = new RateBudget({ requestsPerWindow: requestsPerMinute, now: () => clock.now });
    return { budget, limit: ownWaitInMs(requestsPerMinute) };
  };

  it("lets the run go on at the budget's pace with its own reads in flight", () => {
    const { budget, limit } = setUp();
    // Its reads in flight took their slots at once; the next read is the run's own too.
    for (let i = 0; i < USERS_IN_FLIGHT; i++) expect(budget.reserve(limit).granted).toBe(true);
    expect(budget.reserve(limit)).toMatchObject({
      granted: true,
      waitInMs: USERS_IN_FLIGHT * budget.intervalInMs,
    });
  });

  it("steps back as soon as one request of other work is queued for the budget", () => {
    const { budget, limit } = setUp();
    for (let i = 0; i < USERS_IN_FLIGHT; i++) expect(budget.reserve(limit).granted).toBe(true);
    // An event's request, from a client that waits as long as it must.
    expect(budget.reserve(10_000).granted).toBe(true);
    expect(budget.reserve(limit)).toMatchObject({ granted: false });
  });
});
