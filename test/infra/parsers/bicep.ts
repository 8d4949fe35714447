/**
 * Just enough of a Bicep reader to answer "which app settings do these files give the Function App?" without
 * the Bicep compiler, which cannot be installed offline. It tokenizes properly (comments, `'...'` strings
 * with `${...}` interpolation and escapes, `'''` verbatim strings), then reads `resource` declarations and
 * their object literals. Anything it cannot read structurally becomes an expression's source text.
 */

type Token =
  | { type: "ident" | "string" | "number"; text: string; start: number; end: number }
  | { type: "punct"; text: string; start: number; end: number }
  | { type: "newline"; text: "\n"; start: number; end: number };

export type BicepValue =
  | { kind: "object"; properties: Map<string, BicepValue>; start: number; end: number }
  | { kind: "array"; items: BicepValue[]; start: number; end: number }
  | { kind: "expression"; text: string; start: number; end: number };

export interface BicepResource {
  /** `resource`, or `module` (then `type` is the module's path). */
  keyword: "resource" | "module";
  symbolicName: string;
  /** Resource type without the API version, e.g. `Microsoft.Web/sites/config`. */
  type: string;
  apiVersion: string;
  existing: boolean;
  body: BicepValue;
}

export class BicepReadError extends Error {
  override readonly name = "BicepReadError";
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "\n") {
      tokens.push({ type: "newline", text: "\n", start: i, end: i + 1 });
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (source.startsWith("//", i)) {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) throw new BicepReadError(`unterminated block comment at offset ${i}`);
      i = end + 2;
    } else if (source.startsWith("'''", i)) {
      const end = source.indexOf("'''", i + 3);
      if (end < 0) throw new BicepReadError(`unterminated ''' string at offset ${i}`);
      tokens.push({ type: "string", text: source.slice(i, end + 3), start: i, end: end + 3 });
      i = end + 3;
    } else if (c === "'") {
      const end = stringEnd(source, i);
      tokens.push({ type: "string", text: source.slice(i, end), start: i, end });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ type: "ident", text: match[0], start: i, end: i + match[0].length });
      i += match[0].length;
    } else if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ type: "number", text: match[0], start: i, end: i + match[0].length });
      i += match[0].length;
    } else {
      const two = source.slice(i, i + 2);
      const text = ["==", "!=", "<=", ">=", "&&", "||", "??", "?.", "::"].includes(two) ? two : c;
      tokens.push({ type: "punct", text, start: i, end: i + text.length });
      i += text.length;
    }
  }
  return tokens;
}

/** Offset just past the `'` closing the string that opens at `start`, stepping over `${...}` holes. */
function stringEnd(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length) {
    const c = source[i];
    if (c === "\\") i += 2;
    else if (c === "'") return i + 1;
    else if (source.startsWith("${", i)) i = interpolationEnd(source, i + 2);
    else if (c === "\n") break;
    else i++;
  }
  throw new BicepReadError(`unterminated string at offset ${start}`);
}

function interpolationEnd(source: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < source.length) {
    const c = source[i];
    if (c === "'") i = stringEnd(source, i);
    else if (c === "{") {
      depth++;
      i++;
    } else if (c === "}") {
      if (depth === 0) return i + 1;
      depth--;
      i++;
    } else i++;
  }
  throw new BicepReadError(`unterminated interpolation at offset ${from}`);
}

/** The value of a Bicep single-quoted string literal without interpolation, or undefined. */
export function stringLiteral(value: BicepValue | undefined): string | undefined {
  if (value?.kind !== "expression") return undefined;
  const match = /^'((?:[^'\\$]|\\.|\$(?!\{))*)'$/.exec(value.text);
  return match ? match[1].replace(/\\(.)/g, "$1") : undefined;
}

