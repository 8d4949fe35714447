import {
  appliedAfter,
  decide,
  supersededBy,
  LIFECYCLE_STATES,
  stateAfter,
  stateWhileApplying,
  TRANSITIONS,
  USER_INACTIVE,
  type LifecycleState,
} from "../../../src/lifecycle/employee-lifecycle";
import { HR_EVENT_TYPES, type HrEventType } from "../../../src/lifecycle/hr-event";

/**
 * Every state × event cell, written out by hand: the action (C = converge and may reactivate, U = converge
 * without reactivating, L = the leaver, A = the leaver for a leave of absence, R = record only, N = nothing) and
 * the state it leaves behind when applied.
 */
// prettier-ignore
const TABLE: Record<LifecycleState, Record<HrEventType, [string, LifecycleState]>> = {
  not_provisioned: { hire: ["C", "active"], change: ["U", "active"],         rehire: ["C", "active"], terminate: ["L", "terminated"],  leave_start: ["A", "on_leave"],    leave_end: ["C", "active"] },
  active:          { hire: ["C", "active"], change: ["U", "active"],         rehire: ["C", "active"], terminate: ["L", "terminated"],  leave_start: ["A", "on_leave"],    leave_end: ["C", "active"] },
  starting_leave:  { hire: ["C", "active"], change: ["R", "starting_leave"], rehire: ["C", "active"], terminate: ["L", "terminated"],  leave_start: ["A", "on_leave"],    leave_end: ["C", "active"] },
  on_leave:        { hire: ["C", "active"], change: ["R", "on_leave"],       rehire: ["C", "active"], terminate: ["L", "terminated"],  leave_start: ["N", "on_leave"],    leave_end: ["C", "active"] },
  terminating:     { hire: ["C", "active"], change: ["R", "terminating"],    rehire: ["C", "active"], terminate: ["L", "terminated"],  leave_start: ["N", "terminating"], leave_end: ["N", "terminating"] },
  terminated:      { hire: ["C", "active"], change: ["R", "terminated"],     rehire: ["C", "active"], terminate: ["N", "terminated"],  leave_start: ["N", "terminated"],  leave_end: ["N", "terminated"] },
  deleted:         { hire: ["C", "active"], change: ["R", "deleted"],        rehire: ["C", "active"], terminate: ["N", "deleted"],     leave_start: ["N", "deleted"],     leave_end: ["N", "deleted"] },
};

const letter = (state: LifecycleState, type: HrEventType): string => {
  const { action } = decide(state, type);
  switch (action.kind) {
    case "CONVERGE":
      return action.reactivate ? "C" : "U";
    case "LEAVE":
      return action.leaveOfAbsence ? "A" : "L";
    case "RECORD":
      return "R";
    case "NOTHING":
      return "N";
  }
};

const cells = LIFECYCLE_STATES.flatMap((state) => HR_EVENT_TYPES.map((type) => ({ state, type })));

describe("the employee lifecycle table", () => {
  it("has a cell, with a reason, for every state and event", () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...LIFECYCLE_STATES].sort());
    for (const { state, type } of cells) expect(decide(state, type).why.length).toBeGreaterThan(10);
  });

  it.each(cells)("$state × $type", ({ state, type }) => {
    const [action, after] = TABLE[state][type];
    expect(letter(state, type)).toBe(action);
    expect(stateAfter(state, decide(state, type).action, { kind: "APPLIED" })).toBe(after);
  });

  it.each(cells)("$state × $type quarantined keeps the state it was applied in", ({ state, type }) => {
    const { action } = decide(state, type);
    expect(stateAfter(state, action, { kind: "QUARANTINED" })).toBe(stateWhileApplying(state, action));
  });

  it("only rehire, hire and leave_end reactivate someone deactivated by a termination or a leave", () => {
    const deactivated: LifecycleState[] = ["on_leave", "terminating", "terminated", "deleted"];
    for (const state of deactivated) {
      const reactivating = HR_EVENT_TYPES.filter((type) => {
        const { action } = decide(state, type);
        return action.kind === "CONVERGE" && action.reactivate;
      });
      expect(reactivating).toEqual(
        state === "on_leave" ? ["hire", "rehire", "leave_end"] : ["hire", "rehire"],
      );
    }
  });

  it("a change never reactivates, and a change that found the user inactive leaves the state as it was", () => {
    for (const state of LIFECYCLE_STATES) {
      const { action } = decide(state, "change");
      expect(action.kind === "CONVERGE" && action.reactivate).toBe(false);
    }
    expect(
      stateAfter("not_provisioned", decide("not_provisioned", "change").action, {
        kind: "NOTHING_TO_DO",
        code: USER_INACTIVE,
      }),
    ).toBe("not_provisioned");
  });

  it("a leaver in progress is visible as such, and nothing else changes the state before it is applied", () => {
    expect(stateWhileApplying("active", decide("active", "terminate").action)).toBe("terminating");
    expect(stateWhileApplying("active", decide("active", "leave_start").action)).toBe("starting_leave");
    expect(stateWhileApplying("terminated", decide("terminated", "rehire").action)).toBe("terminated");
  });

  it("an event that never applied (superseded) moves nothing", () => {
    expect(stateAfter("terminated", decide("terminated", "rehire").action, { kind: "SUPERSEDED" })).toBe(
      "terminated",
    );
  });

  describe("a late hire, rehire or return when only changes came after it", () => {
    const applied = {
      change: { eventId: "c", effectiveDate: "2026-11-04" },
      terminate: { eventId: "t", effectiveDate: "2026-11-01" },
    };
    const hire = { type: "hire" as const, effectiveDate: "2026-11-02" };

    it("is moot for an active worker: the newer change already holds", () => {
      expect(supersededBy(hire, applied, "active")).toMatchObject({ eventId: "c" });
    });

    it("brings back a worker a backdated termination took out, from the newest HR record", () => {
      expect(supersededBy(hire, applied, "terminated")).toBeUndefined();
      expect(appliedAfter(hire, applied).map((e) => e.eventId)).toEqual(["c"]);
    });

    it("is superseded whatever the state when a later termination came after it", () => {
      const later = { ...applied, terminate: { eventId: "t2", effectiveDate: "2026-11-06" } };
      expect(supersededBy(hire, later, "terminated")).toMatchObject({ eventId: "t2" });
      expect(supersededBy(hire, later)).toMatchObject({ eventId: "t2" });
    });

    it("brings back a worker a backdated termination took out after a later return had been applied", () => {
      // Terminated on 1 Nov, rehired on 2 Nov, back from leave on 6 Nov: the return came in first, then the
      // termination, then this hire. Only the hire brings the worker back.
      const later = { ...applied, leave_end: { eventId: "l", effectiveDate: "2026-11-06" } };
      expect(supersededBy(hire, later, "terminated")).toBeUndefined();
      // Moot for an active worker, and in the queue, where the state is not known yet.
      expect(supersededBy(hire, later, "active")).toMatchObject({ eventId: "l" });
      expect(supersededBy(hire, later)).toMatchObject({ eventId: "l" });
    });

    it("stays undecided in the queue, where the state is not known yet", () => {
      expect(supersededBy(hire, applied)).toBeUndefined();
    });
  });
});
