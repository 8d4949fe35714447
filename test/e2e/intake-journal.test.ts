import { RestError, TableClient } from "@azure/data-tables";
import { withoutSecurityHeader } from "../../src/hr/auth";
import { IntakeJournal, journalEntryId } from "../../src/storage/intake-journal";
import { readFixture } from "../support/hr";
import { E2E_MAPPING, WORKDAY_NOTIFY, useLifecycleStackWithHr } from "../support/lifecycle-stack";

/**
 * A thin notification is answered once it is in the intake journal, and taken into the inbox after the answer.
 * What a stopped process answered but never took in is found by the journal sweep.
 */
describe("the intake journal, end to end through the local host", () => {
  const stack = useLifecycleStackWithHr({ mapping: E2E_MAPPING });
  const journal = () =>
    new IntakeJournal((name) =>
      TableClient.fromConnectionString(stack.azurite.connectionString, name, {
        allowInsecureConnection: true,
      }),
    );
  const inboxStatuses = async () => {
    const inbox = TableClient.fromConnectionString(stack.azurite.connectionString, "hrinbox", {
      allowInsecureConnection: true,
    });
    const statuses: string[] = [];
    try {
      for await (const row of inbox.listEntities<{ status: string }>()) statuses.push(row.status);
    } catch (error) {
      if (!(error instanceof RestError && error.statusCode === 404)) throw error; // no inbox yet
    }
    return statuses;
  };
  const hire = (employeeId: string) =>
    stack.workday.notify(employeeId, {
      businessProcessType: "Hire Employee",
      effectiveDate: new Date(stack.host.clock.now()).toISOString().slice(0, 10),
      user: WORKDAY_NOTIFY.user,
      password: WORKDAY_NOTIFY.password,
    });

  beforeAll(() => stack.workday.loadWorkers(readFixture("workday-get-workers-lifecycle.xml")));

  it("a notification a stopped process answered but never took in is taken in by the journal sweep", async () => {
    // What a process that stopped right after its answer leaves: the message in the journal, nothing else.
    const notification = hire("100482");
    const receivedAt = new Date(Date.now() - 2 * 60_000);
    await journal().write([
      {
        id: journalEntryId(receivedAt),
        source: "workday",
        message: { raw: withoutSecurityHeader(notification), contentType: "text/xml; charset=utf-8" },
        receivedAt: receivedAt.toISOString(),
        employeeKeys: ["100482"],
      },
    ]);
    expect(await inboxStatuses()).toEqual([]);

    await stack.host.invoke("hrJournalSweep");
    await stack.host.durable.runUntilIdle();
    expect(stack.genesys.admin.user("jane.doe@example.com")).toMatchObject({
      state: "active",
      employerInfo: { employeeId: "100482" },
    });
    expect(await journal().receivedBefore(new Date(Date.now() + 60_000), 10)).toEqual([]);

    // The same notification delivered again now is a duplicate: it starts nothing.
    const writes = stack.genesys.admin.counters().total;
    const again = await stack.call("POST", "/api/hr/workday", notification, {
      "content-type": "text/xml; charset=utf-8",
    });
    expect(again.status).toBe(202);
    await stack.host.durable.runUntilIdle();
    expect(stack.genesys.admin.counters().total).toBe(writes);
    expect(await inboxStatuses()).toHaveLength(1);
  });
});