class Reader {
  private at = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  resources(): BicepResource[] {
    const found: BicepResource[] = [];
    for (this.at = 0; this.at < this.tokens.length; this.at++) {
      const token = this.tokens[this.at];
      const atLineStart = this.at === 0 || this.tokens[this.at - 1].type === "newline";
      if (!atLineStart || token.type !== "ident" || (token.text !== "resource" && token.text !== "module"))
        continue;
      const symbolic = this.tokens[this.at + 1];
      const type = this.tokens[this.at + 2];
      if (symbolic?.type !== "ident" || type?.type !== "string") continue;
      this.at += 3;
      const existing = this.peek()?.text === "existing";
      if (existing) this.at++;
      if (this.peek()?.text !== "=") continue;
      this.at++;
      if (this.peek()?.text === "if") {
        this.at++;
        this.skipBalanced();
      }
      if (this.peek()?.text !== "{") continue; // loops (`[for ...]`) are not read
      const [fullType, apiVersion = ""] = type.text.slice(1, -1).split("@");
      found.push({
        keyword: token.text,
        symbolicName: symbolic.text,
        type: fullType,
        apiVersion,
        existing,
        body: this.value(),
      });
      this.at--;
    }
    return found;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private skipNewlines() {
    while (this.peek()?.type === "newline") this.at++;
  }

  /** Skips a parenthesised, bracketed or braced group that starts at the current token. */
  private skipBalanced() {
    let depth = 0;
    do {
      const text = this.peek()?.text;
      if (text === undefined) throw new BicepReadError("unbalanced brackets");
      if ("([{".includes(text)) depth++;
      if (")]}".includes(text)) depth--;
      this.at++;
    } while (depth > 0);
  }

  value(): BicepValue {
    this.skipNewlines();
    const first = this.peek();
    if (first?.text === "{") return this.object();
    if (first?.text === "[" && this.tokens[this.at + 1]?.text !== "for") return this.array();
    return this.expression();
  }

  private object(): BicepValue {
    const start = this.peek()!.start;
    this.at++;
    const properties = new Map<string, BicepValue>();
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (!token) throw new BicepReadError(`unterminated object at offset ${start}`);
      if (token.text === "}") {
        this.at++;
        return { kind: "object", properties, start, end: token.end };
      }
      if (token.text === ",") {
        this.at++;
        continue;
      }
      const key =
        token.type === "ident"
          ? token.text
          : token.type === "string"
            ? stringLiteral(this.expressionOf(token))
            : undefined;
      if (key === undefined || this.tokens[this.at + 1]?.text !== ":") {
        throw new BicepReadError(
          `expected a property name at offset ${token.start}: ${this.line(token.start)}`,
        );
      }
      this.at += 2;
      properties.set(key, this.value());
    }
  }

  private array(): BicepValue {
    const start = this.peek()!.start;
    this.at++;
    const items: BicepValue[] = [];
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (!token) throw new BicepReadError(`unterminated array at offset ${start}`);
      if (token.text === "]") {
        this.at++;
        return { kind: "array", items, start, end: token.end };
      }
      if (token.text === ",") {
        this.at++;
        continue;
      }
      items.push(this.value());
    }
  }

  /** An expression runs to the end of its line (or a `,`) at bracket depth 0. */
  private expression(): BicepValue {
    const startToken = this.peek();
    if (!startToken) throw new BicepReadError("expected a value at end of file");
    let depth = 0;
    let last = startToken;
    for (;;) {
      const token = this.peek();
      if (!token) break;
      if (
        depth === 0 &&
        (token.type === "newline" || token.text === "," || token.text === "}" || token.text === "]")
      ) {
        break;
      }
      if ("([{".includes(token.text) && token.type === "punct") depth++;
      if (")]}".includes(token.text) && token.type === "punct") depth--;
      if (token.type !== "newline") last = token;
      this.at++;
    }
    return {
      kind: "expression",
      text: this.source.slice(startToken.start, last.end),
      start: startToken.start,
      end: last.end,
    };
  }

  private expressionOf(token: Token): BicepValue {
    return { kind: "expression", text: token.text, start: token.start, end: token.end };
  }

  private line(offset: number): string {
    const start = this.source.lastIndexOf("\n", offset) + 1;
    const end = this.source.indexOf("\n", offset);
    return this.source.slice(start, end < 0 ? undefined : end).trim();
  }
}

