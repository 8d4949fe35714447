import fs from "node:fs";
import path from "node:path";
import { HttpRequest, InvocationContext, type HttpHandler, type HttpResponseInit } from "@azure/functions";
import { registerFunctions } from "../../src/app";
import { InMemoryCurrentState } from "../../src/lifecycle/in-memory-state";
import type { HrWorker } from "../../src/lifecycle/hr-event";
import { StaticOrgDirectory } from "../../src/lifecycle/static-org";
import { TableMappingRepository } from "../../src/storage/mappings";
import { MappingService } from "../../src/storage/mappings-service";
import { principalHeaders, type DevIdentity } from "../../local/host/platform-auth";
import { aWorker } from "../support/builders";
import { demoOrg, homeOnlyPermissions } from "../support/demo-org";
import { useAzuriteTables } from "../support/tables";

const operator: DevIdentity = { name: "ops@example.com", roles: ["Lifecycle.Reader", "Lifecycle.Operator"] };

const demoSource = fs.readFileSync(path.resolve(__dirname, "../../local/mappings/demo.yaml"), "utf8");

const azurite = useAzuriteTables();

const jane = aWorker();
const existing = {
  id: "u-sam",
  state: "active" as const,
  version: 3,
  name: "Sam Sales",
  email: "sam@example.com",
  title: "Sales Representative",
  divisionId: "div-sales",
  employeeId: "200001",
  grants: [],
  queueIds: [],
  skills: [],
  languages: [],
  welcomeSent: true,
};
const sam: HrWorker = {
  employeeId: "200001",
  email: "sam@example.com",
  firstName: "Sam",
  lastName: "Sales",
  title: "Sales Representative",
  department: "Sales",
};

