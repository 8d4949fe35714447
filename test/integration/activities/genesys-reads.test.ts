import { startAzuriteTables, type AzuriteTables } from "../../../local/azurite";
import { GenesysStateReader } from "../../../src/adapters/genesys-state";
import { createConvergeActivities } from "../../../src/activities/converge";
import type { ActivityDependencies } from "../../../src/activities/dependencies";
import { collect, type GenesysCloudClient } from "../../../src/genesys";
import type { HrWorker } from "../../../src/lifecycle/hr-event";
import type { PlanStep } from "../../../src/lifecycle/plan";
import { EmployeeRepository } from "../../../src/storage/employees";
import { answered, startHarness, type Harness } from "../genesys/harness";
import { azuriteTables, uniqueSuffix } from "../../support/tables";

const worker = (employeeId: string, extra: Partial<HrWorker> = {}): HrWorker => ({
  employeeId,
  email: `${employeeId}@example.com`,
  firstName: "Rea",
  lastName: `Reader${employeeId}`,
  title: "Technical Support",
  ...extra,
});

describe("GenesysStateReader against the emulator (real HTTP)", () => {
  let harness: Harness;
  let azurite: AzuriteTables;
  let genesys: GenesysCloudClient;
  let reader: GenesysStateReader;
  beforeAll(async () => {
    [harness, azurite] = await Promise.all([startHarness(), startAzuriteTables()]);
    genesys = harness.client();
    const employees = new EmployeeRepository(
      azuriteTables(azurite.connectionString, uniqueSuffix())("employees"),
    );
    reader = new GenesysStateReader(genesys, employees);
  });
  afterAll(async () => {
    await harness.close();
    await azurite.close();
  });

  async function hire(employeeId: string): Promise<string> {
    const home = await genesys.getHomeDivision();
    const user = await genesys.createUser({
      name: `Rea Reader${employeeId}`,
      email: `${employeeId}@example.com`,
      divisionId: home.id,
      state: "active",
    });
    await genesys.updateUser(user.id, { employerInfo: { employeeId }, version: user.version });
    const [skill] = (await collect(genesys.listSkills())).filter((s) => s.name === "Product_Knowledge");
    await genesys.addUserSkills(user.id, [{ id: skill.id, proficiency: 4 }]);
    return user.id;
  }

  it("reads a slice's users back with one listing, and a deleted user on its own", async () => {
    const ids = [await hire("910001"), await hire("910002"), await hire("910003")];
    await genesys.deleteUser(ids[2]);
    harness.emulator.admin.clearRequests();

    const workers = ["910001", "910002", "910003"].map((id) => worker(id));
    const states = await reader.read(workers, {
      users: new Map([
        ["910001", { id: ids[0], state: "active" }],
        ["910002", { id: ids[1], state: "active" }],
        ["910003", { id: ids[2], state: "deleted" }],
      ]),
      managers: new Map(workers.map((w) => [w.employeeId, null])),
    });

    expect(answered(harness.emulator, "GET /api/v2/users")).toBe(1);
    expect(answered(harness.emulator, "GET /api/v2/users/{userId}")).toBe(1);
    expect(answered(harness.emulator, "POST /api/v2/users/search")).toBe(0);
    expect(states.get("910001")?.user).toMatchObject({
      id: ids[0],
      state: "active",
      employeeId: "910001",
      skills: [{ id: expect.any(String), proficiency: 4 }],
    });
    expect(states.get("910002")?.user).toMatchObject({ id: ids[1], employeeId: "910002" });
    expect(states.get("910003")?.user).toMatchObject({ id: ids[2], state: "deleted", skills: [] });
  });

  it("takes queues and grants confirmed by a batch's checks instead of reading them user by user", async () => {
    const ids = [await hire("915001"), await hire("915002")];
    harness.emulator.admin.clearRequests();
    const workers = ["915001", "915002"].map((id) => worker(id));
    const states = await reader.read(workers, {
      users: new Map([
        ["915001", { id: ids[0], state: "active" }],
        ["915002", { id: ids[1], state: "active" }],
      ]),
      managers: new Map(workers.map((w) => [w.employeeId, null])),
      queueIds: new Map([[ids[0], ["q-confirmed"]]]),
      grants: new Map([[ids[0], [{ roleId: "r-confirmed", divisionId: "d-confirmed" }]]]),
    });
    expect(states.get("915001")?.user).toMatchObject({
      queueIds: ["q-confirmed"],
      grants: [{ roleId: "r-confirmed", divisionId: "d-confirmed" }],
    });
    expect(states.get("915002")?.user).toMatchObject({ queueIds: [], grants: [] });
    // Only the user without confirmed queues and grants had them read.
    expect(answered(harness.emulator, "GET /api/v2/users/{userId}/queues")).toBe(1);
    expect(answered(harness.emulator, "GET /api/v2/authorization/subjects/{subjectId}")).toBe(1);
  });

  it("takes employee records read moments ago instead of reading them again", async () => {
    const id = await hire("916001");
    const reads: string[] = [];
    const records = azuriteTables(azurite.connectionString, uniqueSuffix())("employees");
    const counting = new EmployeeRepository(records);
    const reader = new GenesysStateReader(genesys, {
      get: (key: string) => (reads.push(key), counting.get(key)),
      listManagedWorkers: () => counting.listManagedWorkers(),
    });
    const assigned = { mappingVersion: 4, queueIds: ["q-1"], grants: [], skillIds: [], languageIds: [] };
    const workers = [worker("916001"), worker("916002")];
    const states = await reader.read(workers, {
      users: new Map([
        ["916001", { id, state: "active" }],
        ["916002", null],
      ]),
      managers: new Map(workers.map((w) => [w.employeeId, null])),
      records: new Map([["916001", { employeeKey: "916001", assigned: JSON.stringify(assigned) }]]),
    });
    expect(states.get("916001")?.previous).toEqual(assigned);
    expect(reads).toEqual(["916002"]);
  });

  it("looks a slice up with a few searches however many workers it holds", async () => {
    await hire("920001");
    harness.emulator.admin.clearRequests();
    const workers = Array.from({ length: 10 }, (_, i) =>
      worker(String(920001 + i), { managerEmail: "910001@example.com" }),
    );

    const found = await reader.lookUp(workers);

    // Employee ids, then the emails of those not found by id, then the managers: three calls.
    expect(answered(harness.emulator, "POST /api/v2/users/search")).toBe(3);
    expect(found.users.get("920001")).toMatchObject({ state: "active" });
    expect(found.users.get("920002")).toBeNull();
    expect(found.managers.get("920005")).toMatchObject({ name: "Rea Reader910001" });
  });

  it("searches for the managers alongside the users, not after them", async () => {
    harness.emulator.admin.clearRequests();
    harness.emulator.admin.setFaults({ latencyMs: 50, pathPattern: "search" });
    try {
      await reader.lookUp([worker("921001", { managerEmail: "910001@example.com" })]);
    } finally {
      harness.emulator.admin.setFaults({ latencyMs: 0, pathPattern: "" });
    }
    // By employee id and for the manager at once; by email only once the id search has answered.
    const searches = harness.emulator.admin
      .requests({ endpoint: "POST /api/v2/users/search" })
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((r) => JSON.stringify(r.requestBody));
    expect(searches).toHaveLength(3);
    expect(searches[2]).toContain("921001@example.com");
    expect(searches.slice(0, 2).join()).toContain("910001@example.com");
  });
});

