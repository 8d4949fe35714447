import path from "node:path";
import { startLocalHost, type LocalHost } from "../../../local/host";
import type { BatchHire, SettledHire } from "../../../src/activities/onboarding.contract";
import {
  SLICE_STAGGER_IN_MS,
  ONBOARDING_BATCH_ORCHESTRATOR,
  SLICES_IN_FLIGHT,
} from "../../../src/orchestrators/onboarding";
import { script } from "../../fixtures/lifecycle-app";

const entry = path.resolve(__dirname, "../../fixtures/lifecycle-app/index.ts");

/**
 * From the scripted calls: slices started (a slice starts with its first hire's prepare and ends when its
 * outcomes are recorded), the most converging at once, and the most hires prepared in one.
 */
function slicesInFlight() {
  const sliceOf = (row: number) => Math.floor(row / 10);
  const inFlight = new Set<number>();
  const prepares = new Map<number, number>();
  let mostInFlight = 0;
  for (const call of script.calls) {
    if (call.name === "recordBatchOutcomes") inFlight.delete(sliceOf(call.input.outcomes[0].row));
    if (call.name === "prepareConverge") {
      const slice = sliceOf(Number(call.input.employeeKey.slice(1)));
      inFlight.add(slice);
      prepares.set(slice, (prepares.get(slice) ?? 0) + 1);
    }
    mostInFlight = Math.max(mostInFlight, inFlight.size);
  }
  return { started: prepares.size, mostInFlight, mostPrepares: Math.max(...prepares.values()) };
}

/** Where the first scripted call to `name` whose input matches stands among all the calls. */
function at(
  name: string,
  match: (input: { from?: number; employeeKey?: string; outcomes?: { row: number }[] }) => boolean,
): number {
  return script.calls.findIndex((c) => c.name === name && match(c.input));
}

