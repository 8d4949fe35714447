import { VirtualClock } from "../../../local/host/durable/clock";
import type { RegisteredFunction } from "../../../local/host/functions-core";
import { startTimerTriggers } from "../../../local/host/timer-triggers";

const timerFunction = (name: string, schedule: string, runOnStartup = false) =>
  ({
    name,
    trigger: { name: "t", type: "timerTrigger", schedule, runOnStartup },
  }) as unknown as RegisteredFunction;

interface TimerInput {
  IsPastDue: boolean;
  ScheduleStatus: { Last: string; Next: string };
}

describe("timer triggers", () => {
  it("runs on schedule, on startup when asked, and reports occurrences that ran late as past due", async () => {
    const clock = new VirtualClock(Date.parse("2026-03-01T10:02:00Z"));
    const calls: { name: string; at: string; input: TimerInput }[] = [];
    const timers = startTimerTriggers(
      [timerFunction("every5", "0 */5 * * * *"), timerFunction("daily", "0 0 3 * * *", true)],
      clock,
      async (name, input) => {
        calls.push({ name, at: new Date(clock.now()).toISOString(), input: input as TimerInput });
      },
      () => undefined,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([
      { name: "daily", at: "2026-03-01T10:02:00.000Z", input: expect.objectContaining({ IsPastDue: false }) },
    ]);

    clock.advanceTo(Date.parse("2026-03-01T10:05:00Z"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls[1]).toMatchObject({
      name: "every5",
      at: "2026-03-01T10:05:00.000Z",
      input: { IsPastDue: false, ScheduleStatus: { Next: "2026-03-01T10:10:00.000Z" } },
    });

    // The process was suspended for a while: the 10:10 occurrence runs at 10:12 and says so.
    clock.advanceTo(Date.parse("2026-03-01T10:12:00Z"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls[2]).toMatchObject({
      name: "every5",
      at: "2026-03-01T10:12:00.000Z",
      input: { IsPastDue: true },
    });
    timers.stop();
  });

  it("runs an occurrence missed while the host was down once at start-up, as past due, and remembers runs", async () => {
    const clock = new VirtualClock(Date.parse("2026-03-01T10:12:30Z"));
    const saved = new Map<string, Date>([["every5", new Date("2026-03-01T10:00:00Z")]]);
    const calls: { at: string; input: TimerInput }[] = [];
    const timers = startTimerTriggers(
      [timerFunction("every5", "0 */5 * * * *")],
      clock,
      async (_name, input) => {
        calls.push({ at: new Date(clock.now()).toISOString(), input: input as TimerInput });
      },
      () => undefined,
      { load: async (name) => saved.get(name), save: async (name, last) => void saved.set(name, last) },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([
      {
        at: "2026-03-01T10:12:30.000Z",
        input: expect.objectContaining({
          IsPastDue: true,
          ScheduleStatus: expect.objectContaining({ Last: "2026-03-01T10:00:00.000Z" }),
        }),
      },
    ]);
    clock.advanceTo(Date.parse("2026-03-01T10:15:00Z"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls[1]).toMatchObject({ at: "2026-03-01T10:15:00.000Z", input: { IsPastDue: false } });
    expect(saved.get("every5")).toEqual(new Date("2026-03-01T10:15:00Z"));
    timers.stop();
  });
});
