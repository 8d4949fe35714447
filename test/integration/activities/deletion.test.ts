import { startAzuriteTables, type AzuriteTables } from "../../../local/azurite";
import type { ActivityDependencies } from "../../../src/activities/dependencies";
import { createEmployeeEventActivities } from "../../../src/activities/employee-events";
import { AuditRepository } from "../../../src/storage/audit";
import { EmployeeRepository } from "../../../src/storage/employees";
import { startHarness, type Harness } from "../genesys/harness";
import { azuriteTables, uniqueSuffix } from "../../support/tables";

describe("deleteAfterRetention never deletes an account that still holds live work", () => {
  let harness: Harness;
  let azurite: AzuriteTables;
  beforeAll(async () => {
    [harness, azurite] = await Promise.all([startHarness(), startAzuriteTables()]);
  });
  afterAll(async () => {
    await harness.close();
    await azurite.close();
  });

  it("postpones the deletion by a day while an interaction is live, and deletes once it has ended", async () => {
    const tables = azuriteTables(azurite.connectionString, uniqueSuffix());
    const employees = new EmployeeRepository(tables("employees"));
    const audit = new AuditRepository(tables("audit"));
    const now = new Date("2026-12-31T10:00:00.000Z");
    // Only the Genesys client, the employee records and the audit are used by this activity.
    const events = createEmployeeEventActivities({
      genesys: harness.client(),
      employees,
      audit,
      now: () => now,
    } as unknown as ActivityDependencies);
    const { admin } = harness.emulator;
    const hugo = admin.user("hugo.home@example.com")!;
    // Deactivated in Genesys Cloud by hand while a customer was still on the line.
    const call = admin.addInteraction({ mediaType: "voice", agent: hugo.id });
    admin.deactivateUser(hugo.id);
    await employees.update("100405", { genesysUserId: hugo.id, deleteAt: "2026-12-31T09:00:00.000Z" });

    await events.deleteAfterRetention({ employeeKey: "100405", userId: hugo.id });
    expect(admin.user(hugo.id)?.state).toBe("inactive");
    expect((await employees.get("100405"))?.deleteAt).toBe("2027-01-01T10:00:00.000Z");
    expect((await audit.list("100405")).map((e) => e.operation)).toEqual(["leaver.delete-postponed"]);

    admin.endInteraction(call.id);
    await events.deleteAfterRetention({ employeeKey: "100405", userId: hugo.id });
    expect(admin.users({ email: hugo.email, state: "deleted" })).toHaveLength(1);
    expect((await employees.get("100405"))?.deleteAt).toBeUndefined();
  });
});
