import { interpretWorkdayMessage } from "../../../src/hr/workday-intake";
import { parseWorkdayNotification, readGetWorkersResponse } from "../../../src/hr/workday";
import { parseUntrustedXml, soapParts } from "../../../src/hr/xml";
import type { NormalizeOutcome } from "../../../src/hr/normalize";
import { readFixture, readSample } from "../../support/hr";

const received = { receivedDate: "2026-01-15" };

async function outcomes(raw: string, media: "xml" | "json" = "xml", options = {}) {
  const message = interpretWorkdayMessage(raw, media, { ...received, ...options });
  if (!message.ok) throw new Error(message.error.message);
  const results: NormalizeOutcome[] = [];
  for (const item of message.value.items) results.push(await item.normalize());
  return { message: message.value, results };
}

function notificationOf(raw: string) {
  const parsed = parseUntrustedXml(raw);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const parts = soapParts(parsed.value)!;
  return { parts, notification: parseWorkdayNotification(parts.node) };
}

describe("Workday outbound notification", () => {
  it("reads the verbatim capture: Event_Reference WID as key, dates, and no worker target", async () => {
    const raw = readSample("workday-outbound-notification-job-requisition.verbatim.xml");
    const { notification } = notificationOf(raw);
    expect(notification).toEqual({
      ok: true,
      value: {
        eventWid: "d52ce4847929010e0e296925dc032602",
        eventName: "Edit Job Requisition Event",
        effectiveDate: "2019-09-04",
        tenant: "phenompeople_dpt2",
      },
    });
    // A job requisition is not a worker event: it is accepted and quarantined, naming the element.
    const { results } = await outcomes(raw);
    expect(results).toEqual([
      { ok: false, problem: expect.objectContaining({ field: "Event_Data/Transaction_Target_Reference" }) },
    ]);
  });

  it.each([
    ["hire", "100482", "2026-12-01"],
    ["termination", "100500", "2026-06-30"],
    ["job-change", "100305", "2026-03-15"],
    ["rehire", "100700", "2026-07-01"],
    ["leave-start", "100600", "2026-05-01"],
    ["leave-end", "100900", "2026-08-01"],
  ])(
    "reads the constructed %s notification: worker Employee_ID and effective date",
    (name, employeeId, date) => {
      const { notification } = notificationOf(readFixture(`workday-notification-${name}.xml`));
      expect(notification).toMatchObject({ ok: true, value: { employeeId, effectiveDate: date } });
    },
  );

  it("is quarantined, not guessed at, when no Get_Workers callback is configured", async () => {
    const { message, results } = await outcomes(readFixture("workday-notification-hire.xml"));
    expect(message.items[0]).toMatchObject({ employeeKey: "100482" });
    expect(results[0]).toMatchObject({
      ok: false,
      problem: { reason: expect.stringContaining("WORKDAY_API_URL") },
    });
  });

  it("reads the worker back with the callback and derives each event type", async () => {
    const workers = readGetWorkersResponse(
      soapParts(
        (parseUntrustedXml(readFixture("workday-get-workers-lifecycle.xml")) as { ok: true; value: never })
          .value,
      )!.node,
    );
    const getWorker = async (id: string) => workers.find((w) => w.employeeId === id);
    const expected: [string, string][] = [
      ["hire", "hire"],
      ["termination", "terminate"],
      ["job-change", "change"],
      ["rehire", "rehire"],
      ["leave-start", "leave_start"],
      ["leave-end", "leave_end"],
    ];
    for (const [fixture, type] of expected) {
      const { results } = await outcomes(readFixture(`workday-notification-${fixture}.xml`), "xml", {
        workers: { getWorker },
      });
      expect(results[0]).toMatchObject({ ok: true, event: { type } });
    }
    const { results } = await outcomes(readFixture("workday-notification-hire.xml"), "xml", {
      workers: { getWorker },
    });
    expect(results[0]).toEqual({
      ok: true,
      event: {
        eventId: "wd-d52ce4847929010e0e2969a1dc0326a1",
        type: "hire",
        effectiveDate: "2026-12-01",
        worker: {
          employeeId: "100482",
          email: "jane.doe@example.com",
          firstName: "Jane",
          lastName: "Doe",
          preferredName: "Jane",
          title: "Senior Technical Support",
          department: "Support",
          location: "Dublin",
          country: "IE",
          managerEmployeeId: "100305",
          managerEmail: "m@example.com",
        },
      },
    });
  });

  it("prefers the business process in the transaction log over the worker status", async () => {
    const { results } = await outcomes(readFixture("workday-notification-job-change.xml"), "xml", {
      workers: {
        getWorker: async () => ({
          employeeId: "100305",
          email: "m@example.com",
          firstName: "Mark",
          lastName: "Manager",
          title: "Support Manager",
          terminated: false,
          transactions: [
            { wid: "d52ce4847929010e0e2969a3dc0326a3", businessProcessType: "Terminate Employee" },
          ],
        }),
      },
    });
    expect(results[0]).toMatchObject({ ok: true, event: { type: "terminate", effectiveDate: "2026-03-15" } });
  });

  it("lets a failing Get_Workers callback surface (the pipeline quarantines it with this reason)", async () => {
    const message = interpretWorkdayMessage(readFixture("workday-notification-hire.xml"), "xml", {
      ...received,
      workers: {
        getWorker: async () => {
          throw new Error("Get_Workers for employee 100482 answered HTTP 503");
        },
      },
    });
    if (!message.ok) throw new Error(message.error.message);
    await expect(message.value.items[0].normalize()).rejects.toThrow("answered HTTP 503");
  });
});

