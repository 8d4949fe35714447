import { readFixture } from "../support/hr";
import {
  E2E_MAPPING,
  SF_NOTIFY,
  WORKDAY_NOTIFY,
  startLifecycleStackWithHr,
  type LifecycleStack,
} from "../support/lifecycle-stack";
import type { SuccessFactorsEmulator } from "../../local/emulators/successfactors";
import { buildSfExternalEvent } from "../../local/emulators/successfactors";
import type { WorkdayEmulator } from "../../local/emulators/workday";

const basic = ({ user, password }: { user: string; password: string }) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("each HR source, end to end through the local host", () => {
  let stack: LifecycleStack & { workday: WorkdayEmulator; successFactors: SuccessFactorsEmulator };
  beforeAll(async () => {
    stack = await startLifecycleStackWithHr();
    expect((await stack.call("PUT", "/api/mappings", E2E_MAPPING)).status).toBe(201);
    stack.workday.loadWorkers(readFixture("workday-get-workers-lifecycle.xml"));
    stack.successFactors.loadEntities(JSON.parse(readFixture("sf-odata-entities.json")));
  });
  afterAll(() => stack.stop());

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
    expect(user?.dateWelcomeSent).toBeDefined();

    const writes = stack.genesys.admin.counters().total;
    const again = await post();
    expect(again.status).toBeLessThan(300);
    await stack.host.durable.runUntilIdle();
    expect(stack.genesys.admin.counters().total).toBe(writes);
  });

  it("a SuccessFactors ExternalEvent is enriched through OData and provisions the person", async () => {
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
    const hired = stack.genesys.admin.users().filter((u) => u.employerInfo?.employeeId === "90001");
    expect(hired).toHaveLength(1);
    expect(hired[0]).toMatchObject({ state: "active" });
  });
});