/**
 * Every `resource` and `module` declaration in a Bicep file, with its body read as objects, arrays and
 * expressions. Loops (`= [for ...]`) are not read.
 */
export function readResources(source: string): BicepResource[] {
  return new Reader(source, tokenize(source)).resources();
}

export interface AppSettingsBlock {
  /** Where the settings were found, for messages. */
  location: string;
  settings: Map<string, string>;
}

/**
 * The app settings a Bicep file gives a Function App, in either form Bicep allows: a
 * `Microsoft.Web/sites/config` resource named `appsettings` whose `properties` is an object, or
 * `siteConfig.appSettings` on a `Microsoft.Web/sites` resource as `[{ name, value }]`. Values are their
 * Bicep source text. Throws when a block exists but is not literal enough to read names from.
 */
export function appSettingsBlocks(source: string, file: string): AppSettingsBlock[] {
  const blocks: AppSettingsBlock[] = [];
  for (const resource of readResources(source)) {
    if (resource.keyword !== "resource" || resource.existing || resource.body.kind !== "object") continue;
    const body = resource.body.properties;
    const where = `${file}: resource ${resource.symbolicName}`;
    if (resource.type === "Microsoft.Web/sites/config" && stringLiteral(body.get("name")) === "appsettings") {
      const properties = body.get("properties");
      if (properties?.kind !== "object") {
        throw new BicepReadError(
          `${where}: 'properties' must be an object literal so its setting names can be checked`,
        );
      }
      blocks.push({
        location: where,
        settings: new Map([...properties.properties].map(([k, v]) => [k, sourceText(v, source)])),
      });
    }
    if (resource.type === "Microsoft.Web/sites") {
      const siteConfig = objectProperty(resource.body, "properties", "siteConfig");
      const list = siteConfig?.kind === "object" ? siteConfig.properties.get("appSettings") : undefined;
      if (list === undefined) continue;
      if (list.kind !== "array") {
        throw new BicepReadError(
          `${where}: siteConfig.appSettings must be an array literal so it can be checked`,
        );
      }
      const settings = new Map<string, string>();
      for (const item of list.items) {
        const name = item.kind === "object" ? stringLiteral(item.properties.get("name")) : undefined;
        if (item.kind !== "object" || name === undefined) {
          throw new BicepReadError(`${where}: every siteConfig.appSettings entry needs a literal name`);
        }
        settings.set(name, sourceText(item.properties.get("value"), source));
      }
      blocks.push({ location: `${where} (siteConfig.appSettings)`, settings });
    }
  }
  return blocks;
}

function objectProperty(value: BicepValue, ...path: string[]): BicepValue | undefined {
  let current: BicepValue | undefined = value;
  for (const key of path) current = current?.kind === "object" ? current.properties.get(key) : undefined;
  return current;
}

function sourceText(value: BicepValue | undefined, source: string): string {
  return value === undefined ? "" : source.slice(value.start, value.end);
}

export interface BicepParameter {
  name: string;
  type: string;
  hasDefault: boolean;
  secure: boolean;
}

/** The `param` declarations of a Bicep file, with whether each has a default and is `@secure()`. */
export function readParameters(source: string): BicepParameter[] {
  const found: BicepParameter[] = [];
  const pattern = /^param\s+(\w+)\s+(\w+)(\s*=)?/gm;
  for (const match of source.matchAll(pattern)) {
    const linesBefore = source.slice(0, match.index).split("\n").slice(0, -1);
    const decorators: string[] = [];
    for (let i = linesBefore.length - 1; i >= 0 && linesBefore[i].trim().startsWith("@"); i--) {
      decorators.push(linesBefore[i].trim());
    }
    found.push({
      name: match[1],
      type: match[2],
      hasDefault: match[3] !== undefined,
      secure: decorators.some((d) => d.startsWith("@secure()")),
    });
  }
  return found;
}
