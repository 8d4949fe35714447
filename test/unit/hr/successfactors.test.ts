import {
  buildExternalEventResponse,
  parseExternalEventResponse,
  parseSfExternalEvent,
  readODataResults,
  sfSnapshotToEvent,
  snapshotFromPerson,
  type ODataEntity,
  type SfWorkerSnapshot,
} from "../../../src/hr/successfactors";
import { changedSinceFilter, WORKER_EXPAND } from "../../../src/hr/successfactors-client";
import { parseFilter } from "../../../local/emulators/successfactors/odata-query";
import { ODataStore } from "../../../local/emulators/successfactors/odata-store";
import { interpretSuccessFactorsMessage } from "../../../src/hr/successfactors-intake";
import { parseUntrustedXml, soapParts } from "../../../src/hr/xml";
import { readFixture, readSample } from "../../support/hr";

const received = { receivedDate: "2026-01-15" };

function externalEventOf(raw: string) {
  const parsed = parseUntrustedXml(raw);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parseSfExternalEvent(soapParts(parsed.value)!.node);
}

/**
 * A snapshot read the way the OData client reads it: one PerPerson with the worker navigations expanded, here
 * answered by the emulator's index over the per-set fixture (no HTTP needed for that).
 */
function snapshotFromFixture(personIdExternal: string, userId: string): SfWorkerSnapshot {
  const store = new ODataStore();
  store.load(JSON.parse(readFixture("sf-odata-entities.json")));
  const [person] = store.query(
    "PerPerson",
    {
      filter: parseFilter(`personIdExternal eq '${personIdExternal}'`),
      expand: WORKER_EXPAND.map((path) => path.split("/")),
    },
    "https://api.sf.example",
  );
  return snapshotFromPerson(person, userId);
}

/** The expanded fixture's PerPerson documents as they come back from OData. */
function expandedPeople(): ODataEntity[] {
  return (JSON.parse(readFixture("sf-odata-perperson-expanded.json")) as unknown[]).flatMap((doc) => {
    const results = readODataResults(doc);
    if (!results.ok) throw new Error(results.error.message);
    return results.value;
  });
}

describe("a SuccessFactors person read with $expand", () => {
  it("takes the newest employment when the old one is listed first, and the one the event names", () => {
    const ivy = expandedPeople().find((p) => p.personIdExternal === "100201")!;
    expect(snapshotFromPerson(ivy)).toMatchObject({
      userId: "100201_r1",
      jobs: [expect.objectContaining({ jobTitle: "Technical Support", emplStatus: "A" })],
      manager: { personIdExternal: "100305", email: "sup.support@example.com" },
      terminationInfo: expect.objectContaining({ activeEmploymentsCount: 1 }),
    });
    expect(snapshotFromPerson(ivy, "100201")).toMatchObject({
      userId: "100201",
      employment: { endDate: expect.any(String) },
    });
    expect(
      sfSnapshotToEvent(snapshotFromPerson(ivy, "100201"), {
        eventId: "e",
        eventType: "com.successfactors.Employment.AssignmentInformation.Termination",
        receivedDate: "2026-01-15",
      }),
    ).toMatchObject({ ok: true, event: { type: "terminate", effectiveDate: "2025-06-30" } });
  });

  it("reads nothing from navigations that were not expanded", () => {
    const bare = { personIdExternal: "1", employmentNav: { __deferred: { uri: "x" } } };
    expect(snapshotFromPerson(bare)).toEqual({ personIdExternal: "1", person: bare, emails: [], jobs: [] });
  });
});

