import { createConvergeActivities } from "../../../src/activities/converge";
import type { ActivityDependencies } from "../../../src/activities/dependencies";
import type { HrEvent } from "../../../src/lifecycle/hr-event";

// Stand-ins for the inbox, the records and the mappings: what is tested is which reads the read-back makes
// before it plans, and with no mapping active it stops there.
describe("reading a batch's hires back", () => {
  const event: HrEvent = {
    eventId: "wd-1",
    type: "hire",
    effectiveDate: "2026-12-01",
    worker: { employeeId: "1", email: "a@example.com", firstName: "A", lastName: "B", title: "Agent" },
  };
  const setUp = () => {
    const inboxReads: string[] = [];
    const converge = createConvergeActivities({
      inbox: { get: async (_source: string, key: string) => (inboxReads.push(key), { event }) },
      employees: { get: async () => undefined },
      mappings: { getActive: async () => undefined },
    } as unknown as ActivityDependencies);
    return { converge, inboxReads };
  };
  const hire = { employeeKey: "1", eventKey: "batch:b1:row-1", userId: "u-1" };

  it("takes each hire's event as the caller read it instead of reading the inbox again", async () => {
    const { converge, inboxReads } = setUp();
    const settle = await converge.readBackMany([{ ...hire, event }]);
    expect(Array.isArray(settle) && (await settle[0]())).toMatchObject({ kind: "DRIFT" });
    expect(inboxReads).toEqual([]);
  });

  it("reads the event from the inbox when the caller has none", async () => {
    const { converge, inboxReads } = setUp();
    await converge.readBackMany([hire]);
    expect(inboxReads).toEqual(["b1:row-1"]);
  });
});