describe("Workday Get_Workers documents", () => {
  it("reads the verbatim v25.1 fixture (no envelope) and names the missing title", async () => {
    const { message, results } = await outcomes(
      readSample("workday-get-workers-response-v25.1.verbatim.xml"),
    );
    expect(message.kind).toBe("get_workers");
    expect(message.items[0].employeeKey).toBe("1");
    expect(results[0]).toEqual({
      ok: false,
      problem: { field: "worker.title", reason: "worker.title is missing" },
    });
  });

  it("reads names and the public WORK email of the verbatim worker", () => {
    const parsed = parseUntrustedXml(readSample("workday-get-workers-response-v25.1.verbatim.xml"));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const [worker] = readGetWorkersResponse(soapParts(parsed.value)!.node);
    expect(worker).toMatchObject({
      employeeId: "1",
      wid: "00000000000000000000000000000000",
      email: "test@example.com",
      firstName: "Example",
      lastName: "Worker",
      preferredName: "Example",
    });
  });

  it("turns every worker of the lifecycle document into its event, quarantining the one without email", async () => {
    const { message, results } = await outcomes(readFixture("workday-get-workers-lifecycle.xml"));
    const byKey = Object.fromEntries(message.items.map((item, i) => [item.employeeKey, results[i]]));
    expect(byKey["100482"]).toMatchObject({ ok: true, event: { type: "hire", effectiveDate: "2026-12-01" } });
    expect(byKey["100305"]).toMatchObject({
      ok: true,
      event: { type: "change", effectiveDate: "2026-01-15" },
    });
    expect(byKey["100500"]).toMatchObject({
      ok: true,
      event: { type: "terminate", effectiveDate: "2026-06-30" },
    });
    expect(byKey["100600"]).toMatchObject({
      ok: true,
      event: { type: "leave_start", effectiveDate: "2026-05-01" },
    });
    expect(byKey["100700"]).toMatchObject({
      ok: true,
      event: { type: "rehire", effectiveDate: "2026-07-01" },
    });
    expect(byKey["100800"]).toEqual({
      ok: false,
      problem: { field: "worker.email", reason: "worker.email is missing" },
    });
    // The personal HOME address is never taken for the work email.
    expect(JSON.stringify(results)).not.toContain("home.example.net");
  });

  it("keys pushed documents by content and employee, so a redelivery is a duplicate", () => {
    const raw = readFixture("workday-get-workers-lifecycle.xml");
    const a = interpretWorkdayMessage(raw, "xml", received);
    const b = interpretWorkdayMessage(raw, "xml", received);
    if (!a.ok || !b.ok) throw new Error("expected documents");
    expect(a.value.items.map((i) => i.idempotencyKey)).toEqual(b.value.items.map((i) => i.idempotencyKey));
    expect(new Set(a.value.items.map((i) => i.idempotencyKey)).size).toBe(7);
  });
});

