import { Secret } from "../../src/config/secret";
import { SuccessFactorsCallbackError, SuccessFactorsODataClient } from "../../src/hr/successfactors-client";
import { sfSnapshotToEvent } from "../../src/hr/successfactors";
import { WorkdayCallbackError, WorkdayWorkersClient } from "../../src/hr/workday-client";
import { workdayWorkerToEvent } from "../../src/hr/workday";
import {
  startSuccessFactorsEmulator,
  type SuccessFactorsEmulator,
} from "../../local/emulators/successfactors";
import { startWorkdayEmulator, type WorkdayEmulator } from "../../local/emulators/workday";
import { readFixture, readSample } from "../support/hr";

describe("Workday Get_Workers callback against the emulator (real HTTP)", () => {
  let workday: WorkdayEmulator;
  beforeAll(async () => {
    workday = await startWorkdayEmulator({ port: 0, user: "isu", password: "isu-pass" });
  });
  afterAll(() => workday.close());

  const client = (password = "isu-pass") =>
    new WorkdayWorkersClient({
      serviceUrl: `${workday.url}/ccx/service/t/Human_Resources/v40.0`,
      user: "isu",
      password: new Secret(password),
    });

  it("loads any Get_Workers document over POST /emulator/workers, including the verbatim one", async () => {
    const load = async (doc: string) =>
      (await fetch(`${workday.url}/emulator/workers`, { method: "POST", body: doc })).json() as Promise<{
        loaded: string[];
      }>;
    expect((await load(readFixture("workday-get-workers-lifecycle.xml"))).loaded).toEqual([
      "100482",
      "100305",
      "100500",
      "100600",
      "100700",
      "100800",
      "100900",
    ]);
    expect((await load(readSample("workday-get-workers-response-v25.1.verbatim.xml"))).loaded).toEqual(["1"]);
  });

  it("reads a worker back by Employee_ID with WS-Security and every field the event needs", async () => {
    const worker = await client().getWorker("100482");
    expect(worker).toMatchObject({
      employeeId: "100482",
      email: "jane.doe@example.com",
      title: "Senior Technical Support",
      department: "Support",
      country: "IE",
      managerEmployeeId: "100305",
      active: false,
      hireDate: "2026-12-01",
    });
    const verbatim = await client().getWorker("1");
    expect(verbatim).toMatchObject({ employeeId: "1", email: "test@example.com", firstName: "Example" });
  });

  it("answers undefined for an unknown worker and a typed error for wrong credentials", async () => {
    expect(await client().getWorker("nobody")).toBeUndefined();
    await expect(client("wrong").getWorker("100482")).rejects.toThrow(WorkdayCallbackError);
    await expect(client("wrong").getWorker("100482")).rejects.toThrow(
      /SOAP fault.*invalid username or password/,
    );
    const secretFree = await client("wrong-secret-value")
      .getWorker("100482")
      .catch((e: Error) => e.message);
    expect(secretFree).not.toContain("wrong-secret-value");
  });

  it("builds a notification whose transaction log names the business process", async () => {
    const xml = workday.notify("100305", {
      businessProcessType: "Terminate Employee",
      effectiveDate: "2026-09-30",
      user: "u",
      password: "p",
    });
    const eventWid = /<wd:ID wd:type="WID">([0-9a-f]{32})<\/wd:ID><\/wd:Event_Reference>/.exec(xml)![1];
    const worker = await client().getWorker("100305");
    expect(worker?.transactions).toContainEqual({
      wid: eventWid,
      businessProcessType: "Terminate Employee",
      effectiveDate: "2026-09-30",
    });
    expect(
      workdayWorkerToEvent(worker!, {
        eventId: "e",
        eventWid,
        effectiveDate: "2026-09-30",
        receivedDate: "2026-01-01",
      }),
    ).toMatchObject({
      ok: true,
      event: { type: "terminate" },
    });
  });

  it("fails with a typed error when Workday is unreachable", async () => {
    const down = new WorkdayWorkersClient({
      serviceUrl: "http://127.0.0.1:9/x",
      user: "u",
      password: new Secret("p"),
      timeoutInMs: 2000,
    });
    await expect(down.getWorker("1")).rejects.toThrow(WorkdayCallbackError);
  });
});

describe("SuccessFactors OData callback against the emulator (real HTTP)", () => {
  let sf: SuccessFactorsEmulator;
  beforeAll(async () => {
    sf = await startSuccessFactorsEmulator({ port: 0, user: "api@CO", password: "api-pass" });
  });
  afterAll(() => sf.close());

  const client = (password = "api-pass") =>
    new SuccessFactorsODataClient({ baseUrl: sf.url, user: "api@CO", password: new Secret(password) });

  it("loads OData JSON over POST /emulator/entities, the verbatim PerPerson response included", async () => {
    const post = async (doc: string) =>
      (
        await fetch(`${sf.url}/emulator/entities`, {
          method: "POST",
          body: doc,
          headers: { "Content-Type": "application/json" },
        })
      ).json();
    expect(await post(readFixture("sf-odata-entities.json"))).toEqual({
      loaded: {
        PerPerson: 5,
        PerPersonal: 5,
        PerEmail: 10,
        EmpEmployment: 6,
        User: 6,
        EmpJob: 6,
        EmpEmploymentTermination: 1,
      },
    });
    expect(await post(readSample("sf-odata-perperson-response.verbatim.jsonc"))).toEqual({
      loaded: { PerPerson: 2 },
    });
    expect(await client().query("PerPerson", { personIdExternal: "test01_d0" })).toEqual([
      expect.objectContaining({ perPersonUuid: "61C27B6410744754A1BE0FC843454AC3" }),
    ]);
  });

  it("assembles a rehired person's snapshot from personIdExternal alone (newest employment wins)", async () => {
    const snapshot = await client().getWorkerSnapshot({ personIdExternal: "90002" });
    expect(snapshot).toMatchObject({
      userId: "90002_r1",
      manager: { personIdExternal: "90003", email: "mia.boss@example.com" },
    });
    expect(
      sfSnapshotToEvent(snapshot!, { eventId: "e", eventType: "ReHire", receivedDate: "2026-01-01" }),
    ).toMatchObject({
      ok: true,
      event: {
        type: "rehire",
        effectiveDate: "2026-07-01",
        worker: { employeeId: "90002", title: "Senior Support Agent" },
      },
    });
  });

  it("resolves a person from a userId, and answers undefined for an unknown person", async () => {
    expect(await client().getWorkerSnapshot({ userId: "82001" })).toMatchObject({
      personIdExternal: "82001",
      terminations: [expect.anything()],
    });
    expect(await client().getWorkerSnapshot({ personIdExternal: "nobody" })).toBeUndefined();
  });

  it("fails with a typed error on wrong credentials, naming the entity but no secret", async () => {
    const error = await client("bad-pass-value")
      .query("User", { userId: "90001" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SuccessFactorsCallbackError);
    expect((error as Error).message).toBe("OData User (userId=90001) answered HTTP 401");
  });
});
