import type { AppliedEvents } from "../../../src/lifecycle/employee-lifecycle";
import { decideQueue, type QueuedEvent } from "../../../src/lifecycle/event-queue";

const DAY = 86_400_000;
const policy = { hireLeadTimeInMs: 3 * DAY };
const now = new Date("2026-12-01T09:00:00Z");
/** What was applied, as the employee record keeps it: the latest event of each type. */
const appliedUntil = (
  effectiveDate: string | undefined,
  type: QueuedEvent["type"] = "change",
): AppliedEvents =>
  effectiveDate === undefined ? {} : { [type]: { eventId: `applied-${type}`, effectiveDate } };

const ev = (
  key: string,
  type: QueuedEvent["type"],
  effectiveDate: string,
  receivedAt = "2026-11-20T00:00:00Z",
): QueuedEvent => ({
  key,
  eventId: `ev-${key}`,
  type,
  effectiveDate,
  receivedAt,
});

describe("decideQueue", () => {
  it.each([
    {
      name: "applies due events in effective-date order, whatever the arrival order",
      pending: [ev("b", "change", "2026-11-30"), ev("a", "hire", "2026-11-10")],
      last: undefined,
      due: ["a", "b"],
      superseded: [],
      nextDueAt: undefined,
    },
    {
      name: "breaks effective-date ties by arrival",
      pending: [
        ev("late", "change", "2026-11-30", "2026-11-29T10:00:00Z"),
        ev("early", "change", "2026-11-30", "2026-11-29T09:00:00Z"),
      ],
      last: undefined,
      due: ["early", "late"],
      superseded: [],
      nextDueAt: undefined,
    },
    {
      name: "provisions a future hire within the lead time",
      pending: [ev("h", "hire", "2026-12-03")],
      last: undefined,
      due: ["h"],
      superseded: [],
      nextDueAt: undefined,
    },
    {
      name: "waits for a hire beyond the lead time, and says until when",
      pending: [ev("h", "hire", "2026-12-10")],
      last: undefined,
      due: [],
      superseded: [],
      nextDueAt: "2026-12-07T00:00:00.000Z",
    },
    {
      name: "waits for a future-dated termination until its effective date",
      pending: [ev("t", "terminate", "2026-12-31")],
      last: "2026-11-01",
      due: [],
      superseded: [],
      nextDueAt: "2026-12-31T00:00:00.000Z",
    },
    {
      name: "never lets a later event overtake an earlier one that is still waiting",
      pending: [ev("t", "terminate", "2026-12-05"), ev("h2", "rehire", "2026-12-20")],
      last: undefined,
      due: [],
      superseded: [],
      nextDueAt: "2026-12-05T00:00:00.000Z",
    },
    {
      name: "does not let an older event arriving late undo a newer one",
      pending: [ev("old", "change", "2026-11-15"), ev("new", "change", "2026-11-28")],
      last: "2026-11-20",
      due: ["new"],
      superseded: ["old"],
      nextDueAt: undefined,
    },
    {
      name: "applies an event dated the same day as the last applied one",
      pending: [ev("same", "change", "2026-11-20")],
      last: "2026-11-20",
      due: ["same"],
      superseded: [],
      nextDueAt: undefined,
    },
  ])("$name", ({ pending, last, due, superseded, nextDueAt }) => {
    const decision = decideQueue(pending, appliedUntil(last), now, policy);
    expect(decision.due.map((e) => e.key)).toEqual(due);
    expect(decision.superseded.map((s) => s.event.key)).toEqual(superseded);
    expect(decision.nextDueAt).toEqual(nextDueAt);
  });

  it("rejects an event whose effective date is not a date", () => {
    expect(() => decideQueue([ev("x", "change", "next tuesday")], {}, now, policy)).toThrow(
      "event x has an invalid effectiveDate",
    );
  });

  it.each([
    {
      name: "a backdated termination is never superseded by a change applied after it: it takes effect now",
      pending: [ev("t", "terminate", "2026-11-03")],
      applied: {
        hire: { eventId: "h", effectiveDate: "2026-11-01" },
        change: { eventId: "c", effectiveDate: "2026-11-05" },
      },
      due: ["t"],
      supersededBy: undefined,
    },
    {
      name: "a termination is superseded by a rehire dated after it",
      pending: [ev("t", "terminate", "2026-11-03")],
      applied: { rehire: { eventId: "r", effectiveDate: "2026-11-10" } },
      due: [],
      supersededBy: "r",
    },
    {
      name: "a rehire dated before an applied termination is superseded by it",
      pending: [ev("r", "rehire", "2026-11-05")],
      applied: { terminate: { eventId: "t", effectiveDate: "2026-11-10" } },
      due: [],
      supersededBy: "t",
    },
    {
      name: "a same-day change arriving after a termination is superseded: on one date the termination comes last",
      pending: [ev("c", "change", "2026-11-10")],
      applied: { terminate: { eventId: "t", effectiveDate: "2026-11-10" } },
      due: [],
      supersededBy: "t",
    },
    {
      name: "a same-day termination arriving after a hire is applied",
      pending: [ev("t", "terminate", "2026-11-10")],
      applied: { hire: { eventId: "h", effectiveDate: "2026-11-10" } },
      due: ["t"],
      supersededBy: undefined,
    },
    {
      name: "the start of a leave is superseded by a later termination",
      pending: [ev("l", "leave_start", "2026-11-05")],
      applied: { terminate: { eventId: "t", effectiveDate: "2026-11-08" } },
      due: [],
      supersededBy: "t",
    },
  ] as Array<{
    name: string;
    pending: QueuedEvent[];
    applied: AppliedEvents;
    due: string[];
    supersededBy?: string;
  }>)("$name", ({ pending, applied, due, supersededBy }) => {
    const decision = decideQueue(pending, applied, now, policy);
    expect(decision.due.map((e) => e.key)).toEqual(due);
    expect(decision.superseded[0]?.by.eventId).toEqual(supersededBy);
  });

  it("orders same-day events with the termination last, whatever the arrival order", () => {
    const decision = decideQueue(
      [
        ev("t", "terminate", "2026-11-10", "2026-11-10T08:00:00Z"),
        ev("h", "hire", "2026-11-10", "2026-11-10T09:00:00Z"),
      ],
      {},
      now,
      policy,
    );
    expect(decision.due.map((e) => e.key)).toEqual(["h", "t"]);
  });

  it("says what each waiting event waits for: its own date, or the earlier event it waits behind", () => {
    const decision = decideQueue(
      [
        ev("t", "terminate", "2026-12-20"),
        ev("c", "change", "2026-12-10"),
        ev("late", "change", "2026-12-30"),
      ],
      {},
      now,
      policy,
    );
    expect(decision.due).toEqual([]);
    expect(decision.waiting.map((w) => [w.event.key, w.until, w.behind?.key])).toEqual([
      ["c", "2026-12-10T00:00:00.000Z", undefined],
      ["t", "2026-12-20T00:00:00.000Z", "c"],
      ["late", "2026-12-30T00:00:00.000Z", "c"],
    ]);
  });

  it("a late hire, the first in the queue, brings back a worker a termination applied after a later return took out", () => {
    // Back from leave on 8 Nov (applied first), terminated on 3 Nov (applied next), rehired on 7 Nov (last).
    const applied = {
      leave_end: { eventId: "l", effectiveDate: "2026-11-08" },
      terminate: { eventId: "t", effectiveDate: "2026-11-03" },
    };
    const hire = ev("h", "hire", "2026-11-07");
    expect(decideQueue([hire], applied, now, policy, "terminated").due).toEqual([hire]);
    // For an active worker the later return already holds.
    expect(decideQueue([hire], applied, now, policy, "active").superseded).toEqual([
      { event: hire, by: { type: "leave_end", eventId: "l", effectiveDate: "2026-11-08" } },
    ]);
  });

  it("a late hire superseded by a later return still makes a backdated termination before it moot", () => {
    const decision = decideQueue(
      [ev("t", "terminate", "2026-11-03"), ev("h", "hire", "2026-11-07")],
      { leave_end: { eventId: "l", effectiveDate: "2026-11-08" } },
      now,
      policy,
    );
    expect(decision.due).toEqual([]);
    expect(decision.superseded.map((s) => [s.event.key, s.by.eventId])).toEqual([
      ["t", "ev-h"],
      ["h", "l"],
    ]);
  });
});
