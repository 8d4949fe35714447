import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from "yaml";
import { z } from "zod";

/**
 * The mapping file: HR job titles → Genesys division, roles per division, queues, skills, languages and the
 * leaver policy. Users edit it as YAML (JSON is accepted too: it is parsed by the same YAML 1.2 parser, so
 * errors carry line numbers either way). Names, not ids: the file must survive being moved between orgs.
 */

/** Attributes a mapping may own outright: then a mover loses hand-added values of it too. */
export const OWNABLE_ATTRIBUTES = ["roles", "queues", "skills", "languages"] as const;
export type OwnableAttribute = (typeof OWNABLE_ATTRIBUTES)[number];

export const TRANSFER_TARGETS = ["manager", "supervisor", "queue", "disconnect"] as const;
export type TransferTarget = (typeof TRANSFER_TARGETS)[number];

/** "*" in a role's division: the grant covers every division. */
export const ALL_DIVISIONS = "*";

const DAY_IN_SECONDS = 86_400;
const DEFAULT_RETENTION_DAYS = 30;

const required = (kind: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? "is required" : `must be ${kind}`;
const name = z
  .string({ error: required("text") })
  .trim()
  .min(1, "must not be empty");
const proficiency = z
  .number({ error: required("a number") })
  .min(0, "must be between 0 and 5")
  .max(5, "must be between 0 and 5");
const email = z.email({ error: required("an email address") });

/** ISO-8601 duration in days, hours, minutes and seconds (P30D, PT90S, P1DT12H); weeks too. */
const isoDuration = z
  .string({ error: required("an ISO-8601 duration such as P30D or PT60S") })
  .trim()
  .transform((value, ctx) => {
    const seconds = parseIsoDuration(value);
    if (seconds === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "must be an ISO-8601 duration in weeks, days, hours, minutes or seconds (P30D, PT60S)",
      });
      return z.NEVER;
    }
    return seconds;
  });