describe("SuccessFactors ExternalEvent", () => {
  it("answers the truncated verbatim blog capture with a typed malformed error", () => {
    const message = interpretSuccessFactorsMessage(
      readSample("sf-een-termination-blog.partial-verbatim.xml.txt"),
      "xml",
      received,
    );
    expect(message).toEqual({ ok: false, error: expect.objectContaining({ kind: "malformed" }) });
  });

  it("reads the completed termination capture: unqualified name/value pairs, future effective date", () => {
    expect(externalEventOf(readSample("sf-een-termination.completed.xml"))).toEqual({
      ok: true,
      value: {
        externalEventId: "6767884f-e601-4e34-b984-a110ca977619",
        type: "com.successfactors.Employment.AssignmentInformation.Termination",
        effective: "future",
        repost: false,
        events: [
          {
            eventId: "c143fd6b-a71b-4657-8158-a8e14946666a",
            entityType: "EmpJob",
            effectiveStartDate: "2021-09-01",
            entityKeys: { seqNumber: "1", userId: "82001", startDate: "2021-09-01" },
            params: { personIdExternal: "82001" },
          },
        ],
      },
    });
  });

  it("keys each event by externalEventId + eventId and names personIdExternal as the employee", () => {
    const message = interpretSuccessFactorsMessage(
      readSample("sf-een-termination.completed.xml"),
      "xml",
      received,
    );
    expect(message).toMatchObject({
      ok: true,
      value: {
        kind: "external_event",
        externalEventId: "6767884f-e601-4e34-b984-a110ca977619",
        items: [
          {
            idempotencyKey: "6767884f-e601-4e34-b984-a110ca977619:c143fd6b-a71b-4657-8158-a8e14946666a",
            employeeKey: "82001",
          },
        ],
      },
    });
  });

  it.each([
    [
      "termination",
      readSample("sf-een-termination.completed.xml"),
      "82001",
      "82001",
      "terminate",
      "2021-09-01",
    ],
    ["hire", readFixture("sf-een-hire.xml"), "90001", "90001", "hire", "2026-12-01"],
    ["rehire", readFixture("sf-een-rehire.xml"), "90002", "90002_r1", "rehire", "2026-07-01"],
    ["manager change", readFixture("sf-een-manager-change.xml"), "90001", "90001", "change", "2026-12-15"],
    ["leave start", readFixture("sf-een-leave-start.xml"), "90004", "90004", "leave_start", "2026-05-01"],
    ["leave end", readFixture("sf-een-leave-end.xml"), "90004", "90004", "leave_end", "2026-09-01"],
  ])("normalizes a %s event with the OData snapshot", async (_name, raw, personId, userId, type, date) => {
    const snapshot = snapshotFromFixture(personId, userId);
    const message = interpretSuccessFactorsMessage(raw, "xml", {
      ...received,
      odata: { getWorkerSnapshot: async () => snapshot },
    });
    if (!message.ok) throw new Error(message.error.message);
    const outcome = await message.value.items[0].normalize();
    expect(outcome).toMatchObject({
      ok: true,
      event: { type, effectiveDate: date, worker: { employeeId: personId, managerEmployeeId: "90003" } },
    });
  });

  it("takes title and place from the newest employment after a rehire", () => {
    const outcome = sfSnapshotToEvent(snapshotFromFixture("90002", "90002_r1"), {
      eventId: "e",
      receivedDate: "2026-01-15",
    });
    expect(outcome).toMatchObject({
      ok: true,
      event: {
        worker: {
          email: "ravi.rejoin@example.com",
          firstName: "Ravi",
          title: "Senior Support Agent",
          managerEmail: "mia.boss@example.com",
        },
      },
    });
  });

  it("is quarantined when no OData callback is configured", async () => {
    const message = interpretSuccessFactorsMessage(readFixture("sf-een-hire.xml"), "xml", received);
    if (!message.ok) throw new Error(message.error.message);
    expect(await message.value.items[0].normalize()).toMatchObject({
      ok: false,
      problem: { reason: expect.stringContaining("SF_API_URL") },
    });
  });

  it("refuses an ExternalEvent without externalEventId, naming the element", () => {
    const raw = readFixture("sf-een-hire.xml").replace(
      /<ns3:externalEventId>[^<]*<\/ns3:externalEventId>/,
      "",
    );
    expect(interpretSuccessFactorsMessage(raw, "xml", received)).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "invalid_field", field: "externalEventMeta/externalEventId" }),
    });
  });

  it("builds the ExternalEventResponse the subscriber answers with, and reads it back", () => {
    const xml = buildExternalEventResponse({
      status: 200,
      entityId: "6767884f",
      statusDate: "2026-01-15T10:00:00.000Z",
      statusDetails: "accepted 1 & stored",
    });
    const parsed = parseUntrustedXml(xml);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const parts = soapParts(parsed.value)!;
    expect(parts.name).toBe("ns:ExternalEventResponse");
    expect(parseExternalEventResponse(parts.node)).toEqual({
      ok: true,
      value: {
        status: 200,
        entityId: "6767884f",
        statusDate: "2026-01-15T10:00:00.000Z",
        statusDetails: "accepted 1 & stored",
      },
    });
  });
});

