import path from "node:path";
import { startLocalHost, type LocalHost } from "../../../local/host";
import type { PlanStepKind } from "../../../src/lifecycle/plan";
import { CONVERGE_ORCHESTRATOR } from "../../../src/orchestrators/converge";
import { script } from "../../fixtures/lifecycle-app";

const entry = path.resolve(__dirname, "../../fixtures/lifecycle-app/index.ts");
// The activities are scripted and never read the payload: only its kind is carried.
const step = (kind: PlanStepKind, summary: string) => ({ kind, summary, payload: { kind } });
const hire = { key: "wd-1", eventId: "wd-1", type: "hire", effectiveDate: "2026-12-01" };

describe("converge orchestration (joiner, mover, rehire)", () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startLocalHost({ entry, port: 0, clock: "virtual", log: () => undefined });
  });
  afterAll(() => host.stop());

  let applied: string[];
  // As the activity does: the call's steps in order, and how many it applied.
  const applyAll = ({ step: s, then = [] }: { step: { kind: string }; then?: Array<{ kind: string }> }) => {
    const steps = [s, ...then];
    applied.push(...steps.map((x) => x.kind));
    const created = steps.some((x) => x.kind === "CREATE_USER");
    return { kind: "DONE", applied: steps.length, ...(created ? { userId: "u-new" } : {}) };
  };
  beforeEach(() => {
    applied = [];
    script.calls.splice(0);
    script.activities = {
      prepareConverge: () => ({
        kind: "PLANNED",
        mappingVersion: 3,
        steps: [
          step("CREATE_USER", "create jane.doe@example.com in Support"),
          step("GRANT_ROLES", "grant Agent in Support"),
          step("JOIN_QUEUES", "join Tier_2_Escalation"),
          step("INVITE", "send the invitation"),
        ],
      }),
      applyPlanStep: applyAll,
      verifyConverged: () => ({ kind: "CONVERGED" }),
    };
  });

  const run = async (input: object = { employeeKey: "100482", event: hire }) => {
    const id = host.durable.start(CONVERGE_ORCHESTRATOR.name, { input });
    return host.durable.waitForStatus(id);
  };

  it("applies the plan in one call, verifies, and sends the invitation last", async () => {
    const status = await run();
    expect(status?.output).toEqual({
      kind: "APPLIED",
      summary: "4 step(s) applied with mapping version 3",
      userId: "u-new",
      change: "created",
    });
    expect(applied).toEqual(["CREATE_USER", "GRANT_ROLES", "JOIN_QUEUES", "INVITE"]);
    expect(script.calls.map((c) => c.name)).toEqual([
      "prepareConverge",
      "applyPlanStep",
      "verifyConverged",
      "applyPlanStep",
    ]);
    expect(script.calls[1]?.input).toMatchObject({
      step: { kind: "CREATE_USER" },
      then: [{ kind: "GRANT_ROLES" }, { kind: "JOIN_QUEUES" }],
    });
    // The invitation carries the new user's id and the mapping version, for the audit trail.
    expect(script.calls[3]?.input).toMatchObject({ userId: "u-new", mappingVersion: 3, eventId: "wd-1" });
    expect(script.calls[3]?.input).not.toHaveProperty("then");
  });

  it("counts a result without `applied` as one step, as recorded before a call took several", async () => {
    // An instance started before steps were applied together replays its recorded results this way.
    script.activities.applyPlanStep = ({ step: s }) => {
      applied.push(s.kind);
      return { kind: "DONE", ...(s.kind === "CREATE_USER" ? { userId: "u-new" } : {}) };
    };
    const status = await run();
    expect(status?.output).toMatchObject({ kind: "APPLIED", userId: "u-new" });
    expect(applied).toEqual(["CREATE_USER", "GRANT_ROLES", "JOIN_QUEUES", "INVITE"]);
    const applies = script.calls.filter((c) => c.name === "applyPlanStep");
    expect(applies.map((c) => [c.input.step.kind, (c.input.then ?? []).length])).toEqual([
      ["CREATE_USER", 2],
      ["GRANT_ROLES", 1],
      ["JOIN_QUEUES", 0],
      ["INVITE", 0],
    ]);
    expect(applies[1]?.input).toMatchObject({ userId: "u-new" });
  });

  it("finishes an instance the previous flow started, one step a call, without applying a step twice", async () => {
    script.convergeFlow = "previous";
    // The activity as it was: one step a call, no count in its result. The grant waits out a rate limit.
    let limited = 0;
    script.activities.applyPlanStep = ({ step: s }) => {
      if (s.kind === "GRANT_ROLES" && limited++ === 0)
        return { kind: "RATE_LIMITED", retryAfterInMs: 42_000 };
      applied.push(s.kind);
      return { kind: "DONE", ...(s.kind === "CREATE_USER" ? { userId: "u-new" } : {}) };
    };
    try {
      const id = host.durable.start(CONVERGE_ORCHESTRATOR.name, {
        input: { employeeKey: "100482", event: hire },
      });
      await host.durable.settle();
      expect(host.durable.status(id)?.runtimeStatus).toBe("Running");
      // Deployed while the instance waits: it replays its history with today's flow and activity from here on.
      script.convergeFlow = "current";
      script.activities.applyPlanStep = applyAll;
      const status = await host.durable.waitForStatus(id);
      expect(status).toMatchObject({
        runtimeStatus: "Completed",
        output: { kind: "APPLIED", userId: "u-new" },
      });
      expect(applied).toEqual(["CREATE_USER", "GRANT_ROLES", "JOIN_QUEUES", "INVITE"]);
    } finally {
      script.convergeFlow = "current";
    }
  });

  it("after a call stopped by a rate limit, waits it out on a durable timer and applies the rest", async () => {
    const apply = script.activities.applyPlanStep;
    let call = 0;
    script.activities.applyPlanStep = (input) => {
      call++;
      // The first call applies the create, then meets the rate limit; the second meets it at once.
      if (call === 1) {
        applied.push(input.step.kind);
        return { kind: "DONE", applied: 1, userId: "u-new", version: 1 };
      }
      if (call === 2) return { kind: "RATE_LIMITED", retryAfterInMs: 42_000 };
      return apply(input);
    };
    const before = host.clock.now();
    const status = await run();
    expect(status?.output).toMatchObject({ kind: "APPLIED", userId: "u-new" });
    expect(applied).toEqual(["CREATE_USER", "GRANT_ROLES", "JOIN_QUEUES", "INVITE"]);
    expect(host.clock.now() - before).toBeGreaterThanOrEqual(42_000);
    const applies = script.calls.filter((c) => c.name === "applyPlanStep").map((c) => c.input);
    expect(applies.map((input) => input.step.kind)).toEqual([
      "CREATE_USER",
      "GRANT_ROLES",
      "GRANT_ROLES",
      "INVITE",
    ]);
    // The rest carries what the create left: the user and its version.
    expect(applies[1]).toMatchObject({ userId: "u-new", version: 1, then: [{ kind: "JOIN_QUEUES" }] });
  });

  it("stops at a failed step, names what was and was not applied, and never invites", async () => {
    const apply = script.activities.applyPlanStep;
    // The call applies the create and the grant, then fails on the queue.
    script.activities.applyPlanStep = (input) =>
      input.step.kind === "CREATE_USER"
        ? (applied.push("CREATE_USER", "GRANT_ROLES"),
          { kind: "FAILED", applied: 2, reason: "Genesys 403 on routing:queue:edit in division 'Support'" })
        : apply(input);
    const status = await run();
    expect(status?.output).toEqual({
      kind: "QUARANTINED",
      reason:
        "step 3 of 3 (join Tier_2_Escalation) failed: Genesys 403 on routing:queue:edit in division 'Support'. " +
        "Applied before it: create jane.doe@example.com in Support, grant Agent in Support. " +
        "Not applied: nothing else; the invitation was not sent.",
    });
    expect(applied).not.toContain("INVITE");
    expect(script.calls.filter((c) => c.name === "applyPlanStep")).toHaveLength(1);
  });

  it("quarantines an unmapped title without touching Genesys", async () => {
    script.activities.prepareConverge = () => ({
      kind: "UNMAPPED",
      reason: "no mapping profile matches title 'Astronaut'",
      withdraw: [],
      mappingVersion: 3,
    });
    const status = await run();
    expect(status?.output).toEqual({
      kind: "QUARANTINED",
      reason: "no mapping profile matches title 'Astronaut'",
    });
    expect(applied).toEqual([]);
  });

  it("a mover to an unmapped title loses what was assigned, off queue first, and is quarantined naming the title", async () => {
    script.activities.prepareConverge = () => ({
      kind: "UNMAPPED",
      reason: 'employee 100482: no profile in the mapping matches the title "Astronaut"',
      withdraw: [
        step("STOP_ROUTING", "routing status OFF_QUEUE"),
        step("LEAVE_QUEUES", "leave Tier_2_Escalation"),
        step("REVOKE_ROLES", "revoke Agent in Support"),
      ],
      mappingVersion: 3,
      userId: "u-1",
    });
    const status = await run({ employeeKey: "100482", event: { ...hire, type: "change" } });
    expect(applied).toEqual(["STOP_ROUTING", "LEAVE_QUEUES", "REVOKE_ROLES"]);
    expect(script.calls.filter((c) => c.name === "applyPlanStep").map((c) => c.input)).toEqual([
      expect.objectContaining({
        userId: "u-1",
        step: expect.objectContaining({ kind: "STOP_ROUTING" }),
        then: [
          expect.objectContaining({ kind: "LEAVE_QUEUES" }),
          expect.objectContaining({ kind: "REVOKE_ROLES" }),
        ],
      }),
    ]);
    expect(status?.output).toEqual({
      kind: "QUARANTINED",
      reason:
        'employee 100482: no profile in the mapping matches the title "Astronaut". What this product assigned ' +
        "was taken away (routing status OFF_QUEUE, leave Tier_2_Escalation, revoke Agent in Support); the " +
        "account stays. Fix the mapping, then replay the event.",
    });
  });

  it("a change that finds the user inactive does not reactivate it", async () => {
    script.activities.prepareConverge = () => ({ kind: "USER_INACTIVE", reason: "the user is inactive" });
    const status = await run({
      employeeKey: "100482",
      event: { ...hire, type: "change" },
      reactivate: false,
    });
    expect(script.calls[0]?.input).toMatchObject({ reactivate: false });
    expect(status?.output).toEqual({
      kind: "NOTHING_TO_DO",
      summary: "the user is inactive",
      code: "USER_INACTIVE",
    });
    expect(applied).toEqual([]);
  });

  it("does not invite when the read-back finds drift", async () => {
    script.activities.verifyConverged = () => ({ kind: "DRIFT", remaining: ["join Tier_2_Escalation"] });
    const status = await run();
    expect(status?.output).toEqual({
      kind: "QUARANTINED",
      reason: "read-back after applying found differences, invitation not sent: join Tier_2_Escalation",
    });
    expect(applied).not.toContain("INVITE");
  });

  it("changes nothing when the user already matches", async () => {
    script.activities.prepareConverge = () => ({
      kind: "PLANNED",
      mappingVersion: 3,
      userId: "u-1",
      steps: [],
    });
    const status = await run();
    expect(status?.output).toEqual({
      kind: "NOTHING_TO_DO",
      summary: "the Genesys user already matches the profile",
    });
  });

  it("reports a restore as a restore", async () => {
    script.activities.prepareConverge = () => ({
      kind: "PLANNED",
      mappingVersion: 3,
      userId: "u-old",
      steps: [step("RESTORE_USER", "restore the deleted user"), step("MOVE_DIVISION", "move to Support")],
    });
    const status = await run();
    expect(status?.output).toMatchObject({ kind: "APPLIED", userId: "u-old", change: "restored" });
  });

  it("turns transient failures that outlive every retry into a quarantine, not a crash", async () => {
    script.activities.prepareConverge = () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8085");
    };
    const status = await run();
    expect(status?.runtimeStatus).toBe("Completed");
    expect(status?.output).toMatchObject({ kind: "QUARANTINED" });
    expect((status?.output as { reason: string }).reason).toContain("ECONNREFUSED");
    expect(script.calls.filter((c) => c.name === "prepareConverge")).toHaveLength(5);
  });

  it("leaves queues and the invitation to the batch when asked", async () => {
    await run({ employeeKey: "1", event: hire, deferQueuesAndInvite: true });
    expect(script.calls[0]?.input).toEqual({
      employeeKey: "1",
      eventKey: "wd-1",
      deferQueuesAndInvite: true,
    });
  });
});
