import { readFixture } from "../support/hr";
import {
  E2E_MAPPING,
  SF_NOTIFY,
  WORKDAY_NOTIFY,
  useLifecycleStackWithHr,
  ISO_TIMESTAMP,
} from "../support/lifecycle-stack";
import { buildSfExternalEvent } from "../../local/emulators/successfactors";
import { generateOAuthClientKeyPair } from "../../local/emulators/successfactors/credentials";

const basic = ({ user, password }: { user: string; password: string }) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("each HR source, end to end through the local host", () => {
  const stack = useLifecycleStackWithHr({ mapping: E2E_MAPPING });
  beforeAll(() => {
    stack.workday.loadWorkers(readFixture("workday-get-workers-lifecycle.xml"));
    stack.successFactors.loadEntities(JSON.parse(readFixture("sf-odata-entities.json")));
  });

  it("a thin Workday notification is read back with Get_Workers and provisions the worker; a redelivery does nothing", async () => {
    const notification = stack.workday.notify("100482", {
      businessProcessType: "Hire Employee",
      effectiveDate: new Date(stack.host.clock.now()).toISOString().slice(0, 10),
      user: WORKDAY_NOTIFY.user,
      password: WORKDAY_NOTIFY.password,
    });
    const post = () =>
      stack.call("POST", "/api/hr/workday", notification, { "content-type": "text/xml; charset=utf-8" });
    expect((await post()).status).toBe(202);
    await stack.host.durable.runUntilIdle();
    const user = stack.genesys.admin.user("jane.doe@example.com");
    expect(user).toMatchObject({
      state: "active",
      title: "Senior Technical Support",
      employerInfo: { employeeId: "100482" },
    });
    expect(user?.dateWelcomeSent).toEqual(ISO_TIMESTAMP);

    const writes = stack.genesys.admin.counters().total;
    const again = await post();
    expect(again.status).toBeLessThan(300);
    await stack.host.durable.runUntilIdle();
    expect(stack.genesys.admin.counters().total).toBe(writes);
  });

  it("a SuccessFactors ExternalEvent is enriched through OData with an OAuth token and provisions the person", async () => {
    const event = buildSfExternalEvent({
      type: "com.successfactors.Employment.AssignmentInformation.Hire",
      personIdExternal: "90001",
      userId: "90001",
      effectiveStartDate: new Date(stack.host.clock.now()).toISOString().slice(0, 10),
    });
    const response = await stack.call("POST", "/api/hr/successfactors", event, {
      "content-type": "text/xml; charset=utf-8",
      authorization: basic(SF_NOTIFY),
    });
    expect(response.status).toBe(200);
    await stack.host.durable.runUntilIdle();
    // The app signed a SAML assertion for its token, then read the person with it.
    expect(stack.successFactors.requests().map((r) => `${r.method} ${r.path} ${r.status} ${r.auth}`)).toEqual(
      ["POST /oauth/token 200 none", "GET /odata/v2/PerPerson 200 bearer"],
    );
    const hired = stack.genesys.admin.users().filter((u) => u.employerInfo?.employeeId === "90001");
    expect(hired).toHaveLength(1);
    expect(hired[0]).toMatchObject({ state: "active" });
  });

  const today = () => new Date(stack.host.clock.now()).toISOString().slice(0, 10);
  const notify = (type: string, personIdExternal: string, userId: string) =>
    stack.call(
      "POST",
      "/api/hr/successfactors",
      buildSfExternalEvent({
        type: `com.successfactors.${type}`,
        personIdExternal,
        userId,
        effectiveStartDate: today(),
      }),
      { "content-type": "text/xml; charset=utf-8", authorization: basic(SF_NOTIFY) },
    );
  const quarantined = async (employeeKey: string) =>
    (
      (await (await stack.call("GET", "/api/hr/quarantine")).json()) as {
        entries: { id: string; employeeKey?: string; reason: string }[];
      }
    ).entries.filter((e) => e.employeeKey === employeeKey);

  describe("SuccessFactors people loaded as one expanded PerPerson document each", () => {
    beforeAll(() => {
      stack.successFactors.loadEntities(JSON.parse(readFixture("sf-odata-perperson-expanded.json")));
      stack.successFactors.clearRequests();
    });

    it("a hire becomes a Genesys user with the manager the document names, through an OAuth token", async () => {
      const response = await notify("Employment.AssignmentInformation.Hire", "91001", "91001");
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("accepted 1, duplicates 0, quarantined 0");
      await stack.host.durable.runUntilIdle();
      const user = stack.genesys.admin.user("nora.newhire@example.com");
      expect(user).toMatchObject({
        state: "active",
        title: "Technical Support",
        employerInfo: { employeeId: "91001" },
      });
      expect(user?.managerId).toBe(stack.genesys.admin.user("sup.support@example.com")?.id);
      // One expanded query for the event, with the bearer token the app already holds.
      expect(
        stack.successFactors.requests().map((r) => `${r.method} ${r.path} ${r.status} ${r.auth}`),
      ).toEqual(["GET /odata/v2/PerPerson 200 bearer"]);
    });

    it("a rehire restores the inactive Genesys user from the newest employment", async () => {
      const before = stack.genesys.admin.user("ivy.inactive@example.com");
      expect(before?.state).toBe("inactive");
      const response = await notify("Employment.AssignmentInformation.ReHire", "100201", "100201_r1");
      expect(await response.text()).toContain("accepted 1, duplicates 0, quarantined 0");
      await stack.host.durable.runUntilIdle();
      expect(stack.genesys.admin.user("ivy.inactive@example.com")).toMatchObject({
        id: before?.id,
        state: "active",
        title: "Technical Support",
      });
      expect(await quarantined("100201")).toEqual([]);
    });

    it("a manager change moves the user to the new manager", async () => {
      expect(
        await (await notify("Employment.AssignmentInformation.Hire", "91003", "91003")).text(),
      ).toContain("accepted 1");
      await stack.host.durable.runUntilIdle();
      const sam = stack.genesys.admin.user("sup.support@example.com");
      expect(stack.genesys.admin.user("max.mover@example.com")?.managerId).toBe(sam?.id);

      stack.successFactors.loadEntities(JSON.parse(readFixture("sf-odata-perperson-manager-change.json")));
      const response = await notify("Employment.JobInformation.ManagerChanged", "91003", "91003");
      expect(await response.text()).toContain("accepted 1, duplicates 0, quarantined 0");
      await stack.host.durable.runUntilIdle();
      const emma = stack.genesys.admin.user("sup.emea@example.com");
      expect(stack.genesys.admin.user("max.mover@example.com")?.managerId).toBe(emma?.id);
      expect(await quarantined("91003")).toEqual([]);
    });
  });

  describe("SuccessFactors refusing the app's OAuth credentials", () => {
    afterEach(() => {
      stack.successFactors.setClockSkew(0);
      stack.successFactors.registerOAuthClient({
        clientId: stack.sfKeys.clientId,
        certificate: stack.sfKeys.certificate,
      });
    });

    // A refused token stops the read-back like an outage: retried for the retry period (a fixed setting lets the
    // events through), then quarantined with SuccessFactors' reason and the setting to look at.
    it("a certificate that is not the app's key: quarantined after the retry period naming SF_OAUTH_PRIVATE_KEY, replayed once fixed", async () => {
      const other = await generateOAuthClientKeyPair(stack.sfKeys.clientId);
      stack.successFactors.registerOAuthClient({ clientId: other.clientId, certificate: other.certificate });
      stack.successFactors.expireTokens();
      const response = await notify("Employment.AssignmentInformation.Hire", "90004", "90004");
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("accepted 1, duplicates 0, quarantined 0");
      await stack.host.durable.runUntilIdle();
      const [entry] = await quarantined("90004");
      expect(entry.reason).toMatch(
        /Unable to verify the signature of the SAML assertion.*SF_OAUTH_PRIVATE_KEY/,
      );

      stack.successFactors.registerOAuthClient({
        clientId: stack.sfKeys.clientId,
        certificate: stack.sfKeys.certificate,
      });
      const replay = await stack.call("POST", `/api/hr/quarantine/${entry.id}/replay`);
      expect(await replay.json()).toMatchObject({
        status: "resolved",
        event: { worker: { employeeId: "90004" } },
      });
    });

    it("an assertion SuccessFactors' clock finds expired: quarantined naming the lifetime setting", async () => {
      stack.successFactors.setClockSkew(2 * 60 * 60_000);
      stack.successFactors.expireTokens();
      await notify("Employment.AssignmentInformation.Hire", "90003", "90003");
      await stack.host.durable.runUntilIdle();
      const [entry] = await quarantined("90003");
      expect(entry.reason).toMatch(/has expired.*SF_OAUTH_ASSERTION_LIFETIME_MINUTES/);

      stack.successFactors.setClockSkew(0);
      const replay = await stack.call("POST", `/api/hr/quarantine/${entry.id}/replay`);
      expect(replay.status).toBe(200);
    });
  });
});