describe("SuccessFactors OData and Integration Center", () => {
  it("reads the verbatim PerPerson response: two entities with their OData type", () => {
    const results = readODataResults(JSON.parse(readSample("sf-odata-perperson-response.verbatim.jsonc")));
    expect(
      results.ok && results.value.map((e) => [e.personIdExternal, (e.__metadata as { type: string }).type]),
    ).toEqual([
      ["test01", "SFOData.PerPerson"],
      ["test01_d0", "SFOData.PerPerson"],
    ]);
  });

  it("answers the verbatim Integration Center JS literal (unquoted keys) with a typed malformed error", () => {
    const raw = readSample("sf-integration-center-rest-json-location-change.verbatim-js-literal.txt")
      .split("\n")
      .filter((l) => !l.startsWith("//"))
      .join("\n");
    expect(interpretSuccessFactorsMessage(raw, "json", received)).toEqual({
      ok: false,
      error: expect.objectContaining({ kind: "malformed" }),
    });
  });

  it("maps the strict-JSON Integration Center record and names what the designer did not map", async () => {
    const message = interpretSuccessFactorsMessage(
      readFixture("sf-integration-center-location-change.json"),
      "json",
      received,
    );
    if (!message.ok) throw new Error(message.error.message);
    expect(message.value.items[0].employeeKey).toBe("106003");
    expect(await message.value.items[0].normalize()).toEqual({
      ok: false,
      problem: { field: "worker.firstName", reason: "worker.firstName is missing" },
    });
  });

  it("fills unmapped Integration Center fields from OData, keeping the record's own values", async () => {
    const snapshot = { ...snapshotFromFixture("90001", "90001"), personIdExternal: "106003" };
    const message = interpretSuccessFactorsMessage(
      readFixture("sf-integration-center-location-change.json"),
      "json",
      {
        ...received,
        odata: { getWorkerSnapshot: async () => snapshot },
      },
    );
    if (!message.ok) throw new Error(message.error.message);
    expect(await message.value.items[0].normalize()).toMatchObject({
      ok: true,
      event: {
        type: "change",
        worker: {
          employeeId: "106003",
          firstName: "Ana",
          email: "Simon.Rampal@bestrunsap.com",
          location: "Sydney",
        },
      },
    });
  });

  it("uses a configured Integration Center field map", async () => {
    const raw = JSON.stringify({
      pid: "5",
      mail: "x@example.com",
      fn: "X",
      ln: "Y",
      jt: "Agent",
      kind: "Hire",
    });
    const message = interpretSuccessFactorsMessage(raw, "json", {
      ...received,
      integrationCenterFieldMap: {
        employeeId: ["pid"],
        email: ["mail"],
        firstName: ["fn"],
        lastName: ["ln"],
        title: ["jt"],
        type: ["kind"],
      },
    });
    if (!message.ok) throw new Error(message.error.message);
    expect(await message.value.items[0].normalize()).toMatchObject({ ok: true, event: { type: "hire" } });
  });
});

describe("SuccessFactors identifiers that become storage keys", () => {
  it("refuses an ExternalEvent whose event id could not be a key", () => {
    const raw = readFixture("sf-een-hire.xml").replace("aaaaaaaa-0000-4000-8000-000000000001", "a b/c");
    expect(interpretSuccessFactorsMessage(raw, "xml", received)).toMatchObject({
      ok: false,
      error: { kind: "invalid_field", field: "events/event/eventId" },
    });
  });
});

describe("people changed since a moment, as reconciliation reads SuccessFactors", () => {
  /** The fixture, with each PerPerson (or its personal info) last modified at the given moment. */
  function storeChangedAt(changed: Record<string, { person?: string; personal?: string }>): ODataStore {
    const documents = JSON.parse(readFixture("sf-odata-entities.json")) as {
      d: { results: Record<string, unknown>[] };
    }[];
    for (const entity of documents.flatMap((d) => d.d.results)) {
      const type = (entity.__metadata as { type: string }).type;
      const stamp = changed[String(entity.personIdExternal)];
      if (type === "SFOData.PerPerson" && stamp?.person) entity.lastModifiedDateTime = stamp.person;
      if (type === "SFOData.PerPersonal" && stamp?.personal) entity.lastModifiedDateTime = stamp.personal;
    }
    const store = new ODataStore();
    store.load(documents);
    return store;
  }
  const changedSince = (store: ODataStore, since: string) =>
    store
      .query(
        "PerPerson",
        { filter: parseFilter(changedSinceFilter(since)), expand: WORKER_EXPAND.map((p) => p.split("/")) },
        "https://api.sf.example",
      )
      .map((p) => p.personIdExternal)
      .sort();

  it("finds a person changed on the person or on a navigation, in OData's /Date(ms)/ form or ISO 8601", () => {
    const store = storeChangedAt({
      "90001": { person: `/Date(${Date.parse("2026-12-01T10:00:00Z")}+0000)/` },
      "90002": { personal: "2026-12-02T08:00:00Z" },
      "90003": { person: `/Date(${Date.parse("2026-11-01T00:00:00Z")})/` },
    });
    expect(changedSince(store, "2026-11-30T00:00:00.000Z")).toEqual(["90001", "90002"]);
    expect(changedSince(store, "2026-12-01T10:00:00.000Z")).toEqual(["90001", "90002"]);
    expect(changedSince(store, "2026-12-03T00:00:00.000Z")).toEqual([]);
  });

  it("refuses an order comparison with anything but a date-time literal, as a bad request", () => {
    expect(() => parseFilter("lastModifiedDateTime ge 5")).toThrow(/datetimeoffset/);
  });
});