/** The app's routes, registered exactly as in production, over real Table Storage and in-memory Genesys ports. */
function app(org = new StaticOrgDirectory(demoOrg())) {
  const repository = new TableMappingRepository(azurite.table("httpmappings"));
  const state = new InMemoryCurrentState([existing], [jane, sam]);
  const handlers = new Map<string, HttpHandler>();
  registerFunctions(
    {
      http: (_name: string, options: { route?: string; methods?: string[]; handler: HttpHandler }) => {
        for (const method of options.methods ?? [])
          handlers.set(`${method} ${options.route}`, options.handler);
      },
    },
    {
      health: {},
      mappings: { service: new MappingService({ repository, org }), org, state },
      platformAuthentication: true,
    },
  );
  return async (
    method: string,
    route: string,
    init: {
      body?: string;
      headers?: Record<string, string>;
      query?: string;
      as?: DevIdentity | null;
    } = {},
    // Response bodies are asserted field by field below; typing each one would add nothing.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<HttpResponseInit & { json: () => any }> => {
    const handler = handlers.get(`${method} ${route}`);
    if (handler === undefined) throw new Error(`no route ${method} ${route}`);
    const request = new HttpRequest({
      method,
      url: `http://localhost:7071/api/${route}${init.query ?? ""}`,
      headers: {
        ...(init.as === null ? {} : principalHeaders(init.as ?? operator)),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : { string: init.body },
    });
    const response = (await handler(request, new InvocationContext())) as HttpResponseInit;
    return { ...response, json: () => response.jsonBody };
  };
}

describe("PUT and GET /api/mappings", () => {
  it("imports the demo mapping as version 1, activates it, and serves it back as YAML or JSON", async () => {
    const call = app();
    const put = await call("PUT", "mappings", {
      body: demoSource,
      // A self-declared name never becomes the importer: the platform's principal does.
      headers: { "content-type": "application/yaml", "x-lifecycle-user": "ceo@example.com" },
    });
    expect(put.status).toBe(201);
    expect(put.json()).toMatchObject({
      version: { version: 1, importedBy: "ops@example.com", valid: true, format: "yaml" },
      active: { version: 1, activatedBy: "ops@example.com" },
    });
    expect(put.headers).toMatchObject({ Location: "/api/mappings?version=1" });

    const yaml = await call("GET", "mappings", { headers: { accept: "application/yaml" } });
    expect(yaml.status).toBe(200);
    expect(yaml.body).toBe(demoSource); // comments and all
    expect(yaml.headers).toMatchObject({ "X-Mapping-Version": "1" });

    const json = await call("GET", "mappings", { headers: { accept: "application/json" } });
    const exported = JSON.parse(json.body as string);
    expect(exported.profiles[0].match).toEqual({ title: "Technical Support" });

    // The JSON export imports again unchanged, as version 2.
    const again = await call("PUT", "mappings", {
      body: json.body as string,
      headers: { "content-type": "application/json" },
    });
    expect(again.status).toBe(201);
    expect(again.json().version).toMatchObject({ version: 2, format: "json", importedBy: "ops@example.com" });
    expect((await call("GET", "mappings", { query: "?version=1" })).body).toBe(demoSource);
    expect((await call("GET", "mappings")).headers).toMatchObject({
      "X-Mapping-Version": "2",
      "Content-Type": "application/json; charset=utf-8",
    });
  });

  it("answers 400 naming the line and field of every schema error, and stores nothing", async () => {
    const call = app();
    const broken = demoSource.replace("proficiency: 3 }]\n    languages", "proficiency: 7 }]\n    langauges");
    const put = await call("PUT", "mappings", { body: broken });
    expect(put.status).toBe(400);
    expect(put.json().errors).toEqual([
      { line: 16, column: 47, path: "profiles[0].skills[0].proficiency", message: "must be between 0 and 5" },
      expect.objectContaining({ line: 17, column: 5, path: "profiles[0].langauges" }),
    ]);
    expect((await call("GET", "mappings/versions")).json()).toEqual({ active: null, versions: [] });
  });

  it("answers 422 with the division-access report for the limited client, and never activates that version", async () => {
    const call = app(new StaticOrgDirectory(demoOrg(homeOnlyPermissions())));
    const put = await call("PUT", "mappings", { body: demoSource });
    expect(put.status).toBe(422);
    const body = put.json();
    expect(body.version).toMatchObject({ version: 1, valid: false });
    expect(body.report.problems).toContainEqual(
      expect.objectContaining({
        kind: "MISSING_PERMISSION",
        permission: "directory:user:add",
        division: { id: "div-support", name: "Support" },
      }),
    );
    expect((await call("GET", "mappings")).status).toBe(404);
    expect((await call("GET", "mappings/versions")).json()).toMatchObject({
      active: null,
      versions: [{ version: 1, valid: false }],
    });
  });

  it("answers 404 for an unknown version and 400 for a malformed one", async () => {
    const call = app();
    expect((await call("GET", "mappings", { query: "?version=5" })).status).toBe(404);
    expect((await call("GET", "mappings", { query: "?version=abc" })).status).toBe(400);
  });
});

describe("who may read and import mappings", () => {
  it("lets a reader read but not import, and refuses an unsigned caller", async () => {
    const call = app();
    const reader = { name: "reader@example.com", roles: ["Lifecycle.Reader"] };
    expect((await call("GET", "mappings/versions", { as: reader })).status).toBe(200);
    const refused = await call("PUT", "mappings", { body: demoSource, as: reader });
    expect(refused.status).toBe(403);
    expect(refused.json().message).toContain("Lifecycle.Operator");
    expect((await call("PUT", "mappings", { body: demoSource, as: null })).status).toBe(401);
    expect((await call("POST", "plan", { body: "{}", as: reader })).status).toBe(403);
    expect((await call("GET", "mappings/versions")).json().versions).toEqual([]);
  });

  it("answers 413 before parsing a mapping over the size limit, storing nothing", async () => {
    const call = app();
    const huge = `# ${"x".repeat(500_000)}\n${demoSource}`;
    const put = await call("PUT", "mappings", { body: huge });
    expect(put.status).toBe(413);
    expect(put.json().error).toContain("at most 450000 characters");
    const plan = await call("POST", "plan", { body: JSON.stringify({ mapping: huge }) });
    expect(plan.status).toBe(413);
    expect((await call("GET", "mappings/versions")).json().versions).toEqual([]);
  });
});

describe("POST /api/plan (dry run)", () => {
  it("refuses to plan events before any mapping is active", async () => {
    const call = app();
    const response = await call("POST", "plan", {
      body: JSON.stringify({ eventId: "e1", type: "hire", effectiveDate: "2026-12-01", worker: jane }),
    });
    expect(response.status).toBe(409);
  });

  it("plans one event, a JSON batch and a CSV batch, with totals, writing nothing", async () => {
    const call = app();
    await call("PUT", "mappings", { body: demoSource });

    const one = await call("POST", "plan", {
      body: JSON.stringify({ eventId: "e1", type: "hire", effectiveDate: "2026-12-01", worker: jane }),
    });
    expect(one.status).toBe(200);
    expect(one.json()).toMatchObject({
      dryRun: true,
      mapping: { version: 1 },
      totals: { employees: 1, planned: 1 },
      employees: [{ kind: "PLANNED", employeeId: "100482", eventId: "e1", steps: expect.any(Array) }],
    });
    expect(one.json().employees[0].steps[0]).toMatchObject({
      kind: "CREATE_USER",
      division: { name: "Support" },
    });

    const batch = await call("POST", "plan", {
      body: JSON.stringify([
        jane,
        sam,
        { ...jane, employeeId: "9", email: "x@example.com", title: "Astronaut" },
      ]),
    });
    expect(batch.json().totals).toMatchObject({ employees: 3, planned: 2, unmapped: 1 });
    const samPlan = batch.json().employees[1];
    expect(samPlan).toMatchObject({ kind: "PLANNED", userId: "u-sam" });
    expect(samPlan.steps.map((s: { kind: string }) => s.kind)).not.toContain("CREATE_USER");

    const csv = [
      "employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate",
      '100482,jane.doe@example.com,Jane,Doe,"Senior Technical Support",Support,Dublin,IE,,2026-12-01',
      "300003,kai@example.com,Kai,Klein,Sales Representative,Sales,Berlin,DE,sam@example.com,2026-12-01",
    ].join("\r\n");
    const fromCsv = await call("POST", "plan", { body: csv, headers: { "content-type": "text/csv" } });
    expect(fromCsv.status).toBe(200);
    const [janePlan, kaiPlan] = fromCsv.json().employees;
    expect(janePlan.steps[0]).toMatchObject({ kind: "CREATE_USER", division: { name: "EMEA" } });
    expect(kaiPlan.steps[0]).toMatchObject({ kind: "CREATE_USER", division: { name: "EMEA" } });
    expect(kaiPlan.steps[1]).toMatchObject({
      kind: "UPDATE_USER",
      changes: [
        { field: "manager", to: "u-sam" },
        { field: "employeeId", to: "300003" },
      ],
    });

    // A dry run stores nothing: still exactly one version.
    expect((await call("GET", "mappings/versions")).json().versions).toHaveLength(1);
  });

  it("plans a mapping change over the managed workforce, with the candidate's validation report", async () => {
    const call = app();
    await call("PUT", "mappings", { body: demoSource });
    const candidate = demoSource.replace(
      "queues: [Inbound_Sales]",
      "queues: [Inbound_Sales, Tier_2_Escalation]",
    );
    const response = await call("POST", "plan", { body: JSON.stringify({ mapping: candidate }) });
    expect(response.status).toBe(200);
    const body = response.json();
    expect(body.mapping).toEqual({ candidate: true, validation: { ok: true, problems: [] } });
    expect(body.employees.map((e: { employeeId: string }) => e.employeeId)).toEqual(["100482", "200001"]);
    const samSteps = body.employees[1].steps;
    expect(
      samSteps
        .find((s: { kind: string }) => s.kind === "JOIN_QUEUES")
        .queues.map((q: { name: string }) => q.name),
    ).toEqual(["Inbound_Sales", "Tier_2_Escalation"]);
  });

  it("answers 400 naming the item and field of each bad input", async () => {
    const call = app();
    await call("PUT", "mappings", { body: demoSource });
    const response = await call("POST", "plan", {
      body: JSON.stringify([jane, { ...jane, email: "not-an-email" }, { ...sam, title: undefined }]),
    });
    expect(response.status).toBe(400);
    expect(response.json().errors).toEqual([
      { item: "item 1", path: "email", message: "must be an email address" },
      { item: "item 2", path: "title", message: "is required" },
    ]);
    const badCsv = await call("POST", "plan", {
      body: "employeeId,email\n1,a@example.com\n",
      headers: { "content-type": "text/csv" },
    });
    expect(badCsv.status).toBe(400);
    expect(badCsv.json().errors[0].message).toMatch(
      /^CSV row 1: the header must be employeeId,email,firstName/,
    );
    const badMapping = await call("POST", "plan", { body: JSON.stringify({ mapping: "version: 2" }) });
    expect(badMapping.status).toBe(400);
    expect(badMapping.json().errors[0]).toMatchObject({ line: 1, path: "version" });
  });
});
