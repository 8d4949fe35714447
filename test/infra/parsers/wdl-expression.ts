/**
 * A parser for the expression language of Logic Apps' Workflow Definition Language, written for the offline
 * checks of infra/logicapp/workflow.json. It knows the documented syntax: a JSON string that starts with `@`
 * is one expression, `@{...}` interpolates expressions into a string, `@@` escapes the at-sign; inside an
 * expression there are function calls, single-quoted strings (`''` escapes a quote), numbers, `true`,
 * `false`, `null`, and the `.name`, `?.name`, `[index]` and `?[index]` accessors.
 *
 * It reports syntax errors and unknown functions, and returns every function call so that callers can check
 * cross-references (`parameters('x')`, `body('Action')`). It does not evaluate anything.
 */

export type ExpressionNode =
  | { kind: "call"; name: string; args: ExpressionNode[]; position: number }
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "literal"; value: boolean | null }
  | { kind: "access"; target: ExpressionNode; key: ExpressionNode | string; optional: boolean };

export interface FunctionCall {
  name: string;
  args: ExpressionNode[];
}

export class ExpressionSyntaxError extends Error {
  override readonly name = "ExpressionSyntaxError";
  constructor(
    message: string,
    readonly expression: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position} of "${expression}"`);
  }
}

/** The functions of the Workflow Definition Language reference (names are case-insensitive there). */
export const WDL_FUNCTIONS: ReadonlySet<string> = new Set(
  [
    "action",
    "actionBody",
    "actionOutputs",
    "actions",
    "add",
    "addDays",
    "addHours",
    "addMinutes",
    "addProperty",
    "addSeconds",
    "addToTime",
    "and",
    "array",
    "base64",
    "base64ToBinary",
    "base64ToString",
    "binary",
    "body",
    "bool",
    "chunk",
    "coalesce",
    "concat",
    "contains",
    "convertFromUtc",
    "convertTimeZone",
    "convertToUtc",
    "createArray",
    "dataUri",
    "dataUriToBinary",
    "dataUriToString",
    "dateDifference",
    "dayOfMonth",
    "dayOfWeek",
    "dayOfYear",
    "decimal",
    "decodeBase64",
    "decodeDataUri",
    "decodeUriComponent",
    "div",
    "empty",
    "encodeUriComponent",
    "endsWith",
    "equals",
    "first",
    "float",
    "formatDateTime",
    "formatNumber",
    "formDataMultiValues",
    "formDataValue",
    "getFutureTime",
    "getPastTime",
    "greater",
    "greaterOrEquals",
    "guid",
    "if",
    "indexOf",
    "int",
    "intersection",
    "isFloat",
    "isInt",
    "item",
    "items",
    "iterationIndexes",
    "join",
    "json",
    "last",
    "lastIndexOf",
    "length",
    "less",
    "lessOrEquals",
    "listCallbackUrl",
    "max",
    "min",
    "mod",
    "mul",
    "multipartBody",
    "not",
    "nthIndexOf",
    "or",
    "outputs",
    "parameters",
    "parseDateTime",
    "rand",
    "range",
    "removeProperty",
    "replace",
    "result",
    "reverse",
    "setProperty",
    "skip",
    "slice",
    "sort",
    "split",
    "startOfDay",
    "startOfHour",
    "startOfMonth",
    "startsWith",
    "string",
    "sub",
    "substring",
    "subtractFromTime",
    "take",
    "ticks",
    "toLower",
    "toUpper",
    "trigger",
    "triggerBody",
    "triggerFormDataMultiValues",
    "triggerFormDataValue",
    "triggerMultipartBody",
    "triggerOutputs",
    "trim",
    "union",
    "uriComponent",
    "uriComponentToBinary",
    "uriComponentToString",
    "uriHost",
    "uriPath",
    "uriPathAndQuery",
    "uriPort",
    "uriQuery",
    "uriScheme",
    "utcNow",
    "variables",
    "workflow",
    "xml",
    "xpath",
  ].map((name) => name.toLowerCase()),
);

type Token =
  | { type: "ident"; value: string; position: number }
  | { type: "string"; value: string; position: number }
  | { type: "number"; value: number; position: number }
  | { type: "punct"; value: "(" | ")" | "," | "." | "[" | "]" | "?"; position: number }
  | { type: "end"; position: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionSyntaxError("unterminated string", source, start);
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += source[i];
        i++;
      }
      tokens.push({ type: "string", value, position: start });
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(source[i + 1] ?? ""))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ type: "number", value: Number(match[0]), position: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ type: "ident", value: match[0], position: i });
      i += match[0].length;
    } else if ("(),.[]?".includes(c)) {
      tokens.push({ type: "punct", value: c as "(", position: i });
      i++;
    } else {
      throw new ExpressionSyntaxError(`unexpected character '${c}'`, source, i);
    }
  }
  tokens.push({ type: "end", position: source.length });
  return tokens;
}

/** Parses one expression body (the text after `@`, or between `@{` and `}`). */
export function parseExpression(source: string): ExpressionNode {
  const tokens = tokenize(source);
  let at = 0;
  const peek = () => tokens[at];
  const fail = (message: string): never => {
    throw new ExpressionSyntaxError(message, source, peek().position);
  };
  const expectPunct = (value: string) => {
    const token = peek();
    if (token.type !== "punct" || token.value !== value) fail(`expected '${value}'`);
    at++;
  };
  const isPunct = (value: string, offset = 0) => {
    const token = tokens[at + offset];
    return token.type === "punct" && token.value === value;
  };

  function primary(): ExpressionNode {
    const token = peek();
    if (token.type === "string") {
      at++;
      return { kind: "string", value: token.value };
    }
    if (token.type === "number") {
      at++;
      return { kind: "number", value: token.value };
    }
    if (token.type === "ident") {
      at++;
      if (!isPunct("(")) {
        const literal = { true: true, false: false, null: null }[token.value.toLowerCase()];
        if (literal === undefined) fail(`'${token.value}' is neither a function call nor a literal`);
        return { kind: "literal", value: literal ?? null };
      }
      if (!WDL_FUNCTIONS.has(token.value.toLowerCase())) {
        throw new ExpressionSyntaxError(`unknown function '${token.value}'`, source, token.position);
      }
      at++;
      const args: ExpressionNode[] = [];
      if (!isPunct(")")) {
        args.push(expression());
        while (isPunct(",")) {
          at++;
          args.push(expression());
        }
      }
      expectPunct(")");
      return { kind: "call", name: token.value, args, position: token.position };
    }
    return fail("expected a function call, string, number or literal");
  }

  function expression(): ExpressionNode {
    let node = primary();
    for (;;) {
      const optional = isPunct("?") && (isPunct(".", 1) || isPunct("[", 1));
      if (optional) at++;
      if (isPunct(".")) {
        at++;
        const name = peek();
        if (name.type !== "ident") fail("expected a property name after '.'");
        at++;
        node = { kind: "access", target: node, key: (name as { value: string }).value, optional };
      } else if (isPunct("[")) {
        at++;
        const key = expression();
        expectPunct("]");
        node = { kind: "access", target: node, key, optional };
      } else {
        if (optional) fail("expected '.' or '[' after '?'");
        return node;
      }
    }
  }

  const root = expression();
  if (peek().type !== "end") fail("unexpected text after the expression");
  let leftmost = root;
  while (leftmost.kind === "access") leftmost = leftmost.target;
  if (leftmost.kind !== "call") {
    throw new ExpressionSyntaxError("an expression must start with a function call", source, 0);
  }
  return root;
}

/**
 * The expressions embedded in one JSON string value of a workflow definition, or [] when it is plain text.
 * Follows the documented rules: a leading `@@` is an escaped at-sign; `@...` is one whole-value expression;
 * `@{...}` anywhere interpolates, and `@@{` is a literal `@{`.
 */
export function expressionsInString(value: string): string[] {
  if (value.startsWith("@@")) return interpolations(value.slice(2));
  if (value.startsWith("@") && !value.startsWith("@{")) return [value.slice(1)];
  return interpolations(value);
}

function interpolations(value: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("@@{", i)) {
      i += 3;
    } else if (value.startsWith("@{", i)) {
      const end = closingBrace(value, i + 2);
      if (end < 0) throw new ExpressionSyntaxError("unterminated '@{'", value, i);
      found.push(value.slice(i + 2, end));
      i = end + 1;
    } else {
      i++;
    }
  }
  return found;
}

/** Index of the `}` closing an interpolation that starts at `from`, skipping braces inside quoted strings. */
function closingBrace(value: string, from: number): number {
  let inString = false;
  for (let i = from; i < value.length; i++) {
    const c = value[i];
    if (c === "'") {
      if (inString && value[i + 1] === "'") i++;
      else inString = !inString;
    } else if (c === "}" && !inString) {
      return i;
    }
  }
  return -1;
}

/** Every function call in an expression tree, outermost first. */
export function functionCalls(node: ExpressionNode): FunctionCall[] {
  const calls: FunctionCall[] = [];
  const visit = (n: ExpressionNode) => {
    if (n.kind === "call") {
      calls.push({ name: n.name, args: n.args });
      n.args.forEach(visit);
    } else if (n.kind === "access") {
      visit(n.target);
      if (typeof n.key !== "string") visit(n.key);
    }
  };
  visit(node);
  return calls;
}
