import fs from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { HttpRequest, InvocationContext } from "@azure/functions";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import type { OpenAPI } from "openapi-types";
import { createOpenApiHandlers } from "../../src/functions/openapi";
import { buildOpenApiDocument, buildSwagger2Document, swagger2Schema } from "../../src/openapi/document";
import * as examples from "../../src/openapi/examples";
import { OPERATIONS } from "../../src/openapi/operations";
import { readFixture } from "../support/hr";
import { registeredRoutes, routeMatches } from "../support/infra/registered-routes";
import { calledRoutes, type WorkflowDefinition } from "../support/infra/workflow-lint";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated documents, walked by path in assertions
type Json = Record<string, any>;

const origin = "https://func-lifecycle.azurewebsites.net";
const v3 = (): Json => buildOpenApiDocument({ origin, version: "1.0.0" });
const v2 = (): Json => buildSwagger2Document({ origin, version: "1.0.0" });
const METHODS = ["get", "put", "post", "delete", "patch"];

/** Every (method, path) a document describes, as `GET /onboarding/batches/{id}`. */
const operationsOf = (document: Json) =>
  Object.entries(document.paths as Record<string, Json>).flatMap(([route, item]) =>
    Object.keys(item)
      .filter((method) => METHODS.includes(method))
      .map((method) => `${method.toUpperCase()} ${route}`),
  );

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const problemsOf = (schema: object, value: unknown) =>
  ajv.validate(schema, value) ? [] : (ajv.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe("the API documents", () => {
  it("are a valid OpenAPI 3.0 and a valid Swagger 2.0 document (swagger-parser)", async () => {
    await expect(SwaggerParser.validate(structuredClone(v3()) as OpenAPI.Document)).resolves.toBeDefined();
    await expect(SwaggerParser.validate(structuredClone(v2()) as OpenAPI.Document)).resolves.toBeDefined();
    expect(v3().servers).toEqual([{ url: `${origin}/api` }]);
    expect(v2()).toMatchObject({
      host: "func-lifecycle.azurewebsites.net",
      basePath: "/api",
      schemes: ["https"],
    });
  });

  it("describe every HTTP route the app registers, and no route it does not", async () => {
    const registered = await registeredRoutes();
    expect(registered.map((r) => r.route)).toContain("hr/events"); // the capture works
    const registeredOperations = registered.flatMap((r) =>
      r.methods.map((m) => `${m.toUpperCase()} /${r.route.replace(/\{\*?(\w+)[^}]*\}/g, "{$1}")}`),
    );
    for (const document of [v3(), v2()]) {
      const documented = operationsOf(document);
      // A route missing here: add it to src/openapi/operations.ts (docs/openapi.md says how).
      expect(registeredOperations.filter((op) => !documented.includes(op))).toEqual([]);
      expect(documented.filter((op) => !registeredOperations.includes(op))).toEqual([]);
    }
  });

  it("give each operation a unique id, a summary, its security and its path parameters", () => {
    const ids = OPERATIONS.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const batchStatus = v3().paths["/onboarding/batches/{id}"].get;
    expect(batchStatus.parameters).toEqual([
      expect.objectContaining({ name: "id", in: "path", required: true }),
    ]);
    // The Logic App polls with its key; people sign in with Entra ID.
    expect(batchStatus.security).toEqual([{ entraId: [] }, { functionKey: [] }, { functionKeyQuery: [] }]);
    expect(v3().paths["/onboarding/batches"].post.security).toEqual(batchStatus.security);
    // Operator routes take no key at all: only a verified caller with an app role.
    expect(v3().paths["/mappings"].put.security).toEqual([{ entraId: [] }]);
    expect(v3().paths["/approvals/{id}"].post.security).toEqual([{ entraId: [] }]);
    expect(v3().components.securitySchemes.entraId).toMatchObject({
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
    });
    // Swagger 2.0 (the Logic Apps connector) has no bearer scheme: the token travels in Authorization.
    expect(v2().securityDefinitions.entraId).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "Authorization",
    });
    expect(v3().paths["/hr/events"].post.security).toEqual([
      { hrSignature: [] },
      { functionKey: [] },
      { functionKeyQuery: [] },
    ]);
    expect(v3().paths["/hr/successfactors"].post.security).toEqual([{ hrBasic: [] }]);
    expect(v3().paths["/health"].get.security).toEqual([]);
    expect(Object.keys(v3().components.securitySchemes)).toEqual([
      "entraId",
      "functionKey",
      "functionKeyQuery",
      "hrSignature",
      "hrBasic",
    ]);
  });

  it("describe the asynchronous batch: 202 with Location, polled until 200", () => {
    const start = v3().paths["/onboarding/batches"].post.responses;
    expect(start["202"].headers).toHaveProperty("Location");
    const poll = v3().paths["/onboarding/batches/{id}"].get.responses;
    expect(Object.keys(poll["202"].headers)).toEqual(["Location", "Retry-After"]);
    expect(poll["200"].content).toHaveProperty("text/csv");
    expect(v2().paths["/onboarding/batches"].post.responses["202"].headers.Location).toEqual(
      expect.objectContaining({ type: "string" }),
    );
  });

  it("take request bodies from the zod schemas that validate them", () => {
    const event = v3().paths["/hr/events"].post.requestBody.content["application/json"].schema;
    expect(event.required).toEqual(["eventId", "type", "effectiveDate", "worker"]);
    expect(event.properties.type.enum).toEqual([
      "hire",
      "change",
      "terminate",
      "rehire",
      "leave_start",
      "leave_end",
    ]);
    const decision = v3().paths["/approvals/{id}"].post.requestBody.content["application/json"].schema;
    expect(decision.properties.decision.enum).toEqual(["approve", "reject"]);
    // Swagger 2.0 has one body per operation: the first content type's.
    expect(v2().paths["/onboarding/batches"].post).toMatchObject({
      consumes: ["application/json", "text/csv"],
      parameters: [
        expect.objectContaining({ in: "body", schema: expect.objectContaining({ type: "array" }) }),
      ],
    });
  });

  it("carry examples that pass their own schemas, in both documents", () => {
    let checked = 0;
    for (const item of Object.values(v3().paths as Record<string, Json>)) {
      for (const operation of Object.values(item)) {
        const contents = [
          ...Object.values((operation.requestBody?.content ?? {}) as Record<string, Json>),
          ...Object.values(operation.responses as Record<string, Json>).flatMap((r) =>
            Object.values((r.content ?? {}) as Record<string, Json>),
          ),
        ];
        for (const content of contents.filter((c) => c.example !== undefined)) {
          expect({
            operation: operation.operationId,
            problems: problemsOf(content.schema, content.example),
          }).toEqual({
            operation: operation.operationId,
            problems: [],
          });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
    for (const item of Object.values(v2().paths as Record<string, Json>)) {
      for (const operation of Object.values(item)) {
        const body = (operation.parameters as Json[]).find((p) => p.in === "body");
        if (operation["x-example"] !== undefined)
          expect(problemsOf(body!.schema, operation["x-example"])).toEqual([]);
      }
    }
  });

  it("take their examples from the test fixtures", () => {
    const xml = (name: string) => readFixture(name).replace(/^\s*<!--[\s\S]*?-->\s*/, "");
    expect(examples.NORMALIZED_EVENT_EXAMPLE).toEqual(JSON.parse(readFixture("normalized-event-hire.json")));
    expect(examples.BULK_CSV_EXAMPLE).toBe(readFixture("bulk-onboarding.csv"));
    expect(examples.SF_EXTERNAL_EVENT_EXAMPLE).toBe(xml("sf-een-hire.xml"));
    expect(examples.SF_INTEGRATION_CENTER_EXAMPLE).toEqual(
      JSON.parse(readFixture("sf-integration-center-location-change.json")),
    );
    // The notification's local test credentials are shown as the settings they come from.
    expect(
      examples.WORKDAY_NOTIFICATION_EXAMPLE.replace("{WORKDAY_NOTIFICATION_USER}", "wdtest").replace(
        "{WORKDAY_NOTIFICATION_PASSWORD}",
        "wdtest",
      ),
    ).toBe(xml("workday-notification-hire.xml"));
  });

  it("cover the routes and bodies the Logic App workflow uses", () => {
    const root = path.resolve(__dirname, "../..");
    const workflow = JSON.parse(
      fs.readFileSync(path.join(root, "infra/logicapp/workflow.json"), "utf8"),
    ) as WorkflowDefinition;
    const { routes } = calledRoutes(workflow, "functionAppBaseUrl", ["keyVaultUri"]);
    expect(routes.length).toBeGreaterThan(0);
    const sent: Record<string, string | undefined> = {
      "POST onboarding/batches": "text/csv",
      "POST hr/events": "application/json",
      "GET onboarding/batches/{}": undefined,
    };
    for (const call of routes) {
      const documented = OPERATIONS.find(
        (o) => o.method.toUpperCase() === call.method && routeMatches(o.route, call.route.replace("{}", "x")),
      );
      expect({ call: `${call.method} ${call.route}`, documented: documented !== undefined }).toEqual({
        call: `${call.method} ${call.route}`,
        documented: true,
      });
      const type = sent[`${call.method} ${call.route}`];
      if (type) expect(Object.keys(documented!.body?.content ?? {})).toContain(type);
    }
  });
});

describe("swagger2Schema", () => {
  it("turns nullable and unions into what Swagger 2.0 can state", () => {
    expect(
      swagger2Schema({
        type: "object",
        properties: {
          a: { type: "string", nullable: true },
          b: { anyOf: [{ type: "string" }, { type: "string", format: "date" }] },
          c: { anyOf: [{ type: "string" }, { type: "object", propertyNames: { type: "string" } }] },
        },
      }),
    ).toEqual({
      type: "object",
      properties: {
        a: { type: "string", "x-nullable": true },
        b: { type: "string", "x-anyOf": [{ type: "string" }, { type: "string", format: "date" }] },
        c: { "x-anyOf": [{ type: "string" }, { type: "object" }] },
      },
    });
  });
});

describe("GET /api/openapi.json and /api/openapi/v2.json", () => {
  it("serve the documents for the host the caller reached", async () => {
    const handlers = createOpenApiHandlers();
    const get = (url: string) => new HttpRequest({ url, method: "GET" });
    const v3Answer = await handlers.openApi(
      get("https://lifecycle.example.com/api/openapi.json"),
      new InvocationContext(),
    );
    expect(v3Answer).toMatchObject({
      status: 200,
      jsonBody: { openapi: "3.0.3", servers: [{ url: "https://lifecycle.example.com/api" }] },
    });
    const v2Answer = await handlers.swagger2(
      get("http://localhost:7071/api/openapi/v2.json"),
      new InvocationContext(),
    );
    expect(v2Answer).toMatchObject({
      status: 200,
      jsonBody: { swagger: "2.0", host: "localhost:7071", schemes: ["http"] },
    });
  });
});
