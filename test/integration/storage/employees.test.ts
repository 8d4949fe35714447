import { EmployeeRepository } from "../../../src/storage/employees";
import { aWorker } from "../../support/builders";
import { useAzuriteTables } from "../../support/tables";

const azurite = useAzuriteTables();
let repo: EmployeeRepository;

beforeEach(async () => {
  repo = new EmployeeRepository(await azurite.createdTable("employees"));
});

describe("EmployeeRepository (Azurite)", () => {
  it("knows nothing of an employee it never saw", async () => {
    expect(await repo.get("100482")).toBeUndefined();
  });

  it("merges updates and clears fields set to null", async () => {
    await repo.update("100482", { genesysUserId: "u-1", lastAppliedEffectiveDate: "2026-12-01" });
    await repo.update("100482", {
      deleteAt: "2027-01-01T00:00:00.000Z",
      deactivatedAt: "2026-12-02T00:00:00.000Z",
    });
    expect(await repo.get("100482")).toEqual({
      employeeKey: "100482",
      genesysUserId: "u-1",
      lastAppliedEffectiveDate: "2026-12-01",
      deactivatedAt: "2026-12-02T00:00:00.000Z",
      deleteAt: "2027-01-01T00:00:00.000Z",
    });
    await repo.update("100482", { deleteAt: null, deactivatedAt: null });
    expect(await repo.get("100482")).toEqual({
      employeeKey: "100482",
      genesysUserId: "u-1",
      lastAppliedEffectiveDate: "2026-12-01",
    });
  });

  it("keeps employee keys with characters Table Storage forbids in row keys apart", async () => {
    await repo.update("WD/100#1", { genesysUserId: "u-a" });
    await repo.update("WD/100#2", { genesysUserId: "u-b" });
    expect((await repo.get("WD/100#1"))?.genesysUserId).toBe("u-a");
  });

  it("counts deactivations in a window once each, and managed users", async () => {
    await repo.logDeactivation("a", "2026-12-01T10:00:00.000Z");
    await repo.logDeactivation("a", "2026-12-01T10:00:00.000Z");
    await repo.logDeactivation("b", "2026-12-01T11:00:00.000Z");
    await repo.logDeactivation("c", "2026-11-30T11:00:00.000Z");
    expect(await repo.deactivationsSince("2026-12-01T00:00:00.000Z")).toHaveLength(2);
    expect(await repo.deactivationsSince("2026-12-01T00:00:00.000Z", "b")).toEqual([
      "2026-12-01T10:00:00.000Z",
    ]);

    await repo.update("x", { genesysUserId: "u-x" });
    await repo.update("y", { genesysUserId: "u-y", deactivatedAt: "2026-12-01T10:00:00.000Z" });
    await repo.update("z", { lastAppliedEffectiveDate: "2026-12-01" });
    expect(await repo.countManaged()).toBe(1);
  });

  it("marks a running leaver on the record and finds it by Genesys user id until it ends", async () => {
    expect(await repo.leaverInProgress("u-m")).toBeUndefined();
    const marker = {
      employeeKey: "100306",
      userId: "u-m",
      eventId: "leave-1",
      startedAt: "2026-12-01T09:00:00.000Z",
    };
    await repo.startLeaver(marker);
    await repo.startLeaver(marker);
    expect(await repo.leaverInProgress("u-m")).toEqual(marker);
    expect(await repo.get("100306")).toMatchObject({
      leaverEventId: "leave-1",
      leaverUserId: "u-m",
      leaverStartedAt: "2026-12-01T09:00:00.000Z",
    });
    // Managed-user counts and the pending-event sweep do not see the index rows.
    expect(await repo.countManaged()).toBe(0);
    expect(await repo.employeesWithPendingEvents()).toEqual([]);

    await repo.endLeaver("100306");
    await repo.endLeaver("100306");
    expect(await repo.leaverInProgress("u-m")).toBeUndefined();
    expect(await repo.get("100306")).toEqual({ employeeKey: "100306" });
  });

  it("leaves a newer leaver's marker of the same Genesys user alone when an older one ends", async () => {
    await repo.startLeaver({
      employeeKey: "old",
      userId: "u-1",
      eventId: "e1",
      startedAt: "2026-12-01T00:00:00.000Z",
    });
    await repo.startLeaver({
      employeeKey: "new",
      userId: "u-1",
      eventId: "e2",
      startedAt: "2026-12-02T00:00:00.000Z",
    });
    await repo.endLeaver("old");
    expect(await repo.leaverInProgress("u-1")).toMatchObject({ employeeKey: "new", eventId: "e2" });
  });

  it("finds the employees whose HR record has an email, ignoring case", async () => {
    const worker = (employeeId: string, email: string) => JSON.stringify(aWorker({ employeeId, email }));
    await repo.update("100482", { worker: worker("100482", "Jane.Doe@example.com"), genesysUserId: "u-1" });
    await repo.update("200001", { worker: worker("200001", "jane.doe@example.com") });
    await repo.update("300003", { worker: worker("300003", "someone.else@example.com") });
    await repo.update("400004", { genesysUserId: "u-4" }); // no HR record yet
    await repo.enqueueEvent("100482", {
      source: "events",
      idempotencyKey: "e-1",
      eventId: "e-1",
      type: "hire",
      effectiveDate: "2026-12-01",
      receivedAt: "2026-11-30T09:00:00.000Z",
    });
    const found = await repo.findByEmail(" JANE.DOE@example.com ");
    expect(found.map((r) => r.employeeKey).sort()).toEqual(["100482", "200001"]);
    expect(found.find((r) => r.employeeKey === "100482")?.genesysUserId).toBe("u-1");
    expect(await repo.findByEmail("nobody@example.com")).toEqual([]);
  });

  it("reads a record and its pending events in one query, as get and pendingEvents would", async () => {
    const event = (key: string) => ({
      source: "events",
      idempotencyKey: key,
      eventId: key,
      type: "change" as const,
      effectiveDate: "2026-12-01",
      receivedAt: "2026-11-30T09:00:00.000Z",
    });
    await repo.update("100482", { genesysUserId: "u-1", lifecycleState: "active" });
    await repo.enqueueEvent("100482", event("e-1"));
    await repo.enqueueEvent("100482", event("e-2"));
    await repo.completeEvent("100482", "events:e-1", { kind: "APPLIED" });
    await repo.enqueueAwaitingHr("100482", {
      source: "workday",
      idempotencyKey: "n-1",
      receivedAt: "2026-11-30T09:00:00.000Z",
    });
    await repo.update("200001", { genesysUserId: "u-2", lifecycleState: "active" });
    await repo.enqueueEvent("100482-other", event("e-3")); // a key that starts like another employee's

    const both = await repo.recordAndPending("100482");
    expect(both).toEqual({
      record: await repo.get("100482"),
      pendingEvents: (await repo.pendingEvents("100482")).length,
    });
    expect(both.pendingEvents).toBe(1);
    expect(await repo.recordAndPending("200001")).toEqual({
      record: { employeeKey: "200001", genesysUserId: "u-2", lifecycleState: "active" },
      pendingEvents: 0,
    });
    expect(await repo.recordAndPending("nobody")).toEqual({ pendingEvents: 0 });
  });
});
