import { buildSfExternalEvent } from "../../local/emulators/successfactors";
import { readFixture } from "../support/hr";
import { SF_NOTIFY, useLifecycleStackWithHr } from "../support/lifecycle-stack";

const basic = ({ user, password }: { user: string; password: string }) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** The host loads the app once per test file, so a differently configured app gets a file of its own. */
describe("an app configured with the wrong SuccessFactors company id", () => {
  const stack = useLifecycleStackWithHr({
    env: {
      SF_COMPANY_ID: "LOCAL_TYPO",
      HR_RETRY_FIRST_SECONDS: "60",
      HR_RETRY_MAX_SECONDS: "600",
      HR_OUTAGE_RETRY_HOURS: "1",
    },
  });
  beforeAll(() => {
    stack.successFactors.loadEntities(JSON.parse(readFixture("sf-odata-entities.json")));
  });

  // A refused token is treated like an outage: fixing the setting within the retry period lets the event through
  // without a replay. Past the period it is quarantined, and the reason names the setting to check.
  it("retries the read-back through the retry period, then quarantines with a reason naming SF_COMPANY_ID", async () => {
    const response = await stack.call(
      "POST",
      "/api/hr/successfactors",
      buildSfExternalEvent({
        type: "com.successfactors.Employment.AssignmentInformation.Hire",
        personIdExternal: "90001",
        userId: "90001",
        effectiveStartDate: "2026-12-01",
      }),
      { "content-type": "text/xml; charset=utf-8", authorization: basic(SF_NOTIFY) },
    );
    expect(await response.text()).toContain("accepted 1");
    // Running the (virtual) clock until nothing is left to do passes the whole retry period.
    await stack.host.durable.runUntilIdle();
    expect(await quarantined()).toEqual([
      expect.objectContaining({
        employeeKey: "90001",
        reason: expect.stringMatching(
          /^HR did not answer for the whole retry period.*invalid companyId.*check SF_COMPANY_ID/,
        ),
      }),
    ]);
  });

  async function quarantined() {
    const { entries } = (await (await stack.call("GET", "/api/hr/quarantine")).json()) as {
      entries: { employeeKey?: string; reason: string }[];
    };
    return entries;
  }
});