describe("applying a plan's first steps against the emulator (real HTTP)", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  it("patches a user it just created with the version the create returned, reading only on a conflict", async () => {
    const genesys = harness.client();
    // applyPlanStep needs only the Genesys client; the rest of the dependencies are not reached.
    const converge = createConvergeActivities({ genesys } as unknown as ActivityDependencies);
    const home = await genesys.getHomeDivision();
    const apply = (step: PlanStep, extra: { userId?: string; version?: number } = {}) =>
      converge.applyPlanStep({
        employeeKey: "930001",
        eventId: "hire-930001",
        mappingVersion: 1,
        ...extra,
        step: { kind: step.kind, summary: step.kind, payload: step },
      });
    harness.emulator.admin.clearRequests();

    const created = await apply({
      kind: "CREATE_USER",
      name: "Pat Patch",
      email: "pat.patch@example.com",
      division: { id: home.id, name: home.name ?? "Home" },
      title: "Technical Support",
    });
    expect(created).toMatchObject({ kind: "DONE", userId: expect.any(String), version: expect.any(Number) });
    const { userId, version } = created as { userId: string; version: number };
    const patched = await apply(
      { kind: "UPDATE_USER", changes: [{ field: "employeeId", to: "930001" }] },
      { userId, version },
    );
    expect(patched).toMatchObject({ kind: "DONE", version: expect.any(Number) });
    expect(answered(harness.emulator, "GET /api/v2/users/{userId}")).toBe(0);

    // A stale version (someone edited the user meanwhile) costs one read and one more attempt.
    const again = await apply(
      { kind: "UPDATE_USER", changes: [{ field: "department", to: "Support" }] },
      { userId, version },
    );
    expect(again).toMatchObject({ kind: "DONE" });
    expect(answered(harness.emulator, "GET /api/v2/users/{userId}")).toBe(1);
    expect(harness.emulator.admin.user(userId)).toMatchObject({
      department: "Support",
      employerInfo: { employeeId: "930001" },
    });
  });

  describe("several steps in one call", () => {
    const plan = async (genesys: GenesysCloudClient, employeeId: string) => {
      const home = await genesys.getHomeDivision();
      const [skill] = await collect(genesys.listSkills());
      const [language] = await collect(genesys.listLanguages());
      const steps: PlanStep[] = [
        {
          kind: "CREATE_USER",
          name: `Sam Steps${employeeId}`,
          email: `steps.${employeeId}@example.com`,
          division: { id: home.id, name: home.name ?? "Home" },
          title: "Technical Support",
        },
        { kind: "UPDATE_USER", changes: [{ field: "employeeId", to: employeeId }] },
        {
          kind: "SET_SKILLS",
          set: [{ id: skill.id, name: skill.name ?? "skill", proficiency: 3 }],
          remove: [],
        },
        {
          kind: "SET_LANGUAGES",
          set: [{ id: language.id, name: language.name ?? "language", proficiency: 4 }],
          remove: [],
        },
      ];
      const [step, ...then] = steps.map((s) => ({ kind: s.kind, summary: s.kind, payload: s }));
      return { step, then, skill, language };
    };
    const applyWith = (genesys: GenesysCloudClient) =>
      createConvergeActivities({ genesys } as unknown as ActivityDependencies).applyPlanStep;
    const input = (employeeId: string, steps: Awaited<ReturnType<typeof plan>>) => ({
      employeeKey: employeeId,
      eventId: `hire-${employeeId}`,
      mappingVersion: 1,
      step: steps.step,
      then: steps.then,
    });
    afterEach(() =>
      harness.emulator.admin.setFaults({ pathPattern: "", errorRate: 0, rateLimitStormRequests: 0 }),
    );

    it("applies them in order, each with what the one before left, and says how many", async () => {
      const genesys = harness.client();
      const steps = await plan(genesys, "930101");
      harness.emulator.admin.clearRequests();
      const result = await applyWith(genesys)(input("930101", steps));
      expect(result).toMatchObject({ kind: "DONE", applied: 4, userId: expect.any(String) });
      const userId = (result as { userId: string }).userId;
      // The patch used the create's version: no read.
      expect(answered(harness.emulator, "GET /api/v2/users/{userId}")).toBe(0);
      expect(harness.emulator.admin.user(userId)).toMatchObject({
        employerInfo: { employeeId: "930101" },
        skills: [expect.objectContaining({ id: steps.skill.id, proficiency: 3 })],
        languages: [expect.objectContaining({ id: steps.language.id, proficiency: 4 })],
      });
    });

    it("stops at a step Genesys refuses, saying how many were applied before it", async () => {
      const genesys = harness.client();
      const steps = await plan(genesys, "930102");
      const skills = steps.then[1].payload as Extract<PlanStep, { kind: "SET_SKILLS" }>;
      skills.set = [{ id: "no-such-skill", name: "Gone", proficiency: 3 }];
      harness.emulator.admin.clearRequests();
      const result = await applyWith(genesys)(input("930102", steps));
      expect(result).toMatchObject({ kind: "FAILED", applied: 2 });
      expect((result as { reason: string }).reason).toContain('step "SET_SKILLS"');
      expect(answered(harness.emulator, "PATCH /api/v2/users/{userId}/routinglanguages/bulk")).toBe(0);
    });

    it("ends the call at a later step's rate limit or transient fault with what was applied", async () => {
      const genesys = harness.client({ maxRateLimitRetries: 0, maxRetries: 0 });
      const apply = applyWith(genesys);
      const limited = await plan(genesys, "930103");
      // A Retry-After of 0: the budget is not held up for the rest of the test.
      harness.emulator.admin.setFaults({
        pathPattern: "routingskills",
        rateLimitStormRequests: 1,
        rateLimitStormRetryAfterSeconds: 0,
      });
      const stopped = await apply(input("930103", limited));
      expect(stopped).toEqual({
        kind: "DONE",
        applied: 2,
        userId: expect.any(String),
        version: expect.any(Number),
      });

      const faulted = await plan(genesys, "930104");
      harness.emulator.admin.setFaults({ pathPattern: "routinglanguages", errorRate: 1 });
      const cut = await apply(input("930104", faulted));
      expect(cut).toMatchObject({ kind: "DONE", applied: 3, userId: expect.any(String) });
      // The next call starts at the step that stopped, and its fault is the whole call's: thrown, for the retry.
      const rest = { ...input("930104", faulted), userId: (cut as { userId: string }).userId };
      await expect(apply({ ...rest, step: faulted.then[2], then: [] })).rejects.toThrow();
      harness.emulator.admin.setFaults({
        pathPattern: "routingskills",
        rateLimitStormRequests: 1,
        errorRate: 0,
      });
      expect(await apply({ ...rest, step: faulted.then[1], then: [] })).toMatchObject({
        kind: "RATE_LIMITED",
      });
    });
  });
});