describe("Workday Core Connector and RaaS", () => {
  it("reads the verbatim Worker_Sync fixture (no position: title missing)", async () => {
    const { message, results } = await outcomes(
      readSample("workday-core-connector-worker-sync.verbatim.xml"),
    );
    expect(message).toMatchObject({ kind: "worker_sync", items: [{ employeeKey: "21001" }] });
    expect(results[0]).toMatchObject({ ok: false, problem: { field: "worker.title" } });
  });

  it("refuses the verbatim minimal RaaS XML: its rows name no employee", () => {
    const message = interpretWorkdayMessage(
      readSample("workday-raas-xml-minimal.verbatim.xml"),
      "xml",
      received,
    );
    expect(message).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "invalid_field", field: "Report_Entry[1]/employeeId" }),
    });
  });

  it("answers the verbatim RaaS JSON (literal '...', not strict JSON) with a typed malformed error", () => {
    const message = interpretWorkdayMessage(
      readSample("workday-raas-json-colby-directory.verbatim.jsonc"),
      "json",
      received,
    );
    expect(message).toEqual({ ok: false, error: expect.objectContaining({ kind: "malformed" }) });
  });

  it("reads the Colby report once the elided entries are removed, through the default column aliases", async () => {
    const raw = readSample("workday-raas-json-colby-directory.verbatim.jsonc").replace(
      /,\s*\.\.\.\s*\]/,
      "]",
    );
    const { results } = await outcomes(raw, "json");
    expect(results[0]).toMatchObject({
      ok: true,
      event: {
        type: "change",
        worker: {
          employeeId: "xxxxxxxxxxxx",
          email: "joe.blow@colby.edu",
          firstName: "Joe",
          lastName: "Blow",
          preferredName: "Joe",
          title: "Professor; Dean of the College, Emeritus; College Historian",
          department: "President's Office - JM (Jane Doe)",
          location: "Colby College",
        },
      },
    });
  });

  it("reads constructed RaaS XML (descriptors for references) and JSON for every event type", async () => {
    const xml = await outcomes(readFixture("workday-raas-worker-changes.xml"));
    expect(xml.results.map((r) => r.ok && r.event.type)).toEqual(["hire", "terminate"]);
    expect(xml.results[0]).toMatchObject({
      event: { worker: { department: "Support", location: "Dublin" } },
    });
    const json = await outcomes(readFixture("workday-raas-worker-changes.jsonc"), "json");
    expect(json.results.map((r) => r.ok && r.event.type)).toEqual([
      "leave_start",
      "leave_end",
      "rehire",
      "change",
    ]);
  });

  it("uses a tenant field map instead of the built-in aliases", async () => {
    const raw = JSON.stringify({
      Report_Entry: [{ ID: "7", Mail: "a@example.com", G: "A", F: "B", T: "Agent" }],
    });
    const { results } = await outcomes(raw, "json", {
      raasFieldMap: { employeeId: ["ID"], email: ["Mail"], firstName: ["G"], lastName: ["F"], title: ["T"] },
    });
    expect(results[0]).toMatchObject({
      ok: true,
      event: { worker: { employeeId: "7", email: "a@example.com" } },
    });
  });

  it("names unsupported documents by root element and namespace", () => {
    const message = interpretWorkdayMessage('<x:Other xmlns:x="urn:other"/>', "xml", received);
    expect(message).toEqual({
      ok: false,
      error: { kind: "unsupported_format", message: expect.stringContaining("Other in urn:other") },
    });
  });
});

describe("identifiers that become storage keys", () => {
  it("refuses a pushed document whose Employee_ID could not be a key, naming the worker", () => {
    const raw = readFixture("workday-get-workers-lifecycle.xml").replace(
      /(<wd:ID wd:type="Employee_ID">)100482(<\/wd:ID>)/,
      `$1${"1".repeat(5000)}$2`,
    );
    expect(interpretWorkdayMessage(raw, "xml", received)).toEqual({
      ok: false,
      error: {
        kind: "invalid_field",
        field: "Worker[1]/Employee_ID",
        message: "Worker[1]/Employee_ID must be at most 64 characters",
      },
    });
  });

  it("quarantines a notification whose Employee_ID is not a valid id, never using it as a key", async () => {
    const raw = readFixture("workday-notification-hire.xml").replace(
      /(<wd:ID wd:type="Employee_ID">)100482(<\/wd:ID>)/,
      "$1100482&#10;[error] forged$2",
    );
    const { message, results } = await outcomes(raw);
    expect(message.items[0].employeeKey).toBeUndefined();
    expect(results[0]).toMatchObject({
      ok: false,
      problem: { field: "Event_Data/Transaction_Target_Reference" },
    });
  });
});
