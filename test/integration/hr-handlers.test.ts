import { HttpRequest, InvocationContext, type HttpResponseInit } from "@azure/functions";
import { startAzuriteTables, type AzuriteTables } from "../../local/azurite";
import { type SuccessFactorsEmulator, buildSfExternalEvent } from "../../local/emulators/successfactors";
import { startWorkdayEmulator, type WorkdayEmulator } from "../../local/emulators/workday";
import { Secret } from "../../src/config/secret";
import type { HrSettings } from "../../src/config/settings";
import type { AuthorizedHandler } from "../../src/functions/access";
import { createHrHandlers, registerHrFunctions, type HrHandlers } from "../../src/functions/hr";
import { signBody, withoutSecurityHeader } from "../../src/hr/auth";
import { afterAnswer } from "../../src/functions/after-answer";
import type { DeferPort, DispatchPort } from "../../src/hr/intake-ports";
import { SuccessFactorsODataClient } from "../../src/hr/successfactors-client";
import { WorkdayWorkersClient } from "../../src/hr/workday-client";
import type { HrEvent } from "../../src/lifecycle/hr-event";
import { InboxRepository } from "../../src/storage/inbox";
import { IntakeJournal } from "../../src/storage/intake-journal";
import { QuarantineRepository } from "../../src/storage/quarantine";
import { generateOAuthClientKeyPair } from "../../local/emulators/successfactors/credentials";
import { readFixture, readSample } from "../support/hr";
import { startOAuthTenant, type OAuthTestTenant } from "../support/successfactors";
import { azuriteTables, uniqueSuffix } from "../support/tables";

const settings: HrSettings = {
  workdayNotification: { user: "wdtest", password: new Secret("wdtest") },
  successFactorsNotification: { user: "sfnotify@CO", password: new Secret("sf-notify-pass") },
  eventsHmacSecret: new Secret("hmac-key"),
  eventsFunctionKey: new Secret("function-key"),
};
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const sfAuth = basic("sfnotify@CO", "sf-notify-pass");

function post(
  route: string,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
  query = "",
) {
  return new HttpRequest({
    method: "POST",
    url: `http://localhost:7071/api/${route}${query}`,
    body: { string: body },
    headers: { "content-type": contentType, ...headers },
  });
}

