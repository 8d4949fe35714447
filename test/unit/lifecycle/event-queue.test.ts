import { decideQueue, type QueuedEvent } from "../../../src/lifecycle/event-queue";

const DAY = 86_400_000;
const policy = { hireLeadTimeInMs: 3 * DAY };
const now = new Date("2026-12-01T09:00:00Z");

const ev = (
  key: string,
  type: QueuedEvent["type"],
  effectiveDate: string,
  receivedAt = "2026-11-20T00:00:00Z",
) => ({
  key,
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
    const decision = decideQueue(pending, last, now, policy);
    expect(decision.due.map((e) => e.key)).toEqual(due);
    expect(decision.superseded.map((e) => e.key)).toEqual(superseded);
    expect(decision.nextDueAt).toEqual(nextDueAt);
  });

  it("rejects an event whose effective date is not a date", () => {
    expect(() => decideQueue([ev("x", "change", "next tuesday")], undefined, now, policy)).toThrow(
      "event x has an invalid effectiveDate",
    );
  });
});
