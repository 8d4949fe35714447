import fs from "node:fs";
import path from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { readResources, stringLiteral } from "../../support/infra/bicep";
import { registeredRoutes, routeMatches } from "../../support/infra/registered-routes";
import {
  expressionsInString,
  ExpressionSyntaxError,
  functionCalls,
  parseExpression,
} from "../../support/infra/wdl-expression";
import { calledRoutes, lintWorkflow, type WorkflowDefinition } from "../../support/infra/workflow-lint";

const root = path.resolve(__dirname, "../../..");
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
 * The routes this workflow may call: each is an HTTP API route that CONTRACTS.md promises. The app must
 * register every one of them before the Logic App can work, which the last test checks.
 */
const EXPECTED_FROM_CONTRACTS = [
  { method: "POST", route: "hr/events" },
  { method: "POST", route: "onboarding/batches" },
];

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("infra/logicapp/workflow.json", () => {
  it("follows the Workflow Definition Language structure (project schema, ajv)", () => {
    expect(schemaErrors(workflow)).toEqual([]);
  });

  it("has runAfter targets that exist, declared parameters, known actions and expressions that parse", () => {
    expect(lintWorkflow(workflow)).toEqual([]);
  });

  it("calls the app only at literal routes under the base-URL parameter", () => {
    expect(calledRoutes(workflow, "functionAppBaseUrl").problems).toEqual([]);
  });

  it("calls only routes CONTRACTS.md names", () => {
    const { routes } = calledRoutes(workflow, "functionAppBaseUrl");
    expect(routes.length).toBeGreaterThan(0);
    for (const call of routes) {
      expect(EXPECTED_FROM_CONTRACTS).toContainEqual({ method: call.method, route: call.route });
    }
  });

  it("polls the onboarding batch with the async 202/Location pattern and answers HR pushes without it", () => {
    const actions = workflow.actions.Is_bulk_csv as {
      actions: Record<string, { operationOptions?: string; limit?: { timeout?: string } }>;
      else: { actions: Record<string, { operationOptions?: string }> };
    };
    const batch = actions.actions.Start_onboarding_batch;
    expect(batch.operationOptions ?? "").not.toContain("DisableAsyncPattern");
    expect(batch.limit?.timeout).toMatch(/^PT\d+H$/);
    expect(actions.else.actions.Forward_event.operationOptions).toBe("DisableAsyncPattern");
  });

  it("keeps secrets in securestring parameters with no value", () => {
    const parameters = workflow.parameters ?? {};
    expect(parameters.functionKey).toEqual(
      expect.objectContaining({ type: "securestring", defaultValue: "" }),
    );
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
    const passed = values?.kind === "object" ? [...values.properties.keys()].sort() : [];
    expect(passed).toEqual(Object.keys(workflow.parameters ?? {}).sort());
    expect(stringLiteral(properties.properties.get("state"))).toBe("Enabled");
  });

  it("calls only routes the app registers", async () => {
    const registered = await registeredRoutes();
    // The registration capture itself works: the health endpoint is always there.
    expect(registered.map((r) => r.route)).toContain("health");
    const { routes } = calledRoutes(workflow, "functionAppBaseUrl");
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
          `${call.method} /api/${call.route} (action '${call.action}') is expected from CONTRACTS.md but src/app.ts ` +
          `does not register it yet; the HR intake functions must land before this Logic App can be released`,
      );
    expect(unregistered).toEqual([]);
  });
});

describe("the workflow schema", () => {
  it("rejects a definition without triggers, an unknown runAfter status and a secure parameter with a value", () => {
    const bad = clone(workflow) as unknown as Record<string, Record<string, unknown>>;
    delete (bad as Record<string, unknown>).triggers;
    (bad.parameters.functionKey as Record<string, unknown>).defaultValue = "a-real-key";
    const branch = (bad.actions.Is_bulk_csv as { actions: Record<string, { runAfter: unknown }> }).actions;
    branch.Start_onboarding_batch.runAfter = { Acknowledge_batch: ["Succeded"] };
    const errors = schemaErrors(bad).join("\n");
    expect(errors).toContain("must have required property 'triggers'");
    expect(errors).toContain("/parameters/functionKey/defaultValue");
    expect(errors).toContain("/runAfter/Acknowledge_batch/0");
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
    expect(errors).toContain("/limit/timeout must match pattern");
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

  it("reports a call to the app that the route check could not read", () => {
    const { problems } = calledRoutes(
      withActions({
        A: {
          type: "Http",
          runAfter: {},
          inputs: { method: "POST", uri: "https://elsewhere.example/api/hr/events" },
        },
        B: {
          type: "Http",
          runAfter: {},
          inputs: { method: "POST", uri: "@{parameters('functionAppBaseUrl')}/api/@{parameters('route')}" },
        },
      }),
      "functionAppBaseUrl",
    );
    expect(problems).toHaveLength(2);
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
    for (const bad of ["concat('a'", "foo", "concat('a') x", "concat('a)", "body('A')?", "concat(,)"]) {
      expect(() => parseExpression(bad)).toThrow(ExpressionSyntaxError);
    }
    expect(() => expressionsInString("x @{parameters('a')")).toThrow(ExpressionSyntaxError);
  });
});