describe("bulk onboarding orchestration", () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startLocalHost({ entry, port: 0, clock: "virtual", log: () => undefined });
  });
  afterAll(() => host.stop());

  beforeEach(() => {
    script.calls.splice(0);
    script.activities = {
      // Rows divisible by 50 are unknown titles; row 7 duplicates row 6; rows divisible by 10 are rehires.
      lookUpBatchSlice: ({ from, to }: { from: number; to: number }) => {
        const hires: BatchHire[] = [];
        const settled: SettledHire[] = [];
        for (let row = from; row < to; row++) {
          const employeeKey = `E${row === 7 ? 6 : row}`;
          if (row === 7)
            settled.push({
              row,
              line: row + 2,
              employeeKey,
              outcome: { kind: "NOTHING_TO_DO", summary: "duplicate of row 6" },
            });
          else
            hires.push({
              row,
              line: row + 2,
              employeeKey,
              event: { key: `b1:${row}`, eventId: `b1:${row}`, type: "hire", effectiveDate: "2026-12-01" },
              transition: {
                state: "not_provisioned",
                action: { kind: "CONVERGE", reactivate: true },
                why: "joiner",
              },
            });
        }
        return { kind: "FOUND", hires, settled };
      },
      prepareConverge: ({ employeeKey }: { employeeKey: string }) => {
        const row = Number(employeeKey.slice(1));
        if (row % 50 === 0) return { kind: "UNMAPPED", reason: "unknown title" };
        return {
          kind: "PLANNED",
          mappingVersion: 1,
          ...(row % 10 === 0 ? { userId: `u${row}` } : {}),
          steps: [{ kind: row % 10 === 0 ? "RESTORE_USER" : "CREATE_USER", summary: "create", payload: {} }],
        };
      },
      applyPlanStep: ({ employeeKey }: { employeeKey: string }) => ({
        kind: "DONE",
        userId: `u-${employeeKey}`,
      }),
      verifyConverged: () => ({ kind: "CONVERGED" }),
      recordBatchOutcomes: () => undefined,
      joinBatchQueues: () => ({ kind: "JOINED", queues: 2, members: 100 }),
      finishBatchSlice: ({ from, to }: { from: number; to: number }) => ({
        kind: "FINISHED",
        outcomes: Array.from({ length: to - from }, (_, i) => ({
          row: from + i,
          employeeKey: `E${from + i}`,
          outcome:
            from + i === 123
              ? { kind: "QUARANTINED", reason: "read-back drift" }
              : { kind: "APPLIED", summary: "invited" },
        })),
      }),
      completeBatch: () => undefined,
    };
  });

  it("onboards 250 hires in slices of 10, accounts for every one, and keeps history bounded", async () => {
    const id = host.durable.start(ONBOARDING_BATCH_ORCHESTRATOR.name, {
      instanceId: "batch-b1",
      input: { batchId: "b1", total: 250, sliceSize: 10, sliceIntervalInMs: 1000, schedule: 2 },
    });
    const started = host.clock.now();
    const status = await host.durable.waitForStatus(id);
    const totals = {
      total: 250,
      pending: 0,
      created: 223,
      restored: 20,
      updated: 0,
      unchanged: 1,
      failed: 6,
    };
    // Failed: 5 unknown titles (rows 0, 50, …) and 1 drift on read-back; unchanged: the duplicate row.
    expect(status?.output).toEqual(totals);
    expect(status?.customStatus).toEqual({ batchId: "b1", phase: "done", ...totals });
    expect(script.calls.filter((c) => c.name === "completeBatch").map((c) => c.input)).toEqual([
      { batchId: "b1", totals },
    ]);

    // Looked up a hundred rows at a time (a search finds a hundred users in one call), within each
    // execution's 200 rows, but for the first slices' rows: alone, so those slices start sooner.
    expect(script.calls.filter((c) => c.name === "lookUpBatchSlice").map((c) => c.input)).toEqual([
      { batchId: "b1", from: 0, to: 30 },
      { batchId: "b1", from: 30, to: 130 },
      { batchId: "b1", from: 130, to: 200 },
      { batchId: "b1", from: 200, to: 250 },
    ]);

    // Throttled: slices of at most 10, one started per second.
    const slices = slicesInFlight();
    expect(slices.started).toBe(25);
    expect(slices.mostPrepares).toBeLessThanOrEqual(10);
    expect(slices.mostInFlight).toBeLessThanOrEqual(SLICES_IN_FLIGHT);
    expect(host.clock.now() - started).toBeGreaterThanOrEqual(24 * 1000);
    // Queues are joined once, after every user exists, and before any invitation.
    const order = script.calls.map((c) => c.name);
    expect(order.filter((n) => n === "joinBatchQueues")).toHaveLength(1);
    expect(order.lastIndexOf("applyPlanStep")).toBeLessThan(order.indexOf("joinBatchQueues"));
    expect(order.indexOf("joinBatchQueues")).toBeLessThan(order.indexOf("finishBatchSlice"));

    // continueAsNew every 20 slices: the last execution's history is small whatever the batch size.
    const history = host.durable.status(id, { showHistory: true })?.historyEvents ?? [];
    expect(history.length).toBeLessThan(250);
  });

  it("keeps a few slices in flight when no interval is set, never more", async () => {
    // The first slice's hires are rate limited once and wait five seconds: the next slices start meanwhile.
    const prepare = script.activities.prepareConverge;
    const limited = new Set<string>();
    script.activities.prepareConverge = (input: { employeeKey: string }) => {
      if (Number(input.employeeKey.slice(1)) >= 10 || limited.has(input.employeeKey)) return prepare(input);
      limited.add(input.employeeKey);
      return { kind: "RATE_LIMITED", retryAfterInMs: 5_000 };
    };
    const id = host.durable.start(ONBOARDING_BATCH_ORCHESTRATOR.name, {
      input: { batchId: "b3", total: 100, sliceSize: 10, sliceIntervalInMs: 0, schedule: 2 },
    });
    const status = await host.durable.waitForStatus(id);
    expect(status?.output).toMatchObject({ total: 100, pending: 0 });
    const slices = slicesInFlight();
    expect(slices.started).toBe(10);
    expect(slices.mostInFlight).toBeLessThanOrEqual(SLICES_IN_FLIGHT);
    // Slice 0 finished at all, so slice 1 ran beside it; and never more than SLICES_IN_FLIGHT at once.
    expect(slices.mostInFlight).toBeGreaterThan(1);
    // Finished a hundred rows at a time: the read-back lists a hundred users in one call.
    expect(script.calls.filter((c) => c.name === "finishBatchSlice").map((c) => c.input)).toEqual([
      { batchId: "b3", from: 0, to: 100 },
    ]);
  });

  it("looks up only the first slices' rows before they start, the rest with a later slice, again after a rate limit", async () => {
    // Rows 30-129 are rate limited the first time they are looked up.
    const lookUp = script.activities.lookUpBatchSlice;
    const limitedAt: number[] = [];
    script.activities.lookUpBatchSlice = (input: { from: number; to: number }) => {
      if (input.from !== 30) return lookUp(input);
      limitedAt.push(host.clock.now());
      return limitedAt.length === 1 ? { kind: "RATE_LIMITED", retryAfterInMs: 5_000 } : lookUp(input);
    };
    const id = host.durable.start(ONBOARDING_BATCH_ORCHESTRATOR.name, {
      input: { batchId: "b4", total: 200, sliceSize: 10, sliceIntervalInMs: 0, schedule: 2 },
    });
    const status = await host.durable.waitForStatus(id);
    expect(status?.output).toMatchObject({ total: 200, pending: 0 });
    expect(script.calls.filter((c) => c.name === "lookUpBatchSlice").map((c) => c.input)).toEqual([
      { batchId: "b4", from: 0, to: 30 },
      { batchId: "b4", from: 30, to: 130 },
      { batchId: "b4", from: 130, to: 200 },
      { batchId: "b4", from: 30, to: 130 },
    ]);
    expect(limitedAt[1] - limitedAt[0]).toBeGreaterThanOrEqual(5_000);
    // The rest was looked up once the first two slices had started, and before any of its rows converged.
    const restLookedUp = at("lookUpBatchSlice", (i) => i.from === 30);
    expect(restLookedUp).toBeGreaterThan(at("prepareConverge", (i) => i.employeeKey === "E11"));
    expect(restLookedUp).toBeLessThan(at("prepareConverge", (i) => i.employeeKey === "E31"));
    expect(slicesInFlight().started).toBe(20);
  });

  it("looks each row up once when slices do not line up with lookups", async () => {
    // Slices of 25: the first lookup covers the first three slices (75 rows), the next ones cut slices in two.
    const id = host.durable.start(ONBOARDING_BATCH_ORCHESTRATOR.name, {
      input: { batchId: "b8", total: 260, sliceSize: 25, sliceIntervalInMs: 0, schedule: 2 },
    });
    const status = await host.durable.waitForStatus(id);
    expect(status?.output).toMatchObject({ total: 260, pending: 0, unchanged: 1 });
    expect(script.calls.filter((c) => c.name === "lookUpBatchSlice").map((c) => c.input)).toEqual([
      { batchId: "b8", from: 0, to: 75 },
      { batchId: "b8", from: 75, to: 175 },
      { batchId: "b8", from: 175, to: 260 },
    ]);
    // Every hire converged once (row 7 repeats row 6 and is settled in the lookup).
    const prepared = script.calls.filter((c) => c.name === "prepareConverge").map((c) => c.input.employeeKey);
    expect(prepared).toHaveLength(259);
    expect(new Set(prepared).size).toBe(259);
  });

  it("finishes a batch the previous schedule started, on that schedule, looking each row up once", async () => {
    script.onboardingFlow = "previous";
    // Row 15's hire waits out a rate limit, so the batch is still in its first execution when today's code
    // takes over.
    const prepare = script.activities.prepareConverge;
    let limited = false;
    script.activities.prepareConverge = (input: { employeeKey: string }) => {
      if (input.employeeKey !== "E15" || limited) return prepare(input);
      limited = true;
      return { kind: "RATE_LIMITED", retryAfterInMs: 42_000 };
    };
    try {
      const id = host.durable.start(ONBOARDING_BATCH_ORCHESTRATOR.name, {
        input: { batchId: "b7", total: 450, sliceSize: 10, sliceIntervalInMs: 0 },
      });
      await host.durable.settle();
      expect(host.durable.status(id)?.runtimeStatus).toBe("Running");
      // Deployed while the batch waits: it replays its history with today's code from here on.
      script.onboardingFlow = "current";
      const status = await host.durable.waitForStatus(id);
      expect(status).toMatchObject({ runtimeStatus: "Completed", output: { total: 450, pending: 0 } });
      expect(script.calls.filter((c) => c.name === "lookUpBatchSlice").map((c) => c.input)).toEqual(
        [0, 100, 200, 300, 400].map((from) => ({ batchId: "b7", from, to: Math.min(from + 100, 450) })),
      );
      expect(slicesInFlight().started).toBe(45);
    } finally {
      script.onboardingFlow = "current";
    }
  });

  it("looks the next execution's rows up while this one's slices run, and again after a rate limit", async () => {
    // Rows 200-299 are rate limited the first time they are looked up.
    const lookUp = script.activities.lookUpBatchSlice;
    let limited = false;
    script.activities.lookUpBatchSlice = (input: { from: number; to: number }) => {
      if (input.from !== 200 || limited) return lookUp(input);
      limited = true;
      return { kind: "RATE_LIMITED", retryAfterInMs: 5_000 };
    };
    const id = host.durable.start(ONBOARDING_BATCH_ORCHESTRATOR.name, {
      input: { batchId: "b6", total: 450, sliceSize: 10, sliceIntervalInMs: 0, schedule: 2 },
    });
    const status = await host.durable.waitForStatus(id);
    expect(status?.output).toMatchObject({ total: 450, pending: 0 });
    const lookUps = script.calls.filter((c) => c.name === "lookUpBatchSlice").map((c) => c.input);
    expect(lookUps).toEqual(
      [
        [0, 30],
        [30, 130],
        [130, 200],
        [200, 300],
        [300, 400],
        [200, 300],
        [400, 450],
      ].map(([from, to]) => ({ batchId: "b6", from, to })),
    );
    // Rows 200-399 (the second execution's) were looked up before the first execution's last slice ended.
    const lastSliceOfFirst = at("recordBatchOutcomes", (i) => i.outcomes?.[0].row === 190);
    expect(at("lookUpBatchSlice", (i) => i.from === 200)).toBeLessThan(lastSliceOfFirst);
    expect(at("lookUpBatchSlice", (i) => i.from === 300)).toBeLessThan(lastSliceOfFirst);
    // Midway through the execution (with its eleventh slice), not beside the reads of its first slices.
    expect(at("lookUpBatchSlice", (i) => i.from === 200)).toBeGreaterThan(
      at("prepareConverge", (i) => i.employeeKey === "E91"),
    );
  });

  it("starts slices a little apart even with no interval set, converging and finishing alike", async () => {
    const startedAt = { converge: [] as number[], finish: [] as number[] };
    const prepare = script.activities.prepareConverge;
    script.activities.prepareConverge = (input: { employeeKey: string }) => {
      // A slice's first hire (rows 0, 10, 20, …) says when its slice started.
      if (Number(input.employeeKey.slice(1)) % 10 === 0) startedAt.converge.push(host.clock.now());
      return prepare(input);
    };
    const finish = script.activities.finishBatchSlice;
    script.activities.finishBatchSlice = (input: { from: number; to: number }) => {
      startedAt.finish.push(host.clock.now());
      return finish(input);
    };
    const id = host.durable.start(ONBOARDING_BATCH_ORCHESTRATOR.name, {
      input: { batchId: "b5", total: 300, sliceSize: 10, sliceIntervalInMs: 0, schedule: 2 },
    });
    const status = await host.durable.waitForStatus(id);
    expect(status?.output).toMatchObject({ total: 300, pending: 0 });
    expect(startedAt.converge).toHaveLength(30);
    expect(startedAt.finish).toHaveLength(3);
    for (const times of [startedAt.converge.slice(0, SLICES_IN_FLIGHT), startedAt.finish])
      for (let i = 1; i < times.length; i++)
        expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(SLICE_STAGGER_IN_MS);
  });

  it("invites nobody when the queues cannot be joined, and says so in the totals", async () => {
    script.activities.joinBatchQueues = () => ({
      kind: "FAILED",
      reason: "403 routing:queue:edit in Support",
    });
    const id = host.durable.start(ONBOARDING_BATCH_ORCHESTRATOR.name, {
      input: { batchId: "b2", total: 20, sliceSize: 10, sliceIntervalInMs: 1000, schedule: 2 },
    });
    const status = await host.durable.waitForStatus(id);
    expect(status?.output).toMatchObject({ total: 20, failed: 19, unchanged: 1 });
    expect(script.calls.some((c) => c.name === "finishBatchSlice")).toBe(false);
    expect(script.calls.find((c) => c.name === "completeBatch")?.input).toMatchObject({
      reason: "403 routing:queue:edit in Support",
    });
  });
});
