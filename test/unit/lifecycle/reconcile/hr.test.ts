import type { HrWorker } from "../../../../src/lifecycle/hr-event";
import {
  decideHrReconciliation,
  type AppliedView,
  type HrDecisionInput,
} from "../../../../src/lifecycle/reconcile/hr";

const worker: HrWorker = {
  employeeId: "500100",
  email: "ana.lopez@example.com",
  firstName: "Ana",
  lastName: "Lopez",
  title: "Technical Support",
};
const today = "2026-12-07";
const active: AppliedView = {
  state: "active",
  worker,
  applied: { hire: { eventId: "h-1", effectiveDate: "2026-03-01" } },
  pendingEvents: 0,
};
const decide = (input: Partial<HrDecisionInput> & Pick<HrDecisionInput, "observed">) =>
  decideHrReconciliation({ applied: undefined, inScope: true, today, ...input });

describe("what a worker's HR state means against what the product last applied", () => {
  it("an active worker with a mapped title the product never provisioned is a hire that never came", () => {
    expect(decide({ observed: { type: "change", effectiveDate: today, worker } })).toMatchObject({
      kind: "EVENT",
      type: "hire",
      effectiveDate: today,
    });
  });

  it("a worker the mapping does not cover, or one already gone, is quietly out of scope", () => {
    expect(
      decide({ observed: { type: "change", effectiveDate: today, worker }, inScope: false }),
    ).toMatchObject({ kind: "SKIPPED", quiet: true });
    expect(decide({ observed: { type: "terminate", effectiveDate: "2026-11-30", worker } })).toMatchObject({
      kind: "SKIPPED",
      quiet: true,
    });
  });

  it("a termination HR has for an active employee becomes a terminate on HR's date", () => {
    expect(
      decide({ observed: { type: "terminate", effectiveDate: "2026-12-05", worker }, applied: active }),
    ).toMatchObject({ kind: "EVENT", type: "terminate", effectiveDate: "2026-12-05" });
  });

  it("the same record as last applied is in sync; a changed field is a change never dated before the last event", () => {
    expect(decide({ observed: { type: "change", effectiveDate: today, worker }, applied: active })).toEqual({
      kind: "IN_SYNC",
    });
    const moved = { ...worker, title: "Senior Technical Support" };
    const future = { ...active, applied: { hire: { eventId: "h-1", effectiveDate: "2026-12-20" } } };
    expect(
      decide({ observed: { type: "change", effectiveDate: today, worker: moved }, applied: future }),
    ).toMatchObject({
      kind: "EVENT",
      type: "change",
      effectiveDate: "2026-12-20",
      why: expect.stringContaining("title"),
    });
  });

  it("a field HR leaves empty is no opinion, and an email differing only in case is the same", () => {
    const sparse = { ...worker, email: "ANA.LOPEZ@example.com", department: undefined };
    const applied = { ...active, worker: { ...worker, department: "Support" } };
    expect(decide({ observed: { type: "change", effectiveDate: today, worker: sparse }, applied })).toEqual({
      kind: "IN_SYNC",
    });
  });

  it("a return after a termination on the same day is dated the day after, so it is not superseded", () => {
    const terminated: AppliedView = {
      state: "terminated",
      worker,
      applied: { terminate: { eventId: "t-1", effectiveDate: today } },
      pendingEvents: 0,
    };
    expect(
      decide({ observed: { type: "change", effectiveDate: today, worker }, applied: terminated }),
    ).toMatchObject({ kind: "EVENT", type: "rehire", effectiveDate: "2026-12-08" });
  });

  it("sends nothing while accepted events are pending or a termination is being applied", () => {
    const observed = { type: "terminate" as const, effectiveDate: today, worker };
    expect(decide({ observed, applied: { ...active, pendingEvents: 2 } })).toMatchObject({ kind: "SKIPPED" });
    expect(decide({ observed, applied: { ...active, state: "terminating" } })).toMatchObject({
      kind: "SKIPPED",
    });
  });
});
