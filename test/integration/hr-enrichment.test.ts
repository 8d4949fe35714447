import { Secret } from "../../src/config/secret";
import { SuccessFactorsAuthError } from "../../src/hr/successfactors-auth";
import { SuccessFactorsODataClient } from "../../src/hr/successfactors-client";
import {
  SAML_BEARER_GRANT,
  SF_SAML_AUDIENCE,
  signSamlAssertion,
  unsignedSamlAssertion,
} from "../../src/hr/successfactors-saml";
import { sfSnapshotToEvent } from "../../src/hr/successfactors";
import { WorkdayCallbackError, WorkdayWorkersClient } from "../../src/hr/workday-client";
import { workdayWorkerToEvent } from "../../src/hr/workday";
import {
  SF_EMULATOR_API_USER,
  SF_EMULATOR_COMPANY_ID,
  startSuccessFactorsEmulator,
  type SuccessFactorsEmulator,
} from "../../local/emulators/successfactors";
import { generateOAuthClientKeyPair } from "../../local/emulators/successfactors/credentials";
import { startWorkdayEmulator, type WorkdayEmulator } from "../../local/emulators/workday";
import { readFixture, readSample } from "../support/hr";
import { startOAuthTenant, type OAuthTestTenant } from "../support/successfactors";

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

