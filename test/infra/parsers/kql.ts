/**
 * Just enough of a KQL reader to check the alert and workbook queries offline (no Log Analytics here): the
 * tables and operators used, balanced brackets and strings, the metric names and custom dimensions queried,
 * and the columns the last step produces.
 */

/** Tables the queries may read: the Application Insights tables the app's telemetry lands in. */
export const KNOWN_TABLES = ["customMetrics", "dependencies", "requests"];

/** Tabular operators the queries may use after a pipe. */
const KNOWN_OPERATORS = ["where", "extend", "summarize", "project", "order", "top", "take", "distinct"];

/** The query with string literals blanked, so brackets and pipes inside them do not count. */
function withoutStrings(query: string): string {
  return query.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (s) => `"${" ".repeat(s.length - 2)}"`);
}

/** Problems a reader would find before running the query; empty when it reads well. */
export function kqlProblems(query: string): string[] {
  const problems: string[] = [];
  const bare = withoutStrings(query);
  if (/["']/.test(bare.replace(/"\s*"/g, ""))) problems.push("an unterminated string");
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  const stack: string[] = [];
  for (const c of bare) {
    if ("([{".includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) problems.push(`an unbalanced '${c}'`);
  }
  if (stack.length > 0) problems.push(`an unclosed '${stack.join("")}'`);
  const [source, ...steps] = bare.split("|").map((step) => step.trim());
  const table = /^(?:union\s+)?([A-Za-z]+)/.exec(source ?? "")?.[1];
  if (!table || !KNOWN_TABLES.includes(table)) problems.push(`reads an unknown table '${source}'`);
  for (const step of steps) {
    const operator = /^[a-z-]+/.exec(step)?.[0] ?? step;
    if (!KNOWN_OPERATORS.includes(operator)) problems.push(`uses an unknown operator '${operator}'`);
  }
  return problems;
}

/** Metric names the query filters on: `name == "x"` and `name in ("x", "y")`. */
export function metricNames(query: string): string[] {
  const names = [...query.matchAll(/\bname\s*==\s*"([^"]+)"/g)].map((m) => m[1]);
  for (const list of query.matchAll(/\bname\s+in\s*\(([^)]*)\)/g)) {
    names.push(...[...list[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]));
  }
  return names;
}

/** Custom dimensions (span and metric attributes) the query reads. */
export function customDimensions(query: string): string[] {
  return [...query.matchAll(/customDimensions\["([^"]+)"\]/g)].map((m) => m[1]);
}

/** Columns the query's last step produces, when it is a `project` or a `summarize`. */
export function outputColumns(query: string): string[] {
  const last = query.split("|").at(-1)?.trim() ?? "";
  const step = /^(?:project|summarize)\s+([\s\S]*)$/.exec(last);
  if (!step) return [];
  const [aggregates, by] = step[1].split(/\bby\b/);
  const first = (part: string) => /^\s*\(?\s*([A-Za-z_]\w*)/.exec(part)?.[1] ?? "";
  return [...splitTopLevel(aggregates), ...(by === undefined ? [] : splitTopLevel(by))]
    .map(first)
    .filter(Boolean);
}

function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of list) {
    if ("([".includes(c)) depth++;
    if (")]".includes(c)) depth--;
    if (c === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}
