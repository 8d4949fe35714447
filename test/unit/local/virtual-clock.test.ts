import { VirtualClock } from "../../../local/host/durable/clock";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("virtual clock", () => {
  it("waits to be advanced for a future callback, but runs one already due at once", async () => {
    const clock = new VirtualClock(1_000);
    const fired: string[] = [];
    clock.schedule(2_000, () => fired.push("later"));
    clock.schedule(1_000, () => fired.push("due"));
    await tick();
    expect(fired).toEqual(["due"]);
    expect(clock.nextDue()).toBe(2_000);
    clock.advanceBy(1_000);
    expect(fired).toEqual(["due", "later"]);
  });

  it("never runs a callback cancelled before it was due", async () => {
    const clock = new VirtualClock(1_000);
    const fired: string[] = [];
    clock.schedule(1_000, () => fired.push("due"))();
    clock.schedule(1_500, () => fired.push("later"))();
    await tick();
    clock.advanceBy(1_000);
    expect(fired).toEqual([]);
    expect(clock.nextDue()).toBeUndefined();
  });
});