describe("SuccessFactors OData with OAuth 2.0 against the emulator (real HTTP)", () => {
  let tenant: OAuthTestTenant;
  let sf: SuccessFactorsEmulator;
  beforeAll(async () => {
    tenant = await startOAuthTenant();
    sf = tenant.emulator;
    sf.loadEntities(JSON.parse(readFixture("sf-odata-entities.json")));
    sf.loadEntities(JSON.parse(readFixture("sf-odata-perperson-expanded.json")));
  });
  afterAll(() => sf.close());
  beforeEach(() => {
    sf.setClockSkew(0);
    sf.registerOAuthClient({ clientId: tenant.keys.clientId, certificate: tenant.keys.certificate });
    sf.clearRequests();
  });

  const client = (overrides?: Parameters<OAuthTestTenant["credentials"]>[0]) =>
    new SuccessFactorsODataClient({ baseUrl: sf.url, credentials: tenant.credentials(overrides) });
  const calls = () => sf.requests().map((r) => `${r.method} ${r.path} ${r.status}`);

  it("gets a token with a signed SAML assertion, then reads a person in one expanded query", async () => {
    const odata = client();
    const snapshot = await odata.getWorkerSnapshot({ personIdExternal: "91001" });
    expect(calls()).toEqual(["POST /oauth/token 200", "GET /odata/v2/PerPerson 200"]);
    expect(
      sfSnapshotToEvent(snapshot!, { eventId: "e", eventType: "Hire", receivedDate: "2026-01-01" }),
    ).toMatchObject({
      ok: true,
      event: {
        type: "hire",
        effectiveDate: "2026-11-01",
        worker: {
          employeeId: "91001",
          email: "nora.newhire@example.com",
          title: "Technical Support",
          managerEmployeeId: "100305",
          managerEmail: "sup.support@example.com",
        },
      },
    });
    // The token is reused: the next person costs one OData call and no token request.
    await odata.getWorkerSnapshot({ personIdExternal: "91003" });
    expect(calls()).toHaveLength(3);
  });

  it("keeps the token until shortly before it expires, then gets a new one", async () => {
    const shortLived = await startOAuthTenant({ tokenLifetimeInSeconds: 600 });
    try {
      // Both clocks move together: the client's through `now`, the tenant's through its skew.
      const start = Date.now();
      let now = start;
      const advance = (ms: number) => {
        now += ms;
        shortLived.emulator.setClockSkew(now - start);
      };
      const odata = new SuccessFactorsODataClient({
        baseUrl: shortLived.emulator.url,
        credentials: shortLived.credentials(),
        now: () => now,
      });
      const tokenRequests = () =>
        shortLived.emulator.requests().filter((r) => r.path === "/oauth/token").length;
      await odata.query("User", { userId: "x" });
      advance(530_000); // 10 minutes of life, renewed in the last minute
      await odata.query("User", { userId: "x" });
      expect(tokenRequests()).toBe(1);
      advance(20_000);
      await odata.query("User", { userId: "x" });
      expect(tokenRequests()).toBe(2);
    } finally {
      await shortLived.emulator.close();
    }
  });

  it("renews the token once when SuccessFactors answers 401 to it", async () => {
    const odata = client();
    await odata.query("User", { userId: "91001" });
    sf.expireTokens();
    expect(await odata.query("User", { userId: "91001" })).toEqual([
      expect.objectContaining({ userId: "91001" }),
    ]);
    expect(calls()).toEqual([
      "POST /oauth/token 200",
      "GET /odata/v2/User 200",
      "GET /odata/v2/User 401",
      "POST /oauth/token 200",
      "GET /odata/v2/User 200",
    ]);
  });

  it("takes the newest employment of a rehired person, even when SuccessFactors lists the old one first", async () => {
    const snapshot = await client().getWorkerSnapshot({ personIdExternal: "100201" });
    expect(snapshot).toMatchObject({ userId: "100201_r1", user: { userId: "100201_r1" } });
    expect(
      sfSnapshotToEvent(snapshot!, { eventId: "e", eventType: "ReHire", receivedDate: "2026-01-01" }),
    ).toMatchObject({
      ok: true,
      event: { type: "rehire", effectiveDate: "2026-11-15", worker: { title: "Technical Support" } },
    });
  });

  it("expands data loaded one entity set at a time too, and resolves a person from a userId", async () => {
    const snapshot = await client().getWorkerSnapshot({ personIdExternal: "90002" });
    expect(snapshot).toMatchObject({
      userId: "90002_r1",
      manager: { personIdExternal: "90003", email: "mia.boss@example.com" },
    });
    sf.clearRequests();
    expect(await client().getWorkerSnapshot({ userId: "82001" })).toMatchObject({
      personIdExternal: "82001",
      employment: { endDate: "/Date(1630454400000)/" },
    });
    // Only a userId: one lookup of the person, then the person.
    expect(calls()).toEqual([
      "POST /oauth/token 200",
      "GET /odata/v2/EmpEmployment 200",
      "GET /odata/v2/PerPerson 200",
    ]);
    expect(await client().getWorkerSnapshot({ personIdExternal: "nobody" })).toBeUndefined();
  });

  type Refusal = { error: unknown; settings: string[] };
  const refusal = async (odata: SuccessFactorsODataClient): Promise<Refusal> => {
    const error = await odata.query("User", { userId: "91001" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SuccessFactorsAuthError);
    return { error, settings: (error as SuccessFactorsAuthError).settings };
  };

  it("names SF_OAUTH_PRIVATE_KEY when the key is not the registered certificate's", async () => {
    const other = await generateOAuthClientKeyPair();
    const { error, settings } = await refusal(client({ pem: other.privateKey }));
    expect(settings[0]).toBe("SF_OAUTH_PRIVATE_KEY");
    expect((error as Error).message).toMatch(/Unable to verify the signature of the SAML assertion/);
    expect((error as Error).message).not.toContain("PRIVATE KEY-----");
  });

  it("names SF_COMPANY_ID, SF_API_USER and SF_OAUTH_CLIENT_ID when SuccessFactors refuses them", async () => {
    expect((await refusal(client({ companyId: "WRONG" }))).settings[0]).toBe("SF_COMPANY_ID");
    expect((await refusal(client({ userId: "nobody" }))).settings[0]).toBe("SF_API_USER");
    expect((await refusal(client({ clientId: "not-registered" }))).settings[0]).toBe("SF_OAUTH_CLIENT_ID");
  });

  it("names the assertion lifetime when SuccessFactors' clock finds the assertion expired", async () => {
    sf.setClockSkew(60 * 60_000);
    const { error, settings } = await refusal(client());
    expect(settings).toEqual(["SF_OAUTH_ASSERTION_LIFETIME_MINUTES"]);
    expect((error as Error).message).toMatch(/has expired.*host's clock/);
  });

  it("refuses an assertion changed after signing, and a signed one for another audience", async () => {
    const key = { privateKey: new Secret(tenant.keys.privateKey), certificate: tenant.keys.certificate };
    const options = {
      clientId: tenant.keys.clientId,
      userId: SF_EMULATOR_API_USER,
      apiBaseUrl: sf.url,
      now: new Date(),
      lifetimeInMs: 600_000,
    };
    const token = (assertion: string) =>
      fetch(`${sf.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          company_id: SF_EMULATOR_COMPANY_ID,
          client_id: tenant.keys.clientId,
          grant_type: SAML_BEARER_GRANT,
          assertion: Buffer.from(assertion).toString("base64"),
        }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

    const signed = signSamlAssertion(unsignedSamlAssertion(options), key);
    expect(await token(signed)).toMatchObject({
      status: 200,
      body: { token_type: "Bearer", expires_in: 86400 },
    });
    const tampered = signed.replace(`>${SF_EMULATOR_API_USER}<`, ">another-user<");
    expect(await token(tampered)).toMatchObject({
      status: 401,
      body: { errorMessage: expect.stringMatching(/^Unable to verify the signature/) },
    });
    const elsewhere = signSamlAssertion(
      unsignedSamlAssertion(options).replace(SF_SAML_AUDIENCE, "www.example.com"),
      key,
    );
    expect(await token(elsewhere)).toMatchObject({
      status: 401,
      body: { errorMessage: expect.stringContaining("audience") },
    });
    const otherIssuer = signSamlAssertion(
      unsignedSamlAssertion({ ...options, clientId: "someone-else" }),
      key,
    );
    expect(await token(otherIssuer)).toMatchObject({
      status: 401,
      body: { errorMessage: expect.stringContaining("issuer") },
    });
  });
});

describe("the SuccessFactors emulator's OData", () => {
  let sf: SuccessFactorsEmulator;
  beforeAll(async () => {
    sf = await startSuccessFactorsEmulator({
      port: 0,
      basicAuth: "allowed",
      user: "api@CO",
      password: "api-pass",
    });
  });
  afterAll(() => sf.close());
  beforeEach(() => fetch(`${sf.url}/emulator/reset`, { method: "POST" }));

  const basicClient = (password = "api-pass") =>
    new SuccessFactorsODataClient({
      baseUrl: sf.url,
      credentials: { kind: "basic", user: "api@CO", password: new Secret(password) },
    });
  const load = async (doc: string) =>
    (
      await fetch(`${sf.url}/emulator/entities`, {
        method: "POST",
        body: doc,
        headers: { "Content-Type": "application/json" },
      })
    ).json();
  const get = async (query: string) => {
    const response = await fetch(`${sf.url}/odata/v2/${query}`, {
      headers: { authorization: `Basic ${Buffer.from("api@CO:api-pass").toString("base64")}` },
    });
    return {
      status: response.status,
      body: (await response.json()) as { d: { results: Record<string, unknown>[] } },
    };
  };

  it("loads per-set documents and the verbatim PerPerson response", async () => {
    expect(await load(readFixture("sf-odata-entities.json"))).toEqual({
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
    expect(await load(readSample("sf-odata-perperson-response.verbatim.jsonc"))).toEqual({
      loaded: { PerPerson: 2 },
    });
    expect(await basicClient().query("PerPerson", { personIdExternal: "test01_d0" })).toEqual([
      expect.objectContaining({ perPersonUuid: "61C27B6410744754A1BE0FC843454AC3" }),
    ]);
  });

  it("indexes an expanded PerPerson so every nested entity is served from its own set, with its keys", async () => {
    expect(await load(readFixture("sf-odata-perperson-expanded.json"))).toEqual({
      loaded: expect.objectContaining({ PerPerson: 3, PerEmail: 6, EmpJob: 5, PersonEmpTerminationInfo: 3 }),
    });
    // The fixture's emails and Nora's jobs leave out the parent's key; the index fills it in.
    expect(await basicClient().query("PerEmail", { personIdExternal: "91001" })).toHaveLength(2);
    expect(await basicClient().query("EmpJob", { userId: "91001" })).toEqual([
      expect.objectContaining({ jobTitle: "Technical Support", userId: "91001", managerId: "100305" }),
    ]);
    expect(await basicClient().query("User", { userId: "100201_r1" })).toEqual([
      expect.objectContaining({ email: "ivy.inactive@example.com", status: "t" }),
    ]);
    expect(await basicClient().query("EmpEmployment", { userId: "100305" })).toEqual([
      expect.objectContaining({ personIdExternal: "100305" }),
    ]);
  });

  it("answers $filter with in, or and not, $expand over nested paths and $select with navigation paths", async () => {
    await load(readFixture("sf-odata-perperson-expanded.json"));
    const inList = await get(
      "PerPerson?$filter=personIdExternal in '91001','91003'&$select=personIdExternal",
    );
    expect(inList.body.d.results.map((p) => p.personIdExternal)).toEqual(["91001", "91003"]);
    const entra = await get("PerPerson?$filter=(personIdExternal in '100201')");
    expect(entra.body.d.results).toHaveLength(1);
    const either = await get("User?$filter=userId eq '91001' or userId eq '91003'&$select=userId");
    expect(either.body.d.results).toEqual([
      { __metadata: expect.anything(), userId: "91001" },
      { __metadata: expect.anything(), userId: "91003" },
    ]);
    const notTerminated = await get(
      "EmpJob?$filter=userId eq '100201' and not (emplStatus eq 'T')&$select=emplStatus",
    );
    expect(notTerminated.body.d.results.map((j) => j.emplStatus)).toEqual(["A"]);

    const expandedPerson = await get(
      "PerPerson?$filter=personIdExternal eq '91003'&$expand=employmentNav/jobInfoNav,employmentNav/userNav/manager" +
        "&$select=personIdExternal,employmentNav/userId,employmentNav/jobInfoNav/managerId,employmentNav/userNav/manager/email",
    );
    const [person] = expandedPerson.body.d.results;
    expect(person).toEqual({
      __metadata: expect.objectContaining({ type: "SFOData.PerPerson" }),
      personIdExternal: "91003",
      employmentNav: {
        results: [
          {
            __metadata: expect.objectContaining({ type: "SFOData.EmpEmployment" }),
            userId: "91003",
            jobInfoNav: { results: [{ __metadata: expect.anything(), managerId: "100305" }] },
            userNav: {
              __metadata: expect.anything(),
              manager: { __metadata: expect.anything(), email: "sup.support@example.com" },
            },
          },
        ],
      },
    });
    // Without $expand a navigation is deferred, as OData v2 answers it.
    const deferred = await get("PerPerson?$filter=personIdExternal eq '91003'");
    expect(deferred.body.d.results[0].emailNav).toEqual({
      __deferred: { uri: expect.stringMatching(/emailNav$/) },
    });
  });

  it("updates a person loaded again: a manager change adds the new job and replaces the manager link", async () => {
    await load(readFixture("sf-odata-perperson-expanded.json"));
    await load(readFixture("sf-odata-perperson-manager-change.json"));
    const person = await get(
      "PerPerson?$filter=personIdExternal eq '91003'&$expand=employmentNav/jobInfoNav,employmentNav/userNav/manager",
    );
    type Employment = {
      jobInfoNav: { results: { managerId: string }[] };
      userNav: { manager: { email: string } };
    };
    const [employment] = (person.body.d.results[0].employmentNav as { results: Employment[] }).results;
    expect(employment.jobInfoNav.results.map((j) => j.managerId)).toEqual(["100305", "100307"]);
    expect(employment.userNav.manager.email).toBe("sup.emea@example.com");
  });

  it("answers 400 to a filter or navigation it cannot read", async () => {
    await load(readFixture("sf-odata-perperson-expanded.json"));
    expect((await get("PerPerson?$filter=personIdExternal gt '1'")).status).toBe(400);
    expect((await get("PerPerson?$expand=noSuchNav")).status).toBe(400);
  });

  it("accepts Basic on a legacy tenant, and names the settings when it refuses them", async () => {
    await load(readFixture("sf-odata-entities.json"));
    expect(await basicClient().query("User", { userId: "90001" })).toHaveLength(1);
    const error = await basicClient("bad-pass-value")
      .query("User", { userId: "90001" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SuccessFactorsAuthError);
    expect((error as Error).message).toMatch(
      /^OData User \(userId=90001\) answered HTTP 401: Invalid credentials: SF_API_USER/,
    );
    expect((error as Error).message).not.toContain("bad-pass-value");
  });

  it("refuses Basic on a tenant that has retired it", async () => {
    const modern = await startSuccessFactorsEmulator({ port: 0, user: "api@CO", password: "api-pass" });
    try {
      const error = await new SuccessFactorsODataClient({
        baseUrl: modern.url,
        credentials: { kind: "basic", user: "api@CO", password: new Secret("api-pass") },
      })
        .query("User", { userId: "90001" })
        .catch((e: unknown) => e);
      expect((error as SuccessFactorsAuthError).settings).toContain("SF_API_AUTH");
      expect((error as Error).message).toMatch(/HTTP Basic authentication is retired/);
    } finally {
      await modern.close();
    }
  });
});