const leaverSchema = z
  .strictObject({
    transferTo: z.enum(TRANSFER_TARGETS, { error: `must be one of ${TRANSFER_TARGETS.join(", ")}` }),
    fallback: z
      .enum(TRANSFER_TARGETS, { error: `must be one of ${TRANSFER_TARGETS.join(", ")}` })
      .default("queue"),
    retentionDays: z
      .number({ error: required("a number") })
      .int("must be a whole number")
      .min(0)
      .optional(),
    retention: isoDuration.optional(),
    /** The queue a leaver's live interactions go to when the policy says queue; else the profile's first. */
    queue: name.optional(),
  })
  .superRefine((leaver, ctx) => {
    if (leaver.retention !== undefined && leaver.retentionDays !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["retention"],
        message: "give retentionDays or retention, not both",
      });
  })
  .transform(({ retention, retentionDays, ...rest }) => ({
    ...rest,
    retentionSeconds: retention ?? (retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_IN_SECONDS,
  }));

const DEFAULT_LEAVER = {
  transferTo: "manager",
  fallback: "queue",
  retentionSeconds: DEFAULT_RETENTION_DAYS * DAY_IN_SECONDS,
} as const;

const roleSchema = z.union(
  [
    name.transform((roleName) => ({ name: roleName, division: undefined as string | undefined })),
    z.strictObject({ name, division: name.optional() }),
  ],
  { error: "must be a role name or { name, division }" },
);

const leveled = z.union(
  [name.transform((n) => ({ name: n, proficiency: 0 })), z.strictObject({ name, proficiency })],
  {
    error: "must be a name or { name, proficiency }",
  },
);

const matchSchema = z.strictObject(
  {
    title: name,
    department: name.optional(),
    location: name.optional(),
    country: name.optional(),
  },
  { error: required("an object such as { title: ... }") },
);

const profileSchema = z.strictObject(
  {
    match: matchSchema,
    division: name.optional(),
    roles: z.array(roleSchema, { error: required("a list") }).default([]),
    queues: z.array(name, { error: required("a list") }).default([]),
    skills: z.array(leveled, { error: required("a list") }).default([]),
    languages: z.array(leveled, { error: required("a list") }).default([]),
    supervisor: email.optional(),
  },
  { error: required("an object") },
);

export const MappingSchema = z.strictObject(
  {
    version: z.literal(1, { error: "must be 1 (the mapping file format version)" }),
    defaults: z.strictObject(
      { division: name, leaver: leaverSchema.default(DEFAULT_LEAVER) },
      { error: required("an object") },
    ),
    owns: z
      .array(z.enum(OWNABLE_ATTRIBUTES, { error: `must be one of ${OWNABLE_ATTRIBUTES.join(", ")}` }))
      .default([]),
    profiles: z.array(profileSchema, { error: required("a list") }).min(1, "must list at least one profile"),
  },
  { error: "must be a mapping document with version, defaults and profiles" },
);

export type Mapping = z.output<typeof MappingSchema>;
export type MappingProfile = Mapping["profiles"][number];
export type MatchCriteria = MappingProfile["match"];
export type LeaverPolicy = Mapping["defaults"]["leaver"];

/** One thing wrong with a mapping file, located so an editor can jump to it. */
export interface MappingProblem {
  /** 1-based; 0 when the problem has no position (an empty file). */
  line: number;
  column: number;
  /** Dotted path of the field, e.g. `profiles[2].skills[0].proficiency`; empty for the whole file. */
  path: string;
  message: string;
}

export type ParseMappingResult =
  | {
      ok: true;
      mapping: Mapping;
      /** Line and column of a field, for reports about the parsed mapping (org validation). */
      locate: (path: readonly (string | number)[]) => { line: number; column: number };
    }
  | { ok: false; errors: MappingProblem[] };

/** Renders a problem the way compilers do: `line 12, column 9: profiles[0].division: must not be empty`. */
export function formatProblem(problem: MappingProblem): string {
  const where = problem.line > 0 ? `line ${problem.line}, column ${problem.column}: ` : "";
  return `${where}${problem.path === "" ? "" : `${problem.path}: `}${problem.message}`;
}

/**
 * Limits on a mapping file, well above any real one (the 320-profile benchmark mapping is 181 KiB with 7,800
 * keys) and low enough that a hostile file cannot hold the process: reading YAML costs about a millisecond of
 * CPU per 100 keys, so the key count is checked on the raw text (every key has a `:`; colons inside values
 * count too, which no real mapping comes near) before the parser runs. YAML's anchors and aliases can expand
 * a small file into a huge value, and a map with thousands of keys is no mapping.
 */
export const MAPPING_LIMITS = {
  characters: 450_000,
  keys: 20_000,
  nodes: 50_000,
  keysPerMap: 1_000,
  aliases: 100,
} as const;

/** An upper bound on the keys of a YAML or JSON text, in one pass over it. */
const keysAtMost = (source: string): number => {
  let colons = 0;
  for (let i = source.indexOf(":"); i >= 0; i = source.indexOf(":", i + 1)) colons++;
  return colons;
};

/** Why a mapping text is too big to read at all, before any parser runs; undefined when it is not. */
export function mappingSizeProblem(source: string): string | undefined {
  return source.length > MAPPING_LIMITS.characters
    ? `a mapping file may be at most ${MAPPING_LIMITS.characters} characters; this one has ${source.length}`
    : undefined;
}

/**
 * Counts nodes, aliases and keys per map in one walk, and finds duplicate keys with a set per map. The YAML
 * library's own duplicate check compares every key with every other, which a 40,000-key map turns into
 * seconds of CPU; this walk stays linear.
 */
function shapeProblems(doc: Document, lineCounter: LineCounter): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const at = (node: Node | undefined, message: string): MappingProblem => {
    const position = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    return { line: position?.line ?? 0, column: position?.col ?? 0, path: "", message };
  };
  let nodes = 0;
  let aliases = 0;
  visit(doc, {
    Node() {
      if (++nodes > MAPPING_LIMITS.nodes) {
        problems.push(at(undefined, `the file has more than ${MAPPING_LIMITS.nodes} values`));
        return visit.BREAK;
      }
      return undefined;
    },
    Alias(_key, node) {
      if (++aliases > MAPPING_LIMITS.aliases) {
        problems.push(at(node, `the file has more than ${MAPPING_LIMITS.aliases} aliases`));
        return visit.BREAK;
      }
      return undefined;
    },
    Map(_key, map) {
      if (map.items.length > MAPPING_LIMITS.keysPerMap) {
        problems.push(at(map, `a map has more than ${MAPPING_LIMITS.keysPerMap} keys`));
        return visit.BREAK;
      }
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) problems.push(at(pair.key as Node, "Map keys must be unique"));
        seen.add(key);
      }
      return undefined;
    },
  });
  return problems;
}

/**
 * Parses a mapping file (YAML or JSON) and checks everything that needs no org: the schema, and that no two
 * profiles can tie for the same worker. Every problem is reported at once, each with its line and field.
 */
export function parseMapping(source: string): ParseMappingResult {
  const tooBig =
    mappingSizeProblem(source) ??
    (keysAtMost(source) > MAPPING_LIMITS.keys
      ? `the file has more than ${MAPPING_LIMITS.keys} keys (counted as ":" before it is read)`
      : undefined);
  if (tooBig !== undefined) return { ok: false, errors: [{ line: 0, column: 0, path: "", message: tooBig }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => ({
        line: error.linePos?.[0].line ?? 0,
        column: error.linePos?.[0].col ?? 0,
        path: "",
        message: error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""),
      })),
    };
  }
  const shape = shapeProblems(doc, lineCounter);
  if (shape.length > 0) return { ok: false, errors: shape };
  const locate = (path: readonly PropertyKey[]) => locateNode(doc.contents, path, lineCounter);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAPPING_LIMITS.aliases });
  } catch (error) {
    // An alias that expands too often ("billion laughs"), or one that names no anchor.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ line: 0, column: 0, path: "", message }] };
  }
  const parsed = MappingSchema.safeParse(data);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((issue): MappingProblem[] => {
      if (issue.code === "unrecognized_keys") {
        return issue.keys.map((key) => ({
          ...locate([...issue.path, key]),
          path: formatPath([...issue.path, key]),
          message: `unknown field (allowed: ${allowedKeys(issue.path)})`,
        }));
      }
      return [{ ...locate(issue.path), path: formatPath(issue.path), message: issue.message }];
    });
    return { ok: false, errors };
  }
  const ties = findTies(parsed.data.profiles).map(({ index, message }) => ({
    ...locate(["profiles", index, "match"]),
    path: `profiles[${index}].match`,
    message,
  }));
  if (ties.length > 0) return { ok: false, errors: ties };
  return { ok: true, mapping: parsed.data, locate };
}

