import path from "node:path";
import { startLocalHost, type LocalHost } from "../../../local/host";
import type { DueEvent, EventOutcome } from "../../../src/activities/employee-events.contract";
import {
  decide,
  stateAfter,
  withApplied,
  type AppliedEvents,
  type LifecycleState,
} from "../../../src/lifecycle/employee-lifecycle";
import { decideQueue, type QueuedEvent } from "../../../src/lifecycle/event-queue";
import { EMPLOYEE_ORCHESTRATOR, HR_EVENT_ACCEPTED } from "../../../src/orchestrators/employee";
import { employeeInstanceId } from "../../../src/orchestrators/instance-ids";
import { script } from "../../fixtures/lifecycle-app";

const entry = path.resolve(__dirname, "../../fixtures/lifecycle-app/index.ts");
const DAY = 86_400_000;
const MINUTE = 60_000;
/** Waits of 1, 2, 4, 8 minutes, then 10 each; quarantine one hour after arrival. */
const HR_RETRY = { firstIntervalInMs: MINUTE, maxIntervalInMs: 10 * MINUTE, giveUpAfterInMs: 60 * MINUTE };

/** An in-memory inbox with the product's real queue rules, standing in for the inbox table. */
class Inbox {
  events: Array<QueuedEvent & { done?: EventOutcome }> = [];
  applied: AppliedEvents = {};
  state: LifecycleState = "not_provisioned";
  pendingDeletion?: { userId: string; deleteAt: string };
  /** Items acknowledged before their event was read back from HR. */
  awaitingHr: Array<{ source: "workday"; idempotencyKey: string; receivedAt: string }> = [];

  add(key: string, type: QueuedEvent["type"], effectiveDate: string) {
    this.events.push({
      key,
      eventId: `ev-${key}`,
      type,
      effectiveDate,
      receivedAt: new Date().toISOString(),
    });
  }

  take({ asOf }: { asOf: string }) {
    const pending = this.events.filter((e) => !e.done);
    const decision = decideQueue(pending, this.applied, new Date(asOf), { hireLeadTimeInMs: 2 * DAY });
    for (const { event, by } of decision.superseded)
      event.done = { kind: "SUPERSEDED", summary: "superseded", by };
    const due: DueEvent[] = decision.due.map(({ key, type, effectiveDate, eventId }) => ({
      key,
      type,
      effectiveDate,
      eventId,
    }));
    return {
      ...(this.awaitingHr.length > 0 ? { awaitingHr: { items: this.awaitingHr, retry: HR_RETRY } } : {}),
      state: this.state,
      applied: this.applied,
      due,
      nextDueAt: decision.nextDueAt,
      pendingDeletion: this.pendingDeletion,
    };
  }

  complete({ event, outcome }: { event: DueEvent; outcome: EventOutcome }) {
    this.events.find((e) => e.key === event.key)!.done = outcome;
    this.state = stateAfter(this.state, decide(this.state, event.type).action, outcome);
    this.applied = withApplied(this.applied, event);
  }
}

