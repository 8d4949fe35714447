import type { ActivityDependencies } from "../../../src/activities/dependencies";
import { createLeaverActivities } from "../../../src/activities/leaver";
import { AuditRepository } from "../../../src/storage/audit";
import { EmployeeRepository } from "../../../src/storage/employees";
import { useAzuriteTables } from "../../support/tables";

describe("deactivateLeaver runs twice (at-least-once delivery)", () => {
  const azurite = useAzuriteTables();

  it("records one deactivation, so the mass-deactivation guard counts the leaver once", async () => {
    const table = azurite.tables();
    const employees = new EmployeeRepository(table("employeesonce"));
    const times = ["2026-12-01T10:00:00.000Z", "2026-12-01T10:05:00.000Z"];
    // The user is already inactive (the first run got that far), so only the employee record is under test;
    // a plain object stands in for the Genesys client's one read.
    const deps = {
      genesys: { getUser: async () => ({ id: "u-1", state: "inactive", version: 3, name: "x" }) },
      employees,
      audit: new AuditRepository(table("auditonce")),
      now: () => new Date(times.shift()!),
    } as unknown as ActivityDependencies;
    const leaver = createLeaverActivities(deps);
    const input = {
      employeeKey: "100482",
      eventId: "leave-1",
      userId: "u-1",
      deleteAt: "2026-12-31T10:00:00.000Z",
    };
    expect(await leaver.deactivateLeaver(input)).toEqual({ kind: "DEACTIVATED" });
    expect(await leaver.deactivateLeaver(input)).toEqual({ kind: "DEACTIVATED" });
    expect(await employees.deactivationsSince("2026-12-01T00:00:00.000Z")).toEqual([
      "2026-12-01T10:00:00.000Z",
    ]);
    expect(await employees.get("100482")).toMatchObject({ deactivatedAt: "2026-12-01T10:00:00.000Z" });
  });
});