/** Lower-case, with every kind of white space removed: "Senior  technical Support" ≡ "senior technical support". */
export function normalizeMatchValue(value: string): string {
  return value.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
}

const MATCH_KEYS = ["title", "department", "location", "country"] as const;

/** How many criteria a profile's match names; more is more specific and wins. */
export function specificity(match: MatchCriteria): number {
  return MATCH_KEYS.filter((key) => match[key] !== undefined).length;
}

/**
 * Two profiles tie when some worker could match both at the same specificity and no more specific profile
 * catches every such worker first. Found statically so a tie is a validation error, not a runtime surprise.
 */
function findTies(profiles: readonly MappingProfile[]): { index: number; message: string }[] {
  const normalized = profiles.map((p) => normalizeCriteria(p.match));
  const ties: { index: number; message: string }[] = [];
  for (let a = 0; a < profiles.length; a++) {
    for (let b = a + 1; b < profiles.length; b++) {
      const [ca, cb] = [normalized[a], normalized[b]];
      if (ca.size !== cb.size) continue;
      const union = new Map(ca);
      let compatible = true;
      for (const [key, value] of cb) {
        if (union.has(key) && union.get(key) !== value) compatible = false;
        union.set(key, value);
      }
      if (!compatible) continue;
      const shadowed = normalized.some(
        (c) => c.size > ca.size && [...c].every(([key, value]) => union.get(key) === value),
      );
      if (shadowed) continue;
      const overlap = MATCH_KEYS.filter((key) => union.has(key))
        .map((key) => `${key} "${profiles[a].match[key] ?? profiles[b].match[key]}"`)
        .join(" and ");
      ties.push({
        index: b,
        message:
          `ties with profiles[${a}]: a worker with ${overlap} matches both equally; ` +
          "make one more specific, or add a profile matching all of these criteria",
      });
    }
  }
  return ties;
}

function normalizeCriteria(match: MatchCriteria): Map<string, string> {
  const criteria = new Map<string, string>();
  for (const key of MATCH_KEYS) {
    const value = match[key];
    if (value !== undefined) criteria.set(key, normalizeMatchValue(value));
  }
  return criteria;
}

/** Seconds in an ISO-8601 duration of weeks/days/hours/minutes/seconds; undefined when not one. */
export function parseIsoDuration(value: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (m === null || value === "P" || value.endsWith("T")) return undefined;
  const [, w, d, h, min, s] = m.map((part) => (part === undefined ? 0 : Number(part)));
  return w * 7 * DAY_IN_SECONDS + d * DAY_IN_SECONDS + h * 3600 + min * 60 + s;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}

const ALLOWED_KEYS: Record<string, string[]> = {
  "": ["version", "defaults", "owns", "profiles"],
  defaults: ["division", "leaver"],
  "defaults.leaver": ["transferTo", "fallback", "retentionDays", "retention", "queue"],
  profile: ["match", "division", "roles", "queues", "skills", "languages", "supervisor"],
  match: [...MATCH_KEYS],
  roles: ["name", "division"],
  leveled: ["name", "proficiency"],
};

function allowedKeys(path: readonly PropertyKey[]): string {
  const named = path.filter((p) => typeof p === "string");
  const last = named.at(-1);
  const key =
    path.length === 2 && path[0] === "profiles"
      ? "profile"
      : last === "skills" || last === "languages"
        ? "leveled"
        : last === "match" || last === "roles"
          ? last
          : named.join(".");
  return (ALLOWED_KEYS[key] ?? []).join(", ");
}

/**
 * The line and column of the deepest node on `path` that exists: the field itself when present, else the
 * object that lacks it (so "is required" points at the profile missing the field).
 */
function locateNode(
  root: unknown,
  path: readonly PropertyKey[],
  lineCounter: LineCounter,
): { line: number; column: number } {
  let node: unknown = root;
  let position: Node["range"] | undefined = (root as Node | null)?.range ?? undefined;
  for (const part of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === part);
      // Point at the key: "unknown field" and "must be…" read naturally there.
      if (pair !== undefined) position = (pair.key as Node).range ?? position;
      next = pair?.value;
    } else if (isSeq(node) && typeof part === "number") {
      next = node.items[part];
      if ((next as Node | undefined)?.range) position = (next as Node).range;
    }
    if (next === undefined || next === null) break;
    node = next;
  }
  if (position === undefined || position === null) return { line: 0, column: 0 };
  const { line, col } = lineCounter.linePos(position[0]);
  return { line, column: col };
}