describe("HR intake endpoints (handlers on Azurite, HR emulators over HTTP)", () => {
  let azurite: AzuriteTables;
  let workday: WorkdayEmulator;
  let sf: SuccessFactorsEmulator;
  let tenant: OAuthTestTenant;
  let inbox: InboxRepository;
  let quarantine: QuarantineRepository;
  let handlers: HrHandlers;
  let logs: string[];
  // The employee orchestrations are built elsewhere; until then the port is observed by recording what it is handed.
  let dispatched: { event: HrEvent; key: string }[];
  let dispatch: DispatchPort;

  beforeAll(async () => {
    [azurite, workday, tenant] = await Promise.all([
      startAzuriteTables({ port: 0 }),
      startWorkdayEmulator({ port: 0, user: "isu", password: "isu-pass" }),
      startOAuthTenant(),
    ]);
    sf = tenant.emulator;
    sf.loadEntities(JSON.parse(readFixture("sf-odata-entities.json")));
  });
  afterAll(() => Promise.all([azurite.close(), workday.close(), sf.close()]));

  beforeEach(() => {
    const tables = azuriteTables(azurite.connectionString, uniqueSuffix());
    inbox = new InboxRepository(tables);
    quarantine = new QuarantineRepository(tables);
    dispatched = [];
    dispatch = async (event, meta) => {
      dispatched.push({ event, key: meta.idempotencyKey });
    };
    handlers = build(dispatch);
  });

  const deps = () => ({
    inbox,
    quarantine,
    settings,
    workers: new WorkdayWorkersClient({
      serviceUrl: `${workday.url}/ccx/service/t/Human_Resources/v40`,
      user: "isu",
      password: new Secret("isu-pass"),
    }),
    odata: new SuccessFactorsODataClient({ baseUrl: sf.url, credentials: tenant.credentials() }),
    now: () => new Date("2026-01-15T10:00:00Z"),
    newBatchId: () => "batch-1",
  });

  function build(port: DispatchPort): HrHandlers {
    return createHrHandlers(deps(), port);
  }

  function context() {
    logs = [];
    return new InvocationContext({ logHandler: (_level, ...args) => logs.push(args.map(String).join(" ")) });
  }

  const operator = { name: "ops@example.com", id: "ops", roles: new Set(["Lifecycle.Operator"]) };
  async function call(
    handler: keyof Omit<HrHandlers, "intake" | "journalDrain">,
    request: HttpRequest,
  ): Promise<HttpResponseInit> {
    const run: AuthorizedHandler = handlers[handler];
    return await run(request, context(), operator);
  }

  describe("POST /api/hr/workday", () => {
    beforeEach(async () => {
      workday.loadWorkers(readFixture("workday-get-workers-lifecycle.xml"));
    });

    it("stores, enriches through Get_Workers and dispatches a hire; a redelivery starts nothing", async () => {
      const raw = readFixture("workday-notification-hire.xml");
      const first = await call("workday", post("hr/workday", raw, "text/xml; charset=utf-8"));
      expect(first).toMatchObject({ status: 202, jsonBody: { kind: "notification", accepted: 1 } });
      expect(dispatched).toEqual([
        {
          key: "d52ce4847929010e0e2969a1dc0326a1",
          event: expect.objectContaining({
            type: "hire",
            effectiveDate: "2026-12-01",
            worker: expect.objectContaining({ managerEmail: "m@example.com" }),
          }),
        },
      ]);
      expect(await inbox.get("workday", "d52ce4847929010e0e2969a1dc0326a1")).toMatchObject({
        status: "accepted",
        employeeKey: "100482",
      });
      // Stored as received, less the WS-Security header: the notification password never rests in storage.
      const item = await inbox.get("workday", "d52ce4847929010e0e2969a1dc0326a1");
      const stored = (await inbox.readMessage(item!.messageId))?.raw;
      expect(stored).toBe(withoutSecurityHeader(raw));
      expect(raw).toContain(">wdtest</wsse:Password>");
      expect(stored).not.toMatch(/<[\w:]*(Security|UsernameToken|Password)\b|>wdtest</);

      const again = await call("workday", post("hr/workday", raw, "text/xml"));
      expect(again).toMatchObject({ status: 202, jsonBody: { accepted: 0, duplicates: 1 } });
      expect(dispatched).toHaveLength(1);
    });

    it("logs the employee key and never names, emails or credentials", async () => {
      await call("workday", post("hr/workday", readFixture("workday-notification-hire.xml"), "text/xml"));
      const text = logs.join("\n");
      expect(text).toContain("100482");
      for (const secret of ["jane", "Jane", "example.com", "wdtest", "isu-pass"])
        expect(text).not.toContain(secret);
    });

    it("answers a plain 401 to a wrong UsernameToken, before parsing, and stores nothing", async () => {
      const raw = readFixture("workday-notification-hire.xml")
        .replace("<wsse:Password", "<wsse:Password")
        .replace(">wdtest</wsse:Password>", ">nope</wsse:Password>");
      expect(await call("workday", post("hr/workday", raw, "text/xml"))).toEqual({
        status: 401,
        jsonBody: { error: "unauthorized" },
        headers: { "WWW-Authenticate": 'Basic realm="hr"' },
      });
      // Malformed and unauthenticated: still the same plain 401, no parser detail.
      expect(await call("workday", post("hr/workday", "<env:Envelope><env:Body>", "text/xml"))).toMatchObject(
        {
          status: 401,
          jsonBody: { error: "unauthorized" },
        },
      );
      expect(await inbox.get("workday", "d52ce4847929010e0e2969a1dc0326a1")).toBeUndefined();
      expect(await quarantine.list({ includeResolved: true })).toEqual([]);
      expect(dispatched).toEqual([]);
    });

    it.each([
      ["malformed XML", "<env:Envelope><env:Body>", "text/xml", "malformed"],
      [
        "a DOCTYPE (XXE)",
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        "text/xml",
        "forbidden_dtd",
      ],
      ["the wrong content type", "<x/>", "text/plain", "unsupported_format"],
    ])(
      "answers 400 to %s from an authenticated caller, naming the problem",
      async (_name, body, type, kind) => {
        const response = await call(
          "workday",
          post("hr/workday", body, type, { authorization: basic("wdtest", "wdtest") }),
        );
        expect(response).toMatchObject({
          status: 400,
          jsonBody: { error: kind, message: expect.any(String) },
        });
      },
    );

    it("answers 413 to a body over 1 MB, naming the limit", async () => {
      const response = await call(
        "workday",
        post("hr/workday", `<x>${"a".repeat(1024 * 1024)}</x>`, "text/xml"),
      );
      expect(response).toMatchObject({
        status: 413,
        jsonBody: { error: "too_large", message: expect.stringContaining("1048576 bytes") },
      });
    });

    it("accepts the verbatim job-requisition notification and quarantines it: it names no worker", async () => {
      const response = await call(
        "workday",
        post(
          "hr/workday",
          readSample("workday-outbound-notification-job-requisition.verbatim.xml"),
          "text/xml",
        ),
      );
      expect(response).toMatchObject({ status: 202, jsonBody: { quarantined: 1 } });
      const list = (await call(
        "quarantineList",
        new HttpRequest({ method: "GET", url: "http://localhost/api/hr/quarantine" }),
      )) as {
        jsonBody: { entries: { reason: string; field: string }[] };
      };
      expect(list.jsonBody.entries).toEqual([
        expect.objectContaining({ source: "workday", field: "Event_Data/Transaction_Target_Reference" }),
      ]);
    });

    it("quarantines when the Get_Workers callback cannot find the worker, and a replay after loading it succeeds", async () => {
      const raw = workday.notify("100305", {
        businessProcessType: "Change Job",
        effectiveDate: "2026-03-01",
        user: "wdtest",
        password: "wdtest",
      });
      await fetch(`${workday.url}/emulator/reset`, { method: "POST" });
      const response = (await call("workday", post("hr/workday", raw, "text/xml"))) as {
        jsonBody: { items: { quarantineId: string; reason: string }[] };
      };
      const [item] = response.jsonBody.items;
      expect(item).toMatchObject({ reason: "Get_Workers found no worker with Employee_ID 100305" });
      expect(dispatched).toEqual([]);

      await fetch(`${workday.url}/emulator/workers`, {
        method: "POST",
        body: readFixture("workday-get-workers-lifecycle.xml"),
      });
      const replay = new HttpRequest({
        method: "POST",
        url: "http://localhost/api/hr/quarantine/x/replay",
        params: { id: item.quarantineId },
      });
      expect(await call("quarantineReplay", replay)).toMatchObject({
        status: 200,
        jsonBody: { status: "resolved", event: { type: "change", effectiveDate: "2026-03-01" } },
      });
      expect(dispatched).toHaveLength(1);
      expect(await quarantine.list()).toEqual([]);
    });

    it("accepts a pushed Get_Workers document with HTTP Basic and quarantines the worker without email", async () => {
      const response = await call(
        "workday",
        post("hr/workday", readFixture("workday-get-workers-lifecycle.xml"), "application/xml", {
          authorization: basic("wdtest", "wdtest"),
        }),
      );
      expect(response).toMatchObject({
        status: 202,
        jsonBody: { kind: "get_workers", accepted: 6, quarantined: 1 },
      });
      expect(dispatched.map((d) => d.event.type).sort()).toEqual([
        "change",
        "change",
        "hire",
        "leave_start",
        "rehire",
        "terminate",
      ]);
    });

    it("accepts a RaaS JSON report", async () => {
      const response = await call(
        "workday",
        post("hr/workday", readFixture("workday-raas-worker-changes.jsonc"), "application/json", {
          authorization: basic("wdtest", "wdtest"),
        }),
      );
      expect(response).toMatchObject({ status: 202, jsonBody: { kind: "raas_json", accepted: 4 } });
    });
  });

  describe("thin notifications, with the intake journal of the real app", () => {
    it("answers Workday and SuccessFactors from the journal; the inbox and the employee's queue get them after", async () => {
      workday.loadWorkers(readFixture("workday-get-workers-lifecycle.xml"));
      const tables = azuriteTables(azurite.connectionString, uniqueSuffix());
      inbox = new InboxRepository(tables);
      const journal = new IntakeJournal(tables);
      const queued: string[] = [];
      const defer: DeferPort = {
        store: async ({ source, employeeKey }) => {
          queued.push(`${source} ${employeeKey}`);
        },
        wake: async () => undefined,
      };
      handlers = createHrHandlers(
        { ...deps(), inbox, quarantine: new QuarantineRepository(tables), journal },
        dispatch,
        undefined,
        defer,
      );
      const hire = readFixture("workday-notification-hire.xml");
      expect(await call("workday", post("hr/workday", hire, "text/xml"))).toMatchObject({
        status: 202,
        jsonBody: { accepted: 1, items: [{ status: "accepted", employeeKey: "100482" }] },
      });
      const rehire = readFixture("sf-een-rehire.xml");
      const sfAnswer = await call(
        "successFactors",
        post("hr/successfactors", rehire, "text/xml", { authorization: sfAuth }),
      );
      expect(sfAnswer.status).toBe(200);
      // Answered: in the journal, and nowhere else yet.
      const journaled = await journal.receivedBefore(new Date("2100-01-01T00:00:00Z"), 10);
      // Both were received at the same (fixed) instant, so their order in the journal is not known.
      expect(journaled.map((e) => `${e.source} ${e.employeeKeys.join()}`).sort()).toEqual([
        "successfactors 90002",
        "workday 100482",
      ]);
      expect(journaled.find((e) => e.source === "workday")?.message.raw).toBe(withoutSecurityHeader(hire));
      expect(queued).toEqual([]);
      expect(await inbox.get("workday", "d52ce4847929010e0e2969a1dc0326a1")).toBeUndefined();

      await new Promise<void>((resolve) => (afterAnswer.idle ? resolve() : afterAnswer.onSettled(resolve)));
      expect(queued.sort()).toEqual(["successfactors 90002", "workday 100482"]);
      expect(await inbox.get("workday", "d52ce4847929010e0e2969a1dc0326a1")).toMatchObject({
        status: "awaiting_hr",
      });
      expect(await journal.receivedBefore(new Date("2100-01-01T00:00:00Z"), 10)).toEqual([]);
    });
  });

  describe("POST /api/hr/successfactors", () => {
    it("answers an ExternalEvent with ExternalEventResponse status 200 after enriching through OData", async () => {
      const response = await call(
        "successFactors",
        post("hr/successfactors", readFixture("sf-een-rehire.xml"), "text/xml", { authorization: sfAuth }),
      );
      expect(response.status).toBe(200);
      expect(response.body).toContain("<ns:status>200</ns:status>");
      expect(response.body).toContain("<ns:entityId>22222222-2222-4222-8222-222222222222</ns:entityId>");
      expect(dispatched).toEqual([
        {
          key: "22222222-2222-4222-8222-222222222222:aaaaaaaa-0000-4000-8000-000000000002",
          event: expect.objectContaining({
            type: "rehire",
            worker: expect.objectContaining({ employeeId: "90002", title: "Senior Support Agent" }),
          }),
        },
      ]);
    });

    it("treats a repost as a duplicate: success answer, nothing started", async () => {
      const raw = buildSfExternalEvent({
        type: "com.successfactors.Employment.AssignmentInformation.Hire",
        personIdExternal: "90001",
        userId: "90001",
        effectiveStartDate: "2026-12-01",
        externalEventId: "ext-1",
        eventId: "ev-1",
      });
      await call("successFactors", post("hr/successfactors", raw, "text/xml", { authorization: sfAuth }));
      const repost = await call(
        "successFactors",
        post("hr/successfactors", raw.replace(/<ns3:repost>false/g, "<ns3:repost>true"), "text/xml", {
          authorization: sfAuth,
        }),
      );
      expect(repost.status).toBe(200);
      expect(repost.body).toContain("duplicates 1");
      expect(dispatched).toHaveLength(1);
    });

    it("quarantines an event whose OData callback fails, with the callback's answer as the reason", async () => {
      handlers = createHrHandlers(
        {
          inbox,
          quarantine,
          settings,
          // The OAuth client's certificate in SuccessFactors is not the one of this key: every token is refused.
          odata: new SuccessFactorsODataClient({
            baseUrl: sf.url,
            credentials: tenant.credentials({ pem: (await generateOAuthClientKeyPair()).privateKey }),
          }),
        },
        dispatch,
      );
      const response = await call(
        "successFactors",
        post("hr/successfactors", readFixture("sf-een-hire.xml"), "text/xml", { authorization: sfAuth }),
      );
      expect(response.status).toBe(200);
      expect(response.body).toContain("quarantined 1");
      expect(await quarantine.list()).toEqual([
        expect.objectContaining({
          employeeKey: "90001",
          reason: expect.stringMatching(
            /^SuccessFactors refused the OAuth token request \(HTTP 401: Unable to verify the signature .*\): .*SF_OAUTH_PRIVATE_KEY/,
          ),
        }),
      ]);
      expect(dispatched).toEqual([]);
    });

    it("answers 401 to wrong Basic credentials and stores nothing", async () => {
      const raw = readFixture("sf-een-hire.xml");
      expect(
        await call(
          "successFactors",
          post("hr/successfactors", raw, "text/xml", { authorization: basic("sfnotify@CO", "x") }),
        ),
      ).toMatchObject({ status: 401 });
      expect(
        await inbox.get(
          "successfactors",
          "11111111-1111-4111-8111-111111111111:aaaaaaaa-0000-4000-8000-000000000001",
        ),
      ).toBeUndefined();
    });

    it("accepts Integration Center JSON and quarantines what it cannot complete", async () => {
      const response = await call(
        "successFactors",
        post(
          "hr/successfactors",
          readFixture("sf-integration-center-location-change.json"),
          "application/json",
          { authorization: sfAuth },
        ),
      );
      expect(response).toMatchObject({
        status: 202,
        jsonBody: {
          quarantined: 1,
          items: [{ employeeKey: "106003", reason: "worker.firstName is missing" }],
        },
      });
    });
  });

  describe("POST /api/hr/events", () => {
    const raw = readFixture("normalized-event-hire.json");

    it("accepts a signed event, answers a duplicate with success and starts nothing more", async () => {
      const signed = { "x-hr-signature": signBody(raw, "hmac-key") };
      expect(await call("events", post("hr/events", raw, "application/json", signed))).toMatchObject({
        status: 202,
        jsonBody: { status: "accepted", eventId: "wd-4a6f1c2e", employeeKey: "100482" },
      });
      expect(await call("events", post("hr/events", raw, "application/json", signed))).toMatchObject({
        status: 200,
        jsonBody: { status: "duplicate" },
      });
      expect(dispatched).toHaveLength(1);
    });

    it("accepts the function key in the header or the code query", async () => {
      expect(
        await call(
          "events",
          post("hr/events", raw, "application/json", { "x-functions-key": "function-key" }),
        ),
      ).toMatchObject({ status: 202 });
      const other = raw.replace("wd-4a6f1c2e", "wd-other");
      expect(
        await call("events", post("hr/events", other, "application/json", {}, "?code=function-key")),
      ).toMatchObject({ status: 202 });
    });

    it("answers 401 to a bad signature and stores nothing", async () => {
      const response = await call(
        "events",
        post("hr/events", raw, "application/json", { "x-hr-signature": signBody(raw, "other") }),
      );
      expect(response).toMatchObject({ status: 401 });
      expect(await inbox.get("events", "wd-4a6f1c2e")).toBeUndefined();
    });

    it("quarantines a well-formed event without email, naming the field", async () => {
      const event = JSON.parse(raw) as HrEvent;
      const body = JSON.stringify({ ...event, worker: { ...event.worker, email: undefined } });
      const response = await call(
        "events",
        post("hr/events", body, "application/json", { "x-functions-key": "function-key" }),
      );
      expect(response).toMatchObject({
        status: 202,
        jsonBody: { status: "quarantined", reason: "worker.email is missing" },
      });
      expect(await inbox.get("events", "wd-4a6f1c2e")).toMatchObject({
        status: "quarantined",
        field: "worker.email",
      });
    });

    it("answers 400 to malformed JSON", async () => {
      expect(
        await call(
          "events",
          post("hr/events", "{", "application/json", { "x-functions-key": "function-key" }),
        ),
      ).toMatchObject({
        status: 400,
        jsonBody: { error: "malformed" },
      });
    });

    it("quarantines an event whose dispatch fails: stored, visible, replayable", async () => {
      handlers = build(async () => {
        throw new Error("orchestration client unavailable");
      });
      const response = await call(
        "events",
        post("hr/events", raw, "application/json", { "x-functions-key": "function-key" }),
      );
      expect(response).toMatchObject({
        status: 202,
        jsonBody: { status: "quarantined", reason: "dispatch failed: orchestration client unavailable" },
      });
      handlers = build(dispatch);
      const [entry] = await quarantine.list();
      const replay = new HttpRequest({
        method: "POST",
        url: "http://localhost/api/hr/quarantine/x/replay",
        params: { id: entry.id },
      });
      expect(await call("quarantineReplay", replay)).toMatchObject({
        status: 200,
        jsonBody: { status: "resolved" },
      });
      expect(dispatched).toHaveLength(1);
    });
  });

  describe("POST /api/onboarding/batches and the quarantine", () => {
    it("stores every CSV row, answers 202 with the batch id, and quarantines the bad row with its number", async () => {
      const response = await call(
        "batches",
        post("onboarding/batches", readFixture("bulk-onboarding.csv"), "text/csv"),
      );
      expect(response).toMatchObject({
        status: 202,
        headers: { Location: "/api/onboarding/batches/batch-1" },
        jsonBody: {
          id: "batch-1",
          rows: 4,
          accepted: 3,
          quarantined: 1,
          statusUrl: "/api/onboarding/batches/batch-1",
        },
      });
      expect((await inbox.listBatch("batch-1")).map((r) => r.status)).toEqual([
        "accepted",
        "accepted",
        "quarantined",
        "accepted",
      ]);
      const [entry] = await quarantine.list();
      expect(entry).toMatchObject({
        source: "batch",
        idempotencyKey: "batch-1:0000003",
        reason: "CSV row 4: worker.email is missing",
      });
      const replay = new HttpRequest({
        method: "POST",
        url: "http://localhost/api/hr/quarantine/x/replay",
        params: { id: entry.id },
      });
      expect(await call("quarantineReplay", replay)).toMatchObject({
        status: 422,
        jsonBody: { reason: "CSV row 4: worker.email is missing" },
      });
      expect(await quarantine.get(entry.id)).toMatchObject({ replayCount: 1, status: "open" });
    });

    it("answers 400 naming the row of malformed CSV, storing nothing", async () => {
      const csv = `${readFixture("bulk-onboarding.csv")}"unclosed,x\r\n`;
      expect(await call("batches", post("onboarding/batches", csv, "text/csv"))).toMatchObject({
        status: 400,
        jsonBody: { error: "malformed", row: 6 },
      });
      expect(await inbox.listBatch("batch-1")).toEqual([]);
    });

    it("accepts a JSON array of events", async () => {
      const event = readFixture("normalized-event-hire.json");
      expect(
        await call("batches", post("onboarding/batches", `[${event},${event}]`, "application/json")),
      ).toMatchObject({
        status: 202,
        jsonBody: { rows: 2, accepted: 2 },
      });
    });

    it("answers 404 to a replay of an unknown entry", async () => {
      const replay = new HttpRequest({
        method: "POST",
        url: "http://localhost/api/hr/quarantine/x/replay",
        params: { id: "bm8" },
      });
      expect(await call("quarantineReplay", replay)).toMatchObject({ status: 404 });
    });
  });

  it("answers 503 while an endpoint's credentials are not configured", async () => {
    const bare = createHrHandlers({ inbox, quarantine, settings: {} }, dispatch);
    for (const handler of [bare.workday, bare.successFactors, bare.events]) {
      expect(await handler(post("hr/x", "{}", "application/json"), context())).toMatchObject({ status: 503 });
    }
  });

  it("refuses a second replay of a resolved entry, and lets one of concurrent replays dispatch", async () => {
    handlers = build(async () => {
      throw new Error("orchestration client unavailable");
    });
    const raw = readFixture("normalized-event-hire.json");
    await call("events", post("hr/events", raw, "application/json", { "x-functions-key": "function-key" }));
    handlers = build(dispatch);
    const [entry] = await quarantine.list();
    const replay = () =>
      call(
        "quarantineReplay",
        new HttpRequest({
          method: "POST",
          url: "http://localhost/api/hr/quarantine/x/replay",
          params: { id: entry.id },
        }),
      );
    const answers = await Promise.all(Array.from({ length: 20 }, replay));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
    expect(dispatched).toHaveLength(1);
    expect(await quarantine.get(entry.id)).toMatchObject({ status: "resolved", replayCount: 1 });
    expect(await replay()).toMatchObject({ status: 409, jsonBody: { error: "already_resolved" } });
    expect(dispatched).toHaveLength(1);
  });

  it("registers every HR route with the app", () => {
    const routes: [string, string, string][] = [];
    const app = {
      http: (name: string, options: { route?: string; authLevel?: string }) =>
        routes.push([name, options.route ?? "", options.authLevel ?? ""]),
    };
    registerHrFunctions(app, { inbox, quarantine, settings }, dispatch);
    expect(routes).toEqual(
      expect.arrayContaining([
        ["hrWorkday", "hr/workday", "anonymous"],
        ["hrSuccessFactors", "hr/successfactors", "anonymous"],
        ["hrEvents", "hr/events", "anonymous"],
        ["onboardingBatchesCreate", "onboarding/batches", "anonymous"],
        ["hrQuarantineList", "hr/quarantine", "anonymous"],
        ["hrQuarantineReplay", "hr/quarantine/{id}/replay", "anonymous"],
      ]),
    );
  });
});
