/**
 * Cross-reference lint for a Logic Apps workflow definition: what a JSON Schema cannot say. Every `runAfter`
 * names an action in the same scope and the graph has no cycle; every expression parses; every
 * `parameters('x')` is declared; every `body('A')`/`outputs('A')`/`actions('A')` names an action that exists;
 * every `variables('v')` is initialized. It also lists the app routes the workflow's HTTP actions call.
 */
import { expressionsInString, functionCalls, parseExpression, WDL_FUNCTIONS } from "./wdl-expression";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface WorkflowDefinition {
  parameters?: Record<string, { type: string }>;
  triggers: Record<string, JsonObject>;
  actions: Record<string, JsonObject>;
}

export interface CalledRoute {
  action: string;
  method: string;
  /** The path under the route prefix, e.g. `hr/events`; an expression segment reads as `{}`. */
  route: string;
}

interface ActionInfo {
  name: string;
  definition: JsonObject;
  /** The names of the actions that share this action's scope; `runAfter` may only name these. */
  siblings: string[];
}

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Every action of the workflow, nested ones included, with the scope each belongs to. */
export function allActions(definition: WorkflowDefinition): ActionInfo[] {
  const found: ActionInfo[] = [];
  const visitScope = (actions: Json | undefined) => {
    if (!isObject(actions)) return;
    const siblings = Object.keys(actions);
    for (const [name, action] of Object.entries(actions)) {
      if (!isObject(action)) continue;
      found.push({ name, definition: action, siblings });
      visitScope(action.actions);
      if (isObject(action.else)) visitScope(action.else.actions);
      if (isObject(action.default)) visitScope(action.default.actions);
      if (isObject(action.cases)) {
        for (const branch of Object.values(action.cases)) if (isObject(branch)) visitScope(branch.actions);
      }
    }
  };
  visitScope(definition.actions);
  return found;
}

/** Every problem the lint finds, as readable sentences; an empty list means the definition passed. */
export function lintWorkflow(definition: WorkflowDefinition): string[] {
  const problems: string[] = [];
  const actions = allActions(definition);
  const actionNames = new Set(actions.map((a) => a.name));
  const declaredParameters = new Set(Object.keys(definition.parameters ?? {}));

  const duplicates = actions.map((a) => a.name).filter((name, i, all) => all.indexOf(name) !== i);
  for (const name of new Set(duplicates)) problems.push(`action name '${name}' is used more than once`);

  for (const { name, definition: action, siblings } of actions) {
    const runAfter = isObject(action.runAfter) ? action.runAfter : {};
    for (const target of Object.keys(runAfter)) {
      if (target === name) problems.push(`action '${name}' runs after itself`);
      else if (!siblings.includes(target)) {
        problems.push(
          actionNames.has(target)
            ? `action '${name}' runs after '${target}', which is in another scope`
            : `action '${name}' runs after unknown action '${target}'`,
        );
      }
    }
  }
  problems.push(...runAfterCycles(actions));

  const initializedVariables = new Set<string>();
  for (const { definition: action } of actions) {
    if (action.type !== "InitializeVariable" || !isObject(action.inputs)) continue;
    const variables = action.inputs.variables;
    if (Array.isArray(variables)) {
      for (const v of variables)
        if (isObject(v) && typeof v.name === "string") initializedVariables.add(v.name);
    }
  }

  const checkExpression = (where: string, expression: string) => {
    let tree;
    try {
      tree = parseExpression(expression);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
      return;
    }
    for (const call of functionCalls(tree)) {
      const name = call.name.toLowerCase();
      const first = call.args[0];
      const literal = first?.kind === "string" ? first.value : undefined;
      if (name === "parameters") {
        if (literal === undefined) problems.push(`${where}: parameters() needs a literal name`);
        else if (!declaredParameters.has(literal)) {
          problems.push(`${where}: parameter '${literal}' is used but not declared in "parameters"`);
        }
      } else if (["actions", "body", "outputs", "result", "actionbody", "actionoutputs"].includes(name)) {
        if (literal !== undefined && !actionNames.has(literal)) {
          problems.push(`${where}: ${call.name}('${literal}') refers to an action that does not exist`);
        }
      } else if (name === "variables" && literal !== undefined && !initializedVariables.has(literal)) {
        problems.push(`${where}: variable '${literal}' is never initialized`);
      }
    }
  };

  const visitValue = (where: string, value: Json | undefined) => {
    if (typeof value === "string") {
      let expressions: string[];
      try {
        expressions = expressionsInString(value);
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
        return;
      }
      for (const expression of expressions) checkExpression(where, expression);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visitValue(`${where}[${i}]`, item));
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) visitValue(`${where}.${key}`, item);
    }
  };

  for (const [name, trigger] of Object.entries(definition.triggers)) visitValue(`trigger '${name}'`, trigger);
  for (const { name, definition: action } of actions) {
    const own = Object.fromEntries(
      Object.entries(action).filter(([key]) => !["actions", "else", "cases", "default"].includes(key)),
    );
    visitValue(`action '${name}'`, own);
    if (action.type === "If" && isObject(action.expression)) {
      problems.push(...conditionOperators(`action '${name}'.expression`, action.expression));
    }
  }
  return problems;
}