describe("employee orchestration: one writer per employee, in effective-date order", () => {
  let host: LocalHost;
  let inbox: Inbox;
  const applied: string[] = [];

  beforeAll(async () => {
    host = await startLocalHost({ entry, port: 0, clock: "virtual", log: () => undefined });
  });
  afterAll(() => host.stop());

  beforeEach(() => {
    inbox = new Inbox();
    applied.splice(0);
    script.calls.splice(0);
    script.activities = {
      takeDueEvents: (input) => inbox.take(input),
      finishLeaver: () => undefined,
      beginEvent: ({ state }) => {
        inbox.state = state;
      },
      completeEvent: (input) => inbox.complete(input),
      prepareConverge: ({ eventKey }) => {
        applied.push(eventKey);
        return { kind: "PLANNED", mappingVersion: 1, userId: "u-1", steps: [] };
      },
      prepareLeaver: ({ eventKey }) => {
        applied.push(eventKey);
        return { kind: "NO_USER", summary: "no Genesys user" };
      },
      deleteAfterRetention: () => {
        inbox.pendingDeletion = undefined;
      },
    };
  });

  const start = (employeeKey: string) =>
    host.durable.start(EMPLOYEE_ORCHESTRATOR.name, {
      instanceId: employeeInstanceId(employeeKey),
      input: { employeeKey },
    });

  it("applies events in effective-date order, whatever order they arrived in, then waits idle", async () => {
    const now = Date.now();
    inbox.add("change", "change", new Date(now - DAY).toISOString().slice(0, 10));
    inbox.add("hire", "hire", new Date(now - 5 * DAY).toISOString().slice(0, 10));
    const id = start("100482");
    await host.durable.runUntilIdle();
    expect(host.durable.status(id)).toMatchObject({
      runtimeStatus: "Running",
      customStatus: { employeeKey: "100482", idle: true },
    });
    expect(applied).toEqual(["hire", "change"]);
    expect(inbox.events.map((e) => e.done?.kind)).toEqual(["NOTHING_TO_DO", "NOTHING_TO_DO"]);
  });

  it("waits on a durable timer for a future-dated termination, and applies it on its date", async () => {
    const effective = new Date(host.clock.now() + 10 * DAY).toISOString();
    inbox.state = "active";
    inbox.add("leaves", "terminate", effective);
    const id = start("200");
    await host.durable.settle();
    expect(host.durable.status(id)).toMatchObject({
      runtimeStatus: "Running",
      customStatus: { waitingUntil: new Date(Date.parse(effective)).toISOString(), for: "effective date" },
    });
    expect(applied).toEqual([]);
    await host.durable.runUntilIdle();
    expect(applied).toEqual(["leaves"]);
    expect(host.durable.status(id)?.customStatus).toMatchObject({ idle: true });
  });

  it("wakes up for an event raised while it waits, before the timer", async () => {
    inbox.add("later", "change", new Date(host.clock.now() + 30 * DAY).toISOString());
    const id = start("300");
    await host.durable.settle();
    inbox.add("now", "change", new Date(host.clock.now()).toISOString());
    // An event dated before the waiting one overtakes nothing: it is simply earlier.
    expect(host.durable.raiseEvent(id, HR_EVENT_ACCEPTED, {})).toBe("accepted");
    await host.durable.settle();
    expect(applied).toEqual(["now"]);
    await host.durable.runUntilIdle();
    expect(applied).toEqual(["now", "later"]);
  });

  it("deletes after retention unless a rehire comes first", async () => {
    inbox.pendingDeletion = { userId: "u-9", deleteAt: new Date(host.clock.now() + 30 * DAY).toISOString() };
    const id = start("400");
    await host.durable.settle();
    expect(host.durable.status(id)?.customStatus).toMatchObject({ for: "deletion" });
    await host.durable.runUntilIdle();
    expect(script.calls.filter((c) => c.name === "deleteAfterRetention").map((c) => c.input)).toEqual([
      { employeeKey: "400", userId: "u-9" },
    ]);
    expect(host.durable.status(id)?.customStatus).toMatchObject({ idle: true });
  });

  it("a rehire on day 10 is applied and the deletion never runs", async () => {
    inbox.pendingDeletion = { userId: "u-10", deleteAt: new Date(host.clock.now() + 30 * DAY).toISOString() };
    script.activities.prepareConverge = ({ eventKey }) => {
      applied.push(eventKey);
      inbox.pendingDeletion = undefined; // the rehire's restore clears the pending deletion
      return { kind: "PLANNED", mappingVersion: 1, userId: "u-10", steps: [] };
    };
    const id = start("500");
    await host.durable.settle();
    await host.durable.advance(10 * DAY);
    inbox.add("rehire", "rehire", new Date(host.clock.now()).toISOString());
    host.durable.raiseEvent(id, HR_EVENT_ACCEPTED, {});
    await host.durable.runUntilIdle();
    expect(applied).toEqual(["rehire"]);
    expect(script.calls.some((c) => c.name === "deleteAfterRetention")).toBe(false);
    expect(host.durable.status(id)?.customStatus).toMatchObject({ idle: true });
  });

  it("records an older event arriving late as superseded instead of undoing a newer one", async () => {
    inbox.applied = { change: { eventId: "newer", effectiveDate: "2026-11-20" } };
    inbox.add("old", "change", "2026-11-01");
    start("600");
    await host.durable.runUntilIdle();
    expect(applied).toEqual([]);
    expect(inbox.events[0]?.done).toMatchObject({ kind: "SUPERSEDED", by: { eventId: "newer" } });
  });

  it("ends each turn with continueAsNew, so the next turn starts from a short history", async () => {
    for (let i = 0; i < 30; i++)
      inbox.add(`e${i}`, "change", new Date(host.clock.now() - (30 - i) * 1000).toISOString());
    const id = start("700");
    await host.durable.runUntilIdle();
    expect(applied).toHaveLength(30);
    const history = host.durable.status(id, { showHistory: true })?.historyEvents ?? [];
    expect(history.length).toBeLessThan(20);
  });

  it("asks the lifecycle table: a change after a termination is recorded, and reaches neither converge nor Genesys", async () => {
    const now = host.clock.now();
    inbox.add("hire", "hire", new Date(now - 10 * DAY).toISOString());
    inbox.add("leave", "terminate", new Date(now - 5 * DAY).toISOString());
    inbox.add("fix", "change", new Date(now - DAY).toISOString());
    script.activities.prepareLeaver = ({ eventKey }) => {
      applied.push(eventKey);
      return { kind: "NO_USER", summary: "no Genesys user" };
    };
    start("800");
    await host.durable.runUntilIdle();
    expect(applied).toEqual(["hire", "leave"]);
    expect(inbox.state).toBe("terminated");
    const completed = script.calls.filter((c) => c.name === "completeEvent").map((c) => c.input);
    expect(
      completed.map((c) => [c.event.key, c.transition.state, c.transition.action.kind, c.outcome.kind]),
    ).toEqual([
      ["hire", "not_provisioned", "CONVERGE", "NOTHING_TO_DO"],
      ["leave", "active", "LEAVE", "NOTHING_TO_DO"],
      ["fix", "terminated", "RECORD", "NOTHING_TO_DO"],
    ]);
  });

  it("marks a leaver in progress before the leaver runs", async () => {
    inbox.state = "active";
    inbox.add("leave", "terminate", new Date(host.clock.now() - DAY).toISOString());
    let seen: LifecycleState | undefined;
    script.activities.prepareLeaver = () => {
      seen = inbox.state;
      return { kind: "NO_USER", summary: "no Genesys user" };
    };
    start("900");
    await host.durable.runUntilIdle();
    expect(seen).toBe("terminating");
    expect(inbox.state).toBe("terminated");
  });

  it("keeps an event accepted while a turn ends: the wake-up is not lost with a finished instance", async () => {
    const id = employeeInstanceId("1000");
    const take = script.activities.takeDueEvents;
    let raced = false;
    script.activities.takeDueEvents = (input) => {
      const answer = take(input);
      if (!raced) {
        // The intake stores an event and wakes the instance just after this turn read the inbox.
        raced = true;
        inbox.add("late", "change", new Date(host.clock.now()).toISOString());
        host.durable.raiseEvent(id, HR_EVENT_ACCEPTED, {});
      }
      return answer;
    };
    start("1000");
    await host.durable.runUntilIdle();
    expect(applied).toEqual(["late"]);
  });

  describe("items acknowledged before HR was asked", () => {
    let hrAnswers = true;
    beforeEach(() => {
      hrAnswers = true;
      // Reading back: while HR is down it answers so (quarantining on the final attempt); once up, the event
      // takes the item's place in the queue, as the real activity does.
      script.activities.enrichHrEvent = ({ idempotencyKey, finalAttempt }) => {
        if (!hrAnswers && !finalAttempt) return { kind: "hr_unavailable", reason: "HTTP 503" };
        inbox.awaitingHr = inbox.awaitingHr.filter((i) => i.idempotencyKey !== idempotencyKey);
        if (!hrAnswers) return { kind: "quarantined", reason: "HR did not answer" };
        inbox.add(idempotencyKey, "hire", new Date(host.clock.now() - DAY).toISOString());
        return { kind: "queued", eventId: `ev-${idempotencyKey}`, type: "hire", effectiveDate: "2026-01-01" };
      };
    });
    const enrichCalls = (employeeKey: string) =>
      script.calls
        .filter((c) => c.name === "enrichHrEvent" && c.input.employeeKey === employeeKey)
        .map((c) => c.input);

    it("reads an item back from HR first, then applies its event", async () => {
      inbox.awaitingHr.push({
        source: "workday",
        idempotencyKey: "wid-1",
        receivedAt: new Date(host.clock.now()).toISOString(),
      });
      start("1100");
      await host.durable.runUntilIdle();
      expect(enrichCalls("1100")).toEqual([
        { employeeKey: "1100", source: "workday", idempotencyKey: "wid-1", finalAttempt: false },
      ]);
      expect(applied).toEqual(["wid-1"]);
    });

    it("an HR outage delays the event on durable timers, and it is applied once HR answers again", async () => {
      hrAnswers = false;
      inbox.awaitingHr.push({
        source: "workday",
        idempotencyKey: "wid-2",
        receivedAt: new Date(host.clock.now()).toISOString(),
      });
      const id = start("1200");
      await host.durable.settle();
      expect(host.durable.status(id)?.customStatus).toMatchObject({
        waitingForHr: { idempotencyKey: "wid-2", attempts: 1, lastError: "HTTP 503" },
      });
      for (const wait of [1, 2, 4, 8]) await host.durable.advance(wait * MINUTE);
      expect(enrichCalls("1200")).toHaveLength(5);
      expect(applied).toEqual([]);
      hrAnswers = true;
      await host.durable.runUntilIdle();
      expect(applied).toEqual(["wid-2"]);
      expect(enrichCalls("1200").every((c) => !c.finalAttempt)).toBe(true);
      expect(host.durable.status(id)?.customStatus).toMatchObject({ idle: true });
    });

    it("quarantines an item HR did not answer for within the retry period, and the lifecycle carries on", async () => {
      hrAnswers = false;
      inbox.awaitingHr.push({
        source: "workday",
        idempotencyKey: "wid-3",
        receivedAt: new Date(host.clock.now()).toISOString(),
      });
      inbox.add("known", "change", new Date(host.clock.now()).toISOString());
      const id = start("1300");
      await host.durable.runUntilIdle();
      const calls = enrichCalls("1300");
      // 1+2+4+8 minutes, then waits of 10 up to the hour: the last try is the final one, at the hour.
      expect(calls.map((c) => c.finalAttempt)).toEqual([...Array<boolean>(9).fill(false), true]);
      expect(applied).toEqual(["known"]);
      expect(host.durable.status(id)?.customStatus).toMatchObject({ idle: true });
    });
  });
});
