import { buildSfExternalEvent } from "../../local/emulators/successfactors";
import { readFixture } from "../support/hr";
import { SF_NOTIFY, useLifecycleStackWithHr } from "../support/lifecycle-stack";

const basic = ({ user, password }: { user: string; password: string }) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** The host loads the app once per test file, so a differently configured app gets a file of its own. */
describe("an app configured with the wrong SuccessFactors company id", () => {
  const stack = useLifecycleStackWithHr({ env: { SF_COMPANY_ID: "LOCAL_TYPO" } });
  beforeAll(() => {
    stack.successFactors.loadEntities(JSON.parse(readFixture("sf-odata-entities.json")));
  });

  it("keeps the event in quarantine with a reason naming SF_COMPANY_ID", async () => {
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
    expect(await response.text()).toContain("quarantined 1");
    const { entries } = (await (await stack.call("GET", "/api/hr/quarantine")).json()) as {
      entries: { employeeKey?: string; reason: string }[];
    };
    expect(entries).toEqual([
      expect.objectContaining({
        employeeKey: "90001",
        reason: expect.stringMatching(/invalid companyId.*check SF_COMPANY_ID/),
      }),
    ]);
  });
});