/** The designer's object form of a condition (`{ "and": [ { "equals": [a, b] } ] }`) names functions as keys. */
function conditionOperators(where: string, condition: JsonObject): string[] {
  const problems: string[] = [];
  for (const [operator, operands] of Object.entries(condition)) {
    if (!WDL_FUNCTIONS.has(operator.toLowerCase())) problems.push(`${where}: unknown operator '${operator}'`);
    if (!Array.isArray(operands)) {
      problems.push(`${where}: operands of '${operator}' must be an array`);
      continue;
    }
    for (const operand of operands) {
      if (isObject(operand)) problems.push(...conditionOperators(where, operand));
    }
  }
  return problems;
}

function runAfterCycles(actions: ActionInfo[]): string[] {
  const edges = new Map(
    actions.map(({ name, definition }) => [
      name,
      Object.keys(isObject(definition.runAfter) ? definition.runAfter : {}),
    ]),
  );
  const problems: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      problems.push(`runAfter forms a cycle: ${[...path.slice(path.indexOf(name)), name].join(" → ")}`);
      return;
    }
    state.set(name, "visiting");
    for (const next of edges.get(name) ?? []) if (edges.has(next)) visit(next, [...path, name]);
    state.set(name, "done");
  };
  for (const name of edges.keys()) visit(name, []);
  return problems;
}

/**
 * The app routes the workflow's HTTP actions call. A call to the app must be the base-URL parameter followed by
 * `/api/<route>`, where path segments may be `@{...}` expressions (read as route parameters, `{}`), so the route
 * can be checked without evaluating anything. Calls to other services must start with one of
 * `otherBaseParameters` (e.g. the Key Vault URI); any other URI is reported in `problems`, so that no call to the
 * app can slip past the route check.
 */
export function calledRoutes(
  definition: WorkflowDefinition,
  baseUrlParameter: string,
  otherBaseParameters: string[] = [],
): { routes: CalledRoute[]; problems: string[] } {
  const routes: CalledRoute[] = [];
  const problems: string[] = [];
  const base = (parameter: string) => `@{parameters('${parameter}')}`;
  const prefix = `${base(baseUrlParameter)}/api/`;
  for (const { name, definition: action } of allActions(definition)) {
    if (action.type !== "Http" || !isObject(action.inputs)) continue;
    const { uri, method } = action.inputs;
    if (typeof uri === "string" && otherBaseParameters.some((p) => uri.startsWith(base(p)))) continue;
    if (typeof uri !== "string" || !uri.startsWith(prefix)) {
      problems.push(`action '${name}' calls ${JSON.stringify(uri)}, which does not start with ${prefix}`);
      continue;
    }
    // Expressions may contain `?` and `/`; stand each `@{...}` in for one character before splitting.
    const hole = "\u0000";
    const path =
      uri
        .slice(prefix.length)
        .replace(/@\{[^}]*\}/g, hole)
        .split("?")[0] ?? "";
    const segments = path.split("/").map((segment) => (segment === hole ? "{}" : segment));
    if (segments.some((segment) => segment.includes(hole) || segment.includes("@"))) {
      problems.push(
        `action '${name}' mixes an expression into a route segment; use whole-segment parameters`,
      );
      continue;
    }
    routes.push({
      action: name,
      method: typeof method === "string" ? method.toUpperCase() : "(no method)",
      route: segments.join("/"),
    });
  }
  return { routes, problems };
}
