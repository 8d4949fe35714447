import path from "node:path";
import { startLocalHost, type LocalHost } from "../../../local/host";
import type { HistoryEvent } from "../../../local/host/durable/protocol";
import { afterAnswer } from "../../../src/functions/after-answer";
import { probe } from "../../fixtures/host-app";

const entry = path.resolve(__dirname, "../../fixtures/host-app/index.ts");
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("local host: Durable orchestrations on the virtual clock", () => {
  let host: LocalHost;
  const logs: string[] = [];
  beforeAll(async () => {
    host = await startLocalHost({ entry, port: 0, clock: "virtual", log: (line) => logs.push(line) });
  });
  afterAll(() => host.stop());

  it("fans out 1,000 activities in batches of 10, never running more than host.json allows", async () => {
    probe.maxRunning = 0;
    probe.squares = 0;
    const id = host.durable.start("fanOut", { input: { count: 1000, batchSize: 10 } });
    const status = await host.durable.waitForStatus(id);
    let expected = 0;
    for (let i = 0; i < 1000; i++) expected += i * i;
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: { count: 1000, sum: expected },
      customStatus: { batch: 100, done: 1000 },
    });
    expect(probe.squares).toBe(1000);
    expect(probe.maxRunning).toBe(10);
  });

  it("settle() also waits for work the app left running after an HTTP answer", async () => {
    let finish!: () => void;
    afterAnswer.track(new Promise<void>((resolve) => (finish = resolve)));
    let settled = false;
    const settling = host.durable.settle().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    finish();
    await settling;
    expect(settled).toBe(true);
  });

  it("Task.any: the event wins and the losing timer is cancelled", async () => {
    const id = host.durable.start("approval");
    await host.durable.settle();
    expect(host.durable.status(id)?.runtimeStatus).toBe("Running");
    await host.durable.advance(30 * 60_000);
    expect(host.durable.raiseEvent(id, "Approve", { user: "grace" })).toBe("accepted");
    await host.durable.settle();
    const status = host.durable.status(id, { showHistory: true })!;
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: { approved: true, by: { user: "grace" } },
    });
    const history = status.historyEvents as HistoryEvent[];
    expect(history.filter((e) => e.EventType === 10)).toHaveLength(1); // the timer was created...
    expect(history.filter((e) => e.EventType === 11)).toHaveLength(0); // ...and never fired
    await host.durable.runUntilIdle(); // nothing left: the cancelled timer does not hold the clock
  });

  it("Task.any: the timer wins when no event comes", async () => {
    const id = host.durable.start("approval");
    const startedAt = host.clock.now();
    const status = await host.durable.waitForStatus(id);
    expect(status.output).toEqual({ approved: false, at: new Date(startedAt + HOUR).toISOString() });
    expect(host.durable.raiseEvent(id, "Approve", {})).toBe("gone");
  });

  it("retries with RetryOptions back-off, then reports an exhausted retry", async () => {
    const id = host.durable.start("retries", { input: { key: "r1", failures: 2, attempts: 3 } });
    const startedAt = host.clock.now();
    const status = await host.durable.waitForStatus(id);
    // a: fails twice (waits 1 s, 2 s), succeeds on 3; b: fails 3 times with waits 1 s, 2 s, 4 s, then gives up.
    expect(status.output).toEqual({
      first: "r1-a ok on attempt 3",
      after: "Hello, after retries!",
      exhausted: expect.stringContaining("flaky r1-b failed attempt 3"),
      at: new Date(startedAt + 3000 + 7000).toISOString(),
    });
    expect(probe.flakyCalls).toMatchObject({ "r1-a": 3, "r1-b": 3 });
  });

  it("stops retrying once retryTimeoutInMilliseconds has passed, failing with the last error", async () => {
    const id = host.durable.start("retryWindow", { instanceId: "window-1" });
    const status = await host.durable.waitForStatus(id);
    // attempts at 0 s and 1 s are inside the window, the one at 2 s is the last: no more calls after it
    expect(status.output).toContain("flaky window-1 failed attempt 3");
    expect(probe.flakyCalls["window-1"]).toBe(3);
  });

  it("fails the instance when an exhausted retry is not caught", async () => {
    const id = host.durable.start("retriesUncaught");
    const status = await host.durable.waitForStatus(id);
    expect(status.runtimeStatus).toBe("Failed");
    expect(String(status.output)).toContain("failed attempt 2");
  });

  it("catches a non-deterministic orchestrator and says what differed", async () => {
    probe.nonDeterministicEpisodes = 0;
    const id = host.durable.start("nonDeterministic");
    const status = await host.durable.waitForStatus(id);
    expect(status.runtimeStatus).toBe("Failed");
    expect(status.output).toContain("orchestrator 'nonDeterministic'");
    expect(status.output).toContain("sequence number 0");
    expect(status.output).toContain("the history has CallActivity 'square'");
    expect(status.output).toContain("the replay asked for CallActivity 'greet'");
  });

  it("terminates a waiting instance and refuses events afterwards", async () => {
    const id = host.durable.start("waitForever");
    await host.durable.settle();
    expect(host.durable.terminate(id, "no longer needed")).toBe("accepted");
    expect(host.durable.status(id)).toMatchObject({
      runtimeStatus: "Terminated",
      output: "no longer needed",
    });
    expect(host.durable.terminate(id, "again")).toBe("gone");
    expect(host.durable.raiseEvent(id, "never", 1)).toBe("gone");
  });

  it("buffers events raised before the orchestrator waits and delivers them FIFO per name", async () => {
    const id = host.durable.start("events");
    host.durable.raiseEvent(id, "item", "first");
    host.durable.raiseEvent(id, "item", "second");
    const status = await host.durable.waitForStatus(id);
    expect(status.output).toEqual(["first", "second"]);
  });

  it("runs a 30-day timer as sub-timers in virtual time", async () => {
    const id = host.durable.start("retention");
    const status = await host.durable.waitForStatus(id);
    const output = status.output as { start: string; end: string; after: string };
    expect(Date.parse(output.end) - Date.parse(output.start)).toBe(30 * DAY);
    expect(output.after).toBe("Hello, after 30 days!");
    const timers = (host.durable.status(id, { showHistory: true })!.historyEvents as HistoryEvent[]).filter(
      (e) => e.EventType === 10,
    );
    expect(timers.length).toBeGreaterThan(5); // 3-day legs while more than 6 days remain, then the rest
    expect(timers.at(-1)!.FireAt).toBe(new Date(Date.parse(output.start) + 30 * DAY).toISOString());
  });

  it("runs sub-orchestrations, with explicit ids and with retries that run out", async () => {
    const id = host.durable.start("parent");
    const status = await host.durable.waitForStatus(id);
    expect(status.output).toEqual({
      a: "Hello, Ada!",
      b: "Hello, Bob!",
      failure: expect.stringContaining("child refused"),
    });
    expect(host.durable.status(`${id}-bob`)).toMatchObject({
      runtimeStatus: "Completed",
      output: "Hello, Bob!",
    });
  });

  it("continues as new with fresh history and keeps the custom status", async () => {
    const id = host.durable.start("counter", { input: 0 });
    const status = await host.durable.waitForStatus(id);
    expect(status).toMatchObject({ runtimeStatus: "Completed", output: 3, input: 3, customStatus: { n: 3 } });
    const history = host.durable.status(id, { showHistory: true })!.historyEvents as HistoryEvent[];
    expect(history.filter((e) => e.EventType === 0)).toHaveLength(1);
  });

  it("purges an instance", async () => {
    const id = host.durable.start("events");
    host.durable.terminate(id, "done");
    expect(await host.durable.purge(id)).toBe(true);
    expect(host.durable.status(id)).toBeUndefined();
    expect(await host.durable.purge(id)).toBe(false);
  });
});
