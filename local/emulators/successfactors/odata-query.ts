/**
 * The OData v2 system query options the emulator understands: `$filter` with `eq`, `ne`, `in` (SuccessFactors'
 * `field in 'a','b'` and the parenthesised form), `ge`, `gt`, `le`, `lt` against a `datetimeoffset'…'` or
 * `datetime'…'` literal (as `lastModifiedDateTime ge datetimeoffset'2026-01-01T00:00:00Z'`), `and`, `or`, `not`
 * and parentheses; `$expand` and `$select`
 * as comma-separated navigation paths (`employmentNav/userNav`, `employmentNav/jobInfoNav/jobTitle`).
 */

/** A literal of a filter: strings compare as text; numbers, booleans and null as OData writes them. */
type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "compare"; path: string; op: "eq" | "ne"; value: Literal }
  /** A date-time comparison, in milliseconds since the epoch. */
  | { kind: "order"; path: string; op: "ge" | "gt" | "le" | "lt"; at: number }
  | { kind: "in"; path: string; values: Literal[] };

/** Thrown for a query option the emulator cannot read; answered 400 like SuccessFactors' COE_GENERAL_BAD_REQUEST. */
export class ODataQueryError extends Error {
  override readonly name = "ODataQueryError";
}

type Token =
  { kind: "string"; value: string } | { kind: "word"; value: string } | { kind: "punct"; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new ODataQueryError("unterminated string literal in $filter");
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else value += text[i++];
      }
      tokens.push({ kind: "string", value });
    } else if ("(),".includes(c)) {
      tokens.push({ kind: "punct", value: c });
      i++;
    } else {
      const word = /^[\w./:+-]+/.exec(text.slice(i));
      if (!word) throw new ODataQueryError(`unexpected character '${c}' in $filter`);
      tokens.push({ kind: "word", value: word[0] });
      i += word[0].length;
    }
  }
  return tokens;
}

/** Parses a `$filter` expression; an empty or absent filter matches everything. */
export function parseFilter(text: string | null): FilterNode | undefined {
  if (text === null || text.trim() === "") return undefined;
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const isWord = (token: Token | undefined, word: string) =>
    token?.kind === "word" && token.value.toLowerCase() === word;
  const expect = (value: string) => {
    const token = tokens[at++];
    if (token?.kind !== "punct" || token.value !== value)
      throw new ODataQueryError(`expected '${value}' in $filter`);
  };
  const literal = (): Literal => {
    const token = tokens[at++];
    if (!token) throw new ODataQueryError("$filter ends where a value was expected");
    if (token.kind === "string") return token.value;
    if (token.kind === "word") {
      const lower = token.value.toLowerCase();
      if (lower === "null") return null;
      if (lower === "true" || lower === "false") return lower === "true";
      if (/^-?\d+(\.\d+)?[lmd]?$/i.test(token.value)) return Number(token.value.replace(/[lmd]$/i, ""));
    }
    throw new ODataQueryError(`unsupported value '${token.value}' in $filter`);
  };
  const or = (): FilterNode => {
    let left = and();
    while (isWord(peek(), "or")) {
      at++;
      left = { kind: "or", left, right: and() };
    }
    return left;
  };
  const and = (): FilterNode => {
    let left = unary();
    while (isWord(peek(), "and")) {
      at++;
      left = { kind: "and", left, right: unary() };
    }
    return left;
  };
  const unary = (): FilterNode => {
    if (isWord(peek(), "not")) {
      at++;
      return { kind: "not", operand: unary() };
    }
    const token = peek();
    if (token?.kind === "punct" && token.value === "(") {
      at++;
      const inner = or();
      expect(")");
      return inner;
    }
    if (token?.kind !== "word") throw new ODataQueryError("expected a property name in $filter");
    at++;
    const path = token.value;
    const op = tokens[at++];
    if (isWord(op, "eq") || isWord(op, "ne")) {
      return { kind: "compare", path, op: op.value.toLowerCase() as "eq" | "ne", value: literal() };
    }
    if (["ge", "gt", "le", "lt"].some((word) => isWord(op, word))) {
      const kind = tokens[at++];
      const value = tokens[at++];
      const when =
        (isWord(kind, "datetimeoffset") || isWord(kind, "datetime")) && value?.kind === "string"
          ? Date.parse(value.value)
          : Number.NaN;
      if (Number.isNaN(when))
        throw new ODataQueryError(`'${op.value}' compares with a datetimeoffset'…' or datetime'…' value`);
      return { kind: "order", path, op: op.value.toLowerCase() as "ge" | "gt" | "le" | "lt", at: when };
    }
    if (isWord(op, "in")) {
      const parenthesised = peek()?.kind === "punct" && peek()?.value === "(";
      if (parenthesised) at++;
      const values = [literal()];
      while (peek()?.kind === "punct" && peek()?.value === ",") {
        at++;
        values.push(literal());
      }
      if (parenthesised) expect(")");
      return { kind: "in", path, values };
    }
    throw new ODataQueryError(
      `unsupported operator '${op?.value ?? "(none)"}' in $filter (eq, ne, in, ge, gt, le, lt)`,
    );
  };
  const tree = or();
  if (at < tokens.length) throw new ODataQueryError(`unexpected '${tokens[at].value}' in $filter`);
  return tree;
}

const sameValue = (actual: unknown, expected: Literal): boolean => {
  if (expected === null) return actual === null || actual === undefined;
  if (typeof actual !== "string" && typeof actual !== "number" && typeof actual !== "boolean") return false;
  return String(actual) === String(expected);
};

/**
 * Whether an entity passes the filter. `valuesAt` reads a property path (through navigations when it has
 * slashes) and returns every value found, so a path through a collection matches when any value does.
 */
export function matches(node: FilterNode | undefined, valuesAt: (path: string) => unknown[]): boolean {
  if (!node) return true;
  switch (node.kind) {
    case "and":
      return matches(node.left, valuesAt) && matches(node.right, valuesAt);
    case "or":
      return matches(node.left, valuesAt) || matches(node.right, valuesAt);
    case "not":
      return !matches(node.operand, valuesAt);
    case "compare": {
      const values = valuesAt(node.path);
      const found = (values.length === 0 ? [undefined] : values).some((v) => sameValue(v, node.value));
      return node.op === "eq" ? found : !found;
    }
    case "in":
      return valuesAt(node.path).some((v) => node.values.some((expected) => sameValue(v, expected)));
    case "order":
      return valuesAt(node.path).some((v) => {
        const t = timeOf(v);
        if (t === undefined) return false;
        return node.op === "ge"
          ? t >= node.at
          : node.op === "gt"
            ? t > node.at
            : node.op === "le"
              ? t <= node.at
              : t < node.at;
      });
  }
}

/** A stored date-time (`/Date(1767225600000+0000)/`, as OData v2 writes it, or ISO 8601) in milliseconds. */
function timeOf(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const odata = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
  const t = odata ? Number(odata[1]) : Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** `a/b,a/c,d` → the list of paths, each as its segments. */
export function parsePaths(text: string | null, option: string): string[][] {
  if (text === null || text.trim() === "") return [];
  return text.split(",").map((part) => {
    const segments = part.trim().split("/");
    if (segments.some((s) => !/^(\w+|\*)$/.test(s)))
      throw new ODataQueryError(`malformed ${option}: '${part}'`);
    return segments;
  });
}
