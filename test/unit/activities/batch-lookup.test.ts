import type { createConvergeActivities } from "../../../src/activities/converge";
import { createOnboardingActivities, type OnboardingDependencies } from "../../../src/activities/onboarding";
import type { HrEvent } from "../../../src/lifecycle/hr-event";
import type { InboxItem } from "../../../src/storage/inbox";

// Stand-ins for storage, the Genesys search and the read-back: what is tested is what the batch's activities
// read, and when.
describe("a batch's lookups and read-backs", () => {
  const item = (n: number): InboxItem => {
    const event: HrEvent = {
      eventId: `row-${n}`,
      type: "hire",
      effectiveDate: "2026-12-01",
      worker: {
        employeeId: String(n),
        email: `${n}@example.com`,
        firstName: "A",
        lastName: "B",
        title: "Agent",
      },
    };
    return {
      source: "batch",
      idempotencyKey: `b1:${n}`,
      messageId: "m1",
      status: "accepted",
      receivedAt: "2026-12-01T00:00:00Z",
      updatedAt: "2026-12-01T00:00:00Z",
      batchId: "b1",
      row: n + 1,
      event,
    };
  };

  it("searches Genesys while the employee records are still being read, and hands each hire what it found", async () => {
    const order: string[] = [];
    const onboarding = createOnboardingActivities(
      {
        inbox: { listBatch: async () => [1, 2, 3].map(item) },
        employees: {
          get: (key: string) =>
            new Promise((resolve) => setTimeout(() => (order.push(`record ${key}`), resolve(undefined)), 5)),
        },
        state: {
          lookUp: async (workers: Array<{ employeeId: string }>) => {
            order.push(`search ${workers.map((w) => w.employeeId).join(",")}`);
            return { users: new Map([["2", { id: "u-2", state: "inactive" }]]), managers: new Map() };
          },
        },
      } as unknown as OnboardingDependencies,
      {} as ReturnType<typeof createConvergeActivities>,
    );
    const found = await onboarding.lookUpBatchSlice({ batchId: "b1", from: 0, to: 3 });
    expect(order[0]).toBe("search 1,2,3");
    expect(order.slice(1).sort()).toEqual(["record 1", "record 2", "record 3"]);
    expect(found).toMatchObject({
      kind: "FOUND",
      hires: [
        { row: 0, lookup: { user: null, manager: null } },
        { row: 1, lookup: { user: { id: "u-2", state: "inactive" }, manager: null } },
        { row: 2, lookup: { user: null, manager: null } },
      ],
    });
  });

  it("hands the read-back each hire's event as the slice listed it, so the inbox is not read for it again", async () => {
    const readBack: Array<{ employeeKey: string; event?: HrEvent }> = [];
    const onboarding = createOnboardingActivities(
      {
        inbox: {
          listBatch: async () => [1, 2].map(item),
          // Asked only whether the hire's event is done already (it is, so nothing more is recorded).
          get: async () => ({ status: "done" }),
        },
        batches: {
          listRows: async () =>
            [1, 2].map((n) => ({
              position: n - 1,
              row: n + 1,
              employeeKey: String(n),
              state: "created",
              summary: "created",
              userId: `u-${n}`,
            })),
          listUnconfirmed: async () => new Set<string>(),
        },
        employees: { get: async () => undefined },
      } as unknown as OnboardingDependencies,
      {
        readBackMany: async (inputs: typeof readBack) => {
          readBack.push(...inputs);
          return inputs.map(() => async () => ({ kind: "DRIFT", remaining: ["join Tier_2"] }));
        },
      } as unknown as ReturnType<typeof createConvergeActivities>,
    );
    await onboarding.finishBatchSlice({ batchId: "b1", from: 0, to: 2 });
    expect(readBack.map(({ employeeKey, event }) => [employeeKey, event?.eventId])).toEqual([
      ["1", "row-1"],
      ["2", "row-2"],
    ]);
  });

  /** A read that says when it starts and ends, and ends on a later turn of the event loop. */
  const timed =
    <T>(order: string[], name: string, value: T) =>
    () => {
      order.push(`${name} started`);
      return new Promise<T>((resolve) => setImmediate(() => (order.push(`${name} ended`), resolve(value))));
    };

  it("reads a finishing slice's rows, report and unconfirmed users side by side", async () => {
    const order: string[] = [];
    const onboarding = createOnboardingActivities(
      {
        inbox: { listBatch: timed(order, "rows", []) },
        batches: {
          listRows: timed(order, "report", []),
          listUnconfirmed: (_: string, what: string) =>
            timed(order, `unconfirmed ${what}`, new Set<string>())(),
        },
      } as unknown as OnboardingDependencies,
      { readBackMany: async () => [] } as unknown as ReturnType<typeof createConvergeActivities>,
    );
    expect(await onboarding.finishBatchSlice({ batchId: "b1", from: 0, to: 100 })).toEqual({
      kind: "FINISHED",
      outcomes: [],
    });
    expect(order.slice(0, 4).sort()).toEqual([
      "report started",
      "rows started",
      "unconfirmed grants started",
      "unconfirmed queues started",
    ]);
  });

  it("reads the batch's rows and report for the queue join while the mapping loads", async () => {
    const order: string[] = [];
    const onboarding = createOnboardingActivities(
      {
        mappings: { getActive: timed(order, "mapping", undefined) },
        inbox: { listBatch: timed(order, "rows", []) },
        batches: { listRows: timed(order, "report", []) },
      } as unknown as OnboardingDependencies,
      {} as ReturnType<typeof createConvergeActivities>,
    );
    expect(await onboarding.joinBatchQueues({ batchId: "b1" })).toEqual({
      kind: "FAILED",
      reason: "no mapping is active",
    });
    expect(order.slice(0, 3).sort()).toEqual(["mapping started", "report started", "rows started"]);
  });
});
