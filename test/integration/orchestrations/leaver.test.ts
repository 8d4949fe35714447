import path from "node:path";
import { startLocalHost, type LocalHost } from "../../../local/host";
import {
  APPROVAL_EVENT,
  type LeaverPlan,
  type ReadApprovalResult,
} from "../../../src/activities/leaver.contract";
import { LEAVER_ORCHESTRATOR } from "../../../src/orchestrators/leaver";
import { script } from "../../fixtures/lifecycle-app";

const entry = path.resolve(__dirname, "../../fixtures/lifecycle-app/index.ts");
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const termination = { key: "wd-9", eventId: "wd-9", type: "terminate", effectiveDate: "2026-12-01" };

const plan: LeaverPlan = {
  userId: "u-leaver",
  drainDeadlineInMs: 60 * MIN,
  recheckIntervalInMs: 5 * MIN,
  retentionInMs: 30 * DAY,
  approvalTimeoutInMs: DAY,
};

describe("graceful leaver orchestration", () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startLocalHost({ entry, port: 0, clock: "virtual", log: () => undefined });
  });
  afterAll(() => host.stop());

  let live: number;
  beforeEach(() => {
    live = 3;
    script.calls.splice(0);
    script.leaverFlow = "current";
    script.activities = {
      prepareLeaver: () => ({ kind: "FOUND", plan }),
      takeAgentOffQueue: () => ({ kind: "OFF_QUEUE" }),
      handOverInteractions: ({ deadlinePassed }) => {
        // Two calls and an email: the first pass hands over two, the third needs a re-check.
        const handled = deadlinePassed ? live : Math.min(live, 2);
        live -= handled;
        return { kind: "HANDED_OVER", handled, remaining: live };
      },
      checkDeactivationGuard: () => ({ kind: "PROCEED" }),
      deactivateLeaver: () => ({ kind: "DEACTIVATED" }),
      finishLeaver: () => undefined,
      readApprovalDecision: () => stored,
    };
    stored = { kind: "PENDING" };
  });
  /** What the approvals table holds for the paused leaver. */
  let stored: ReadApprovalResult;

  const start = (leaveOfAbsence = false) =>
    host.durable.start(LEAVER_ORCHESTRATOR.name, {
      input: { employeeKey: "100482", event: termination, leaveOfAbsence },
    });
  const names = () => script.calls.map((c) => c.name);

  it("goes off queue, hands every interaction over before anything is cut, then deactivates with a deletion date", async () => {
    const started = host.clock.now();
    const status = await host.durable.waitForStatus(start());
    expect(names()).toEqual([
      "prepareLeaver",
      "takeAgentOffQueue",
      "handOverInteractions",
      "handOverInteractions",
      "checkDeactivationGuard",
      "deactivateLeaver",
      "finishLeaver",
    ]);
    // Each pass knows the event, so it resolves the targets afresh from HR and the mapping.
    expect(script.calls[3]?.input).toMatchObject({
      deadlinePassed: false,
      eventKey: "wd-9",
      userId: "u-leaver",
    });
    const deactivation = script.calls[5]?.input as { deleteAt: string };
    expect(Date.parse(deactivation.deleteAt) - started).toBeGreaterThanOrEqual(30 * DAY);
    expect(status?.output).toMatchObject({ kind: "APPLIED", userId: "u-leaver" });
  });

  it("applies the fallback at the deadline to an interaction that never ends", async () => {
    script.activities.handOverInteractions = ({ deadlinePassed }) =>
      deadlinePassed
        ? { kind: "HANDED_OVER", handled: 1, remaining: 0 }
        : { kind: "HANDED_OVER", handled: 0, remaining: 1 };
    const started = host.clock.now();
    const status = await host.durable.waitForStatus(start());
    const handOvers = script.calls.filter((c) => c.name === "handOverInteractions");
    expect(handOvers.at(-1)?.input).toMatchObject({ deadlinePassed: true });
    expect(handOvers.slice(0, -1).every((c) => c.input.deadlinePassed === false)).toBe(true);
    expect(host.clock.now() - started).toBeGreaterThanOrEqual(60 * MIN);
    expect(status?.output).toMatchObject({ kind: "APPLIED" });
  });

  it("never schedules a deletion for a leave of absence", async () => {
    await host.durable.waitForStatus(start(true));
    const deactivation = script.calls.find((c) => c.name === "deactivateLeaver")?.input as {
      deleteAt?: string;
    };
    expect(deactivation.deleteAt).toBeUndefined();
  });

  it("records a leaver with no Genesys user without error", async () => {
    script.activities.prepareLeaver = () => ({
      kind: "NO_USER",
      summary: "no Genesys user for employee 100482",
    });
    const status = await host.durable.waitForStatus(start());
    expect(status?.output).toEqual({ kind: "NOTHING_TO_DO", summary: "no Genesys user for employee 100482" });
    expect(names()).toEqual(["prepareLeaver", "finishLeaver"]);
  });

  it("hands over work found at deactivation first, with a deadline of its own, then deactivates", async () => {
    let found = 1;
    script.activities.deactivateLeaver = () =>
      found-- > 0 ? { kind: "LIVE_WORK", count: 1 } : { kind: "DEACTIVATED" };
    const handOvers: boolean[] = [];
    script.activities.handOverInteractions = ({ deadlinePassed }) => {
      handOvers.push(deadlinePassed);
      // The first drain empties at once; the new work needs the second drain's own deadline.
      if (handOvers.length === 1) return { kind: "HANDED_OVER", handled: 0, remaining: 0 };
      return deadlinePassed
        ? { kind: "HANDED_OVER", handled: 1, remaining: 0 }
        : { kind: "HANDED_OVER", handled: 0, remaining: 1 };
    };
    const started = host.clock.now();
    const status = await host.durable.waitForStatus(start());
    expect(names().filter((n) => n !== "handOverInteractions")).toEqual([
      "prepareLeaver",
      "takeAgentOffQueue",
      "checkDeactivationGuard",
      "deactivateLeaver",
      "deactivateLeaver",
      "finishLeaver",
    ]);
    // Nothing was disconnected before that second deadline, an hour after the work turned up.
    expect(handOvers.at(-1)).toBe(true);
    expect(handOvers.slice(1, -1).every((passed) => !passed)).toBe(true);
    expect(host.clock.now() - started).toBeGreaterThanOrEqual(60 * MIN);
    expect(status?.output).toMatchObject({ kind: "APPLIED" });
  });

  it("stops, still active, when new work keeps reaching the leaver", async () => {
    script.activities.deactivateLeaver = () => ({ kind: "LIVE_WORK", count: 1 });
    script.activities.handOverInteractions = () => ({ kind: "HANDED_OVER", handled: 1, remaining: 0 });
    const status = await host.durable.waitForStatus(start());
    expect(status?.output).toMatchObject({ kind: "QUARANTINED" });
    expect((status?.output as { reason: string }).reason).toContain(
      "new live interactions kept reaching the leaver",
    );
    expect(names().filter((n) => n === "deactivateLeaver")).toHaveLength(11);
    expect(names().at(-1)).toBe("finishLeaver");
  });

  it("ends the leaver's marker however it ends, a failure that outlived its retries included", async () => {
    script.activities.takeAgentOffQueue = () => {
      throw new Error("Genesys is down");
    };
    const status = await host.durable.waitForStatus(start());
    expect(status?.output).toMatchObject({ kind: "QUARANTINED" });
    expect(names().at(-1)).toBe("finishLeaver");
  });

  it("finishes an instance the previous flow started: paused for approval, then deactivated and ended", async () => {
    live = 2;
    script.leaverFlow = "previous";
    script.activities.checkDeactivationGuard = () => ({
      kind: "APPROVAL_REQUIRED",
      approvalId: "ap-old",
      reason: "2 deactivations within 1 h exceed the limit of 1",
    });
    const id = start();
    await host.durable.settle();
    expect(host.durable.status(id)).toMatchObject({ customStatus: { phase: "awaiting-approval" } });
    // Deployed: the instance replays its history with today's code from here on.
    script.leaverFlow = "current";
    stored = { kind: "DECIDED", approved: true, by: "ops@example.com" };
    host.durable.raiseEvent(id, APPROVAL_EVENT, { approved: true, by: "ops" });
    const status = await host.durable.waitForStatus(id);
    expect(status).toMatchObject({ runtimeStatus: "Completed", output: { kind: "APPLIED" } });
    expect(names().slice(-2)).toEqual(["deactivateLeaver", "finishLeaver"]);
  });

  it("finishes an instance the previous flow started while it was re-checking live interactions", async () => {
    script.leaverFlow = "previous";
    let passes = 0;
    script.activities.handOverInteractions = () =>
      ++passes < 3
        ? { kind: "HANDED_OVER", handled: 0, remaining: 1 }
        : { kind: "HANDED_OVER", handled: 1, remaining: 0 };
    const id = start();
    await host.durable.settle();
    expect(host.durable.status(id)).toMatchObject({
      runtimeStatus: "Running",
      customStatus: { phase: "hand-over" },
    });
    script.leaverFlow = "current";
    const status = await host.durable.waitForStatus(id);
    expect(status).toMatchObject({ runtimeStatus: "Completed", output: { kind: "APPLIED" } });
    expect(names().at(-1)).toBe("finishLeaver");
  });

  describe("the mass-deactivation guard", () => {
    beforeEach(() => {
      live = 2; // handed over in one pass, so the guard is reached without moving the clock
      script.activities.checkDeactivationGuard = () => ({
        kind: "APPROVAL_REQUIRED",
        approvalId: "ap-1",
        reason: "12 deactivations within 1 h exceed the limit of 10",
      });
    });

    it("pauses before phase 3 and resumes on approval", async () => {
      const id = start();
      await host.durable.settle();
      expect(host.durable.status(id)).toMatchObject({
        runtimeStatus: "Running",
        customStatus: { phase: "awaiting-approval", approvalId: "ap-1" },
      });
      expect(names()).not.toContain("deactivateLeaver");
      stored = { kind: "DECIDED", approved: true, by: "ops@example.com" };
      host.durable.raiseEvent(id, APPROVAL_EVENT, {});
      const status = await host.durable.waitForStatus(id);
      expect(status?.output).toMatchObject({ kind: "APPLIED" });
      expect(names()).toContain("deactivateLeaver");
      expect(script.calls.find((c) => c.name === "readApprovalDecision")?.input).toEqual({
        approvalId: "ap-1",
      });
    });

    it("ignores an approval event the approvals table does not back, and keeps waiting", async () => {
      const id = start();
      await host.durable.settle();
      // Raised straight through the Durable API, claiming an approval nobody gave.
      host.durable.raiseEvent(id, APPROVAL_EVENT, { approved: true, by: "forger" });
      await host.durable.settle();
      expect(host.durable.status(id)).toMatchObject({
        runtimeStatus: "Running",
        customStatus: { phase: "awaiting-approval" },
      });
      expect(names()).toContain("readApprovalDecision");
      expect(names()).not.toContain("deactivateLeaver");
      // The real decision, stored by POST /api/approvals/{id}, is then honoured, with the stored approver.
      stored = { kind: "DECIDED", approved: false, by: "grace@example.com" };
      host.durable.raiseEvent(id, APPROVAL_EVENT, {});
      const status = await host.durable.waitForStatus(id);
      expect((status?.output as { reason: string }).reason).toContain("rejected by grace@example.com");
      expect(names()).not.toContain("deactivateLeaver");
    });

    it("stops on rejection, leaving the agent off queue but active", async () => {
      const id = start();
      await host.durable.settle();
      stored = { kind: "DECIDED", approved: false, by: "grace", comment: "HR feed glitch" };
      host.durable.raiseEvent(id, APPROVAL_EVENT, {});
      const status = await host.durable.waitForStatus(id);
      expect(status?.output).toEqual({
        kind: "QUARANTINED",
        reason:
          "12 deactivations within 1 h exceed the limit of 10; deactivation rejected by grace (HR feed glitch). " +
          "The agent is off queue but still active; replay the event to retry.",
      });
      expect(names()).not.toContain("deactivateLeaver");
    });

    it("gives up when no operator decides in time", async () => {
      const status = await host.durable.waitForStatus(start());
      expect(status?.output).toMatchObject({ kind: "QUARANTINED" });
      expect((status?.output as { reason: string }).reason).toContain("no operator decision within 1440 min");
      expect(names()).not.toContain("deactivateLeaver");
      expect(names().at(-1)).toBe("finishLeaver");
    });
  });
});
