import fs from "node:fs";
import path from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { readResources, stringLiteral } from "./parsers/bicep";
import { registeredRoutes, routeMatches } from "../support/registered-routes";
import {
  expressionsInString,
  ExpressionSyntaxError,
  functionCalls,
  parseExpression,
} from "./parsers/wdl-expression";
import { calledRoutes, lintWorkflow, type WorkflowDefinition } from "./parsers/workflow-lint";

const root = path.resolve(__dirname, "../..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as unknown;
const workflow = readJson("infra/logicapp/workflow.json") as WorkflowDefinition;
const schema = readJson("infra/logicapp/workflow-definition.schema.json") as object;

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const schemaErrors = (definition: unknown) =>
  validate(definition)
    ? []
    : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message}`);

/**
 * The routes this workflow may call: each is a route docs/hr-intake.md or docs/operations.md promises. The
 * app must register every one of them before the Logic App can work, which the last test checks.
 */
const EXPECTED_FROM_CONTRACTS = [
  { method: "POST", route: "hr/events" },
  { method: "POST", route: "onboarding/batches" },
  { method: "GET", route: "onboarding/batches/{id}" },
];

/** Base-URL parameters of services other than the app that the workflow may call. */
const OTHER_SERVICES = ["keyVaultUri"];
const appCalls = () => calledRoutes(workflow, "functionAppBaseUrl", OTHER_SERVICES);

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("infra/logicapp/workflow.json", () => {
  it("follows the Workflow Definition Language structure (project schema, ajv)", () => {
    expect(schemaErrors(workflow)).toEqual([]);
  });

  it("has runAfter targets that exist, declared parameters, known actions and expressions that parse", () => {
    expect(lintWorkflow(workflow)).toEqual([]);
  });

  it("calls the app only at literal routes under the base-URL parameter", () => {
    expect(appCalls().problems).toEqual([]);
  });

  it("calls only routes the HTTP API docs name", () => {
    const { routes } = appCalls();
    expect(routes.map((call) => `${call.method} ${call.route}`).sort()).toEqual([
      "GET onboarding/batches/{}",
      "POST hr/events",
      "POST onboarding/batches",
    ]);
    for (const call of routes) {
      const promised = EXPECTED_FROM_CONTRACTS.some(
        (expected) => expected.method === call.method && routeMatches(expected.route, call.route),
      );
      expect({ call: `${call.method} ${call.route}`, promised }).toEqual({
        call: `${call.method} ${call.route}`,
        promised: true,
      });
    }
  });

  it("polls an onboarding batch while it answers 202, and answers HR pushes without waiting", () => {
    type Action = {
      type: string;
      operationOptions?: string;
      expression?: string;
      limit?: { timeout?: string };
      inputs?: { method?: string; uri?: string; headers?: Record<string, string> };
      actions?: Record<string, Action>;
    };
    const branch = workflow.actions.Is_bulk_csv as unknown as {
      actions: Record<string, Action>;
      else: { actions: Record<string, Action> };
    };
    const poll = branch.actions.Poll_batch_until_final;
    expect(poll?.type).toBe("Until");
    expect(poll?.expression).toBe("@not(equals(outputs('Get_batch_status')?['statusCode'], 202))");
    expect(poll?.limit?.timeout).toMatch(/^PT\d+H$/);
    const status = poll?.actions?.Get_batch_status;
    expect(status?.inputs?.method).toBe("GET");
    expect(status?.inputs?.uri).toContain(
      "/api/onboarding/batches/@{encodeUriComponent(body('Start_onboarding_batch')?['id'])}",
    );
    // Polling authenticates itself; the engine's own 202 handling is off so that it does not poll first.
    for (const action of [branch.actions.Start_onboarding_batch, status, branch.else.actions.Forward_event]) {
      expect(action?.operationOptions).toBe("DisableAsyncPattern");
      expect(action?.inputs?.headers?.["x-functions-key"]).toMatch(/^@\{/);
    }
  });

  it("holds no host key: it reads the keys of exactly the routes it calls from Key Vault, at run time", () => {
    const text = JSON.stringify(workflow);
    expect(Object.keys(workflow.parameters ?? {})).not.toContain("functionKey");
    expect(fs.readFileSync(path.join(root, "infra/modules/logicapp.bicep"), "utf8")).not.toMatch(/listKeys/);
    type Http = {
      inputs?: { uri?: string; headers?: Record<string, string> };
      runtimeConfiguration?: unknown;
    };
    const branch = workflow.actions.Is_bulk_csv as unknown as {
      actions: Record<string, Http & { actions?: Record<string, Http> }>;
      else: { actions: Record<string, Http> };
    };
    const read = branch.actions.Read_batches_key;
    expect(read?.inputs?.uri).toBe(
      "@{parameters('keyVaultUri')}secrets/@{parameters('batchesKeySecretName')}?api-version=7.4",
    );
    expect(read?.runtimeConfiguration).toEqual({ secureData: { properties: ["outputs"] } });
    const batchKey = "@{body('Read_batches_key')?['value']}";
    expect(branch.actions.Start_onboarding_batch?.inputs?.headers?.["x-functions-key"]).toBe(batchKey);
    expect(
      branch.actions.Poll_batch_until_final?.actions?.Get_batch_status?.inputs?.headers?.["x-functions-key"],
    ).toBe(batchKey);
    expect(branch.else.actions.Forward_event?.inputs?.headers?.["x-functions-key"]).toBe(
      "@{body('Read_hr_events_key')?['value']}",
    );
    expect(text).not.toContain("host/default");
  });

  it("is deployed by infra/modules/logicapp.bicep with a value for each of its parameters", () => {
    const bicep = fs.readFileSync(path.join(root, "infra/modules/logicapp.bicep"), "utf8");
    const resource = readResources(bicep).find((r) => r.type === "Microsoft.Logic/workflows");
    const properties =
      resource?.body.kind === "object" ? resource.body.properties.get("properties") : undefined;
    if (properties?.kind !== "object")
      throw new Error("logicapp.bicep declares no Microsoft.Logic/workflows");
    expect(properties.properties.get("definition")).toEqual(
      expect.objectContaining({ text: "loadJsonContent('../logicapp/workflow.json')" }),
    );
    const values = properties.properties.get("parameters");
    const passed = values?.kind === "object" ? [...values.properties.keys()] : [];
    const declared = Object.entries(workflow.parameters ?? {}) as [string, { defaultValue?: unknown }][];
    expect(passed.filter((name) => !declared.some(([d]) => d === name))).toEqual([]);
    const needValue = declared.filter(([, p]) => p.defaultValue === "").map(([name]) => name);
    expect(needValue.filter((name) => !passed.includes(name))).toEqual([]);
    expect(stringLiteral(properties.properties.get("state"))).toBe("Enabled");
  });

  it("calls only routes the app registers", async () => {
    const registered = await registeredRoutes();
    // The registration capture itself works: the health endpoint is always there.
    expect(registered.map((r) => r.route)).toContain("health");
    const { routes } = appCalls();
    const unregistered = routes
      .filter(
        (call) =>
          !registered.some(
            (r) =>
              routeMatches(r.route, call.route) &&
              r.methods.map((m) => m.toUpperCase()).includes(call.method),
          ),
      )
      .map(
        (call) =>
          `${call.method} /api/${call.route} (action '${call.action}') is expected from the docs but src/app.ts ` +
          `does not register it yet; the HR intake and onboarding functions must land before this Logic App is released`,
      );
    expect(unregistered).toEqual([]);
  });
});

describe("the workflow schema", () => {
  it("rejects a definition without triggers, an unknown runAfter status and a secure parameter with a value", () => {
    const bad = clone(workflow) as unknown as Record<string, Record<string, unknown>>;
    delete (bad as Record<string, unknown>).triggers;
    bad.parameters.functionKey = { type: "securestring", defaultValue: "a-real-key" };
    const branch = (bad.actions.Is_bulk_csv as { actions: Record<string, { runAfter: unknown }> }).actions;
    branch.Start_onboarding_batch.runAfter = { Read_batches_key: ["Succeded"] };
    const errors = schemaErrors(bad).join("\n");
    expect(errors).toContain("must have required property 'triggers'");
    expect(errors).toContain("/parameters/functionKey/defaultValue");
    expect(errors).toContain("/runAfter/Read_batches_key/0");
  });

  it("rejects an HTTP action without a URI and a timeout that is not an ISO 8601 duration", () => {
    const bad = clone(workflow) as unknown as {
      actions: Record<string, { actions: Record<string, Record<string, unknown>> }>;
    };
    const batch = bad.actions.Is_bulk_csv.actions.Start_onboarding_batch;
    delete (batch.inputs as Record<string, unknown>).uri;
    batch.limit = { timeout: "12 hours" };
    const errors = schemaErrors(bad).join("\n");
    expect(errors).toContain("must have required property 'uri'");
    expect(errors).toContain('/limit/timeout must match format "duration"');
  });
});

describe("the workflow lint", () => {
  const withActions = (actions: Record<string, unknown>, parameters: Record<string, unknown> = {}) =>
    ({ triggers: { manual: { type: "Request", kind: "Http" } }, actions, parameters }) as WorkflowDefinition;

  it("reports runAfter targets that do not exist, sit in another scope, or form a cycle", () => {
    const problems = lintWorkflow(
      withActions({
        A: { type: "Compose", inputs: 1, runAfter: { Missing: ["Succeeded"] } },
        B: { type: "Compose", inputs: 1, runAfter: { C: ["Succeeded"] } },
        C: { type: "Compose", inputs: 1, runAfter: { B: ["Succeeded"] } },
        S: {
          type: "Scope",
          actions: { Inner: { type: "Compose", inputs: 1, runAfter: { A: ["Succeeded"] } } },
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "action 'A' runs after unknown action 'Missing'",
        "action 'Inner' runs after 'A', which is in another scope",
        expect.stringMatching(/^runAfter forms a cycle: (B → C → B|C → B → C)$/),
      ]),
    );
  });

  it("reports undeclared parameters, unknown actions, uninitialized variables and broken expressions", () => {
    const problems = lintWorkflow(
      withActions(
        {
          A: {
            type: "Compose",
            runAfter: {},
            inputs: {
              p: "@parameters('notDeclared')",
              ok: "@{parameters('declared')}",
              b: "@body('Nope')",
              v: "@variables('never')",
              broken: "@concat('a', ",
              unknown: "@concatt('a')",
            },
          },
        },
        { declared: { type: "string" } },
      ),
    );
    expect(problems).toEqual([
      "action 'A'.inputs.p: parameter 'notDeclared' is used but not declared in \"parameters\"",
      "action 'A'.inputs.b: body('Nope') refers to an action that does not exist",
      "action 'A'.inputs.v: variable 'never' is never initialized",
      expect.stringContaining("action 'A'.inputs.broken: expected a function call"),
      expect.stringContaining("action 'A'.inputs.unknown: unknown function 'concatt'"),
    ]);
  });

  it("reports an unknown operator in a designer-style condition", () => {
    const problems = lintWorkflow(
      withActions({
        I: {
          type: "If",
          runAfter: {},
          expression: { and: [{ equalz: ["@triggerBody()", true] }] },
          actions: {},
        },
      }),
    );
    expect(problems).toContain("action 'I'.expression: unknown operator 'equalz'");
  });

  it("reads expression segments as route parameters and reports calls it cannot check", () => {
    const http = (uri: string) => ({ type: "Http", runAfter: {}, inputs: { method: "POST", uri } });
    const { routes, problems } = calledRoutes(
      withActions({
        Elsewhere: http("https://elsewhere.example/api/hr/events"),
        Mixed: http("@{parameters('functionAppBaseUrl')}/api/hr/x@{parameters('suffix')}"),
        Param: http("@{parameters('functionAppBaseUrl')}/api/onboarding/batches/@{body('A')?['id']}?x=1"),
        Vault: http("@{parameters('keyVaultUri')}secrets/a?api-version=7.4"),
      }),
      "functionAppBaseUrl",
      ["keyVaultUri"],
    );
    expect(routes).toEqual([{ action: "Param", method: "POST", route: "onboarding/batches/{}" }]);
    expect(problems).toEqual([
      expect.stringContaining("action 'Elsewhere' calls"),
      expect.stringContaining("action 'Mixed' mixes an expression into a route segment"),
    ]);
  });
});

describe("route matching", () => {
  it("matches route templates with parameters, ignoring case and surrounding slashes", () => {
    expect(routeMatches("onboarding/batches/{id}", "onboarding/batches/b-42")).toBe(true);
    expect(routeMatches("/hr/events/", "HR/Events")).toBe(true);
    expect(routeMatches("onboarding/batches/{id}", "onboarding/batches")).toBe(false);
    expect(routeMatches("hr/events", "hr/events/extra")).toBe(false);
  });
});

describe("the WDL expression parser", () => {
  it("parses calls, accessors, null-safe access, numbers, literals and quoted quotes", () => {
    const tree = parseExpression(
      "coalesce(triggerOutputs()?['headers']?['Content-Type'], 'it''s', -1.5, null)",
    );
    expect(functionCalls(tree).map((c) => c.name)).toEqual(["coalesce", "triggerOutputs"]);
    expect(functionCalls(parseExpression("body('A').items[0].name")).map((c) => c.name)).toEqual(["body"]);
  });

  it("finds the expressions in a string value by the documented @, @{...} and @@ rules", () => {
    expect(expressionsInString("plain text")).toEqual([]);
    expect(expressionsInString("@parameters('a')")).toEqual(["parameters('a')"]);
    expect(expressionsInString("x @{parameters('a')} y @{concat('}', 'b')}")).toEqual([
      "parameters('a')",
      "concat('}', 'b')",
    ]);
    expect(expressionsInString("@@literal at-sign")).toEqual([]);
    expect(expressionsInString("an @@{escaped} brace")).toEqual([]);
  });

  it("rejects unbalanced calls, bare words, stray text and unterminated strings", () => {
    for (const bad of [
      "concat('a'",
      "foo",
      "concat('a') x",
      "concat('a)",
      "body('A')?",
      "concat(,)",
      "'a'[0]",
      "42",
    ]) {
      expect(() => parseExpression(bad)).toThrow(ExpressionSyntaxError);
    }
    expect(() => expressionsInString("x @{parameters('a')")).toThrow(ExpressionSyntaxError);
  });
});
