import { startBounded } from "../../../src/activities/bounded";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("startBounded", () => {
  it("keeps at most `width` calls in flight, starts them in order, and gives each item's result", async () => {
    const started: number[] = [];
    const gates = [1, 2, 3, 4, 5].map(() => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    });
    let inFlight = 0;
    let most = 0;
    const results = startBounded([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      most = Math.max(most, ++inFlight);
      await gates[n - 1].promise;
      inFlight--;
      return n * 10;
    });
    await tick();
    expect(started).toEqual([1, 2]);
    // The first result is there while later items are still being worked on.
    gates[0].resolve();
    expect(await results[0]).toBe(10);
    await tick();
    expect(started).toEqual([1, 2, 3]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });

  it("starts nothing after a failure: later items reject with it, and none is left unhandled", async () => {
    const started: number[] = [];
    const failure = new Error("storage is down");
    const results = startBounded([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 2) throw failure;
      return n;
    });
    const settled = await Promise.allSettled(results);
    expect(started).toEqual([1, 2]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "rejected", "rejected"]);
    expect(settled.slice(1).map((s) => (s as PromiseRejectedResult).reason)).toEqual([
      failure,
      failure,
      failure,
    ]);
  });

  it("gives an empty list for no items", () => {
    expect(startBounded([], 4, () => Promise.resolve(1))).toEqual([]);
  });
});
