import { employeeInstanceId, eventInstanceId } from "../../../src/orchestrators/instance-ids";

describe("instance ids", () => {
  it("keep plain HR keys readable", () => {
    expect(employeeInstanceId("100482")).toBe("employee-100482");
    expect(eventInstanceId("employee-100482", "wd-4a6f")).toBe("employee-100482:wd-4a6f");
  });

  it("keep only URL-safe characters, and stay distinct for keys that differ only in unsafe ones", () => {
    const a = eventInstanceId("employee-1", "events:leave/1");
    const b = eventInstanceId("employee-1", "events:leave?1");
    expect(a).toMatch(/^employee-1:events_leave_1-[0-9a-f]{8}$/);
    expect(b).toMatch(/^employee-1:events_leave_1-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(employeeInstanceId("WD/100#1")).toMatch(/^employee-WD_100_1-[0-9a-f]{8}$/);
  });

  it("are stable across calls", () => {
    expect(eventInstanceId("e", "batch:b1:7")).toBe(eventInstanceId("e", "batch:b1:7"));
  });
});
