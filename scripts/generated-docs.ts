import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import type { z } from "zod";
import { SETTINGS } from "../src/config/settings";
import { LIFECYCLE_STATES, TRANSITIONS, type LifecycleAction } from "../src/lifecycle/employee-lifecycle";
import { HR_EVENT_TYPES } from "../src/lifecycle/hr-event";
import { REQUIRED_PERMISSIONS } from "../src/lifecycle/validate";

/**
 * Parts of the docs written from the code, so they cannot drift from it: each sits between
 * `<!-- generated:<name> -->` and `<!-- /generated:<name> -->`. `npm run docs` rewrites them; a test fails when
 * one is out of date.
 */
const ROOT = path.resolve(__dirname, "..");

const ACTION: Record<LifecycleAction["kind"], (action: LifecycleAction) => string> = {
  CONVERGE: (a) => (a.kind === "CONVERGE" && !a.reactivate ? "converge (no reactivation)" : "converge"),
  LEAVE: (a) => (a.kind === "LEAVE" && a.leaveOfAbsence ? "leaver (leave of absence)" : "leaver"),
  RECORD: () => "record only",
  NOTHING: () => "nothing",
};

/** Every state × event cell of the lifecycle table: what happens, and why. */
function lifecycleTable(): string {
  const lines = ["| state | event | what happens | why |", "| --- | --- | --- | --- |"];
  for (const state of LIFECYCLE_STATES) {
    for (const type of HR_EVENT_TYPES) {
      const { action, why } = TRANSITIONS[state][type];
      lines.push(`| \`${state}\` | \`${type}\` | ${ACTION[action.kind](action)} | ${why} |`);
    }
  }
  return lines.join("\n");
}

/** What an unset setting becomes, read from its own schema: so the reference cannot disagree with validation. */
function defaultOf(schema: z.ZodType): string {
  const parsed = schema.safeParse(undefined);
  if (!parsed.success) return "required";
  // Settings are environment strings, so their defaults are plain values.
  const value = parsed.data as string | number | boolean | undefined;
  return value === undefined ? "—" : `\`${String(value)}\``;
}

/** Every setting of the schema, in its order: name, default, whether it is a secret, and what it is. */
function settingsReference(): string {
  const lines = ["| setting | default | secret | what it is |", "| --- | --- | --- | --- |"];
  for (const [name, { schema, description, secret }] of Object.entries(SETTINGS)) {
    const cell = description.replace(/\|/g, "\\|");
    lines.push(`| \`${name}\` | ${defaultOf(schema)} | ${secret ? "yes" : ""} | ${cell} |`);
  }
  return lines.join("\n");
}

/** Where each part of a profile needs its permissions. */
const PERMISSION_SCOPE: Record<keyof typeof REQUIRED_PERMISSIONS, string> = {
  user: "the user's division",
  roles: 'each role grant\'s division (every division for `"*"`)',
  queues: "each queue's division",
  skills: "the user's division",
  languages: "the user's division",
};

/** What the OAuth client must hold for each part of a profile, as the mapping validation checks it. */
function mappingPermissions(): string {
  const lines = ["| profile part | in | permissions |", "| --- | --- | --- |"];
  for (const [part, needs] of Object.entries(REQUIRED_PERMISSIONS)) {
    const all = needs.map((anyOf) => anyOf.map((p) => `\`${p}\``).join(" or ")).join(" and ");
    lines.push(`| ${part} | ${PERMISSION_SCOPE[part as keyof typeof REQUIRED_PERMISSIONS]} | ${all} |`);
  }
  return lines.join("\n");
}

/** Generated section name → the file it lives in and its content. */
const GENERATED: Record<string, { file: string; render: () => string }> = {
  "lifecycle-table": { file: "docs/lifecycle.md", render: lifecycleTable },
  "settings-reference": { file: "docs/settings.md", render: settingsReference },
  "mapping-permissions": { file: "docs/mapping-and-plan.md", render: mappingPermissions },
};

const markers = (name: string) => [`<!-- generated:${name} -->`, `<!-- /generated:${name} -->`] as const;

/** The file's text with the section rewritten; throws when the markers are missing. */
function withSection(text: string, name: string, content: string): string {
  const [open, close] = markers(name);
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`the markers of the generated section ${name} are missing`);
  return `${text.slice(0, start + open.length)}\n${content}\n${text.slice(end)}`;
}

/** Each file with generated sections as it should read (formatted as the repository formats Markdown). */
async function expectedDocs(): Promise<Map<string, { before: string; after: string }>> {
  const files = new Map<string, { before: string; after: string }>();
  for (const [name, { file, render }] of Object.entries(GENERATED)) {
    const full = path.join(ROOT, file);
    const current = files.get(full) ?? {
      before: readFileSync(full, "utf8"),
      after: readFileSync(full, "utf8"),
    };
    current.after = withSection(current.after, name, render());
    files.set(full, current);
  }
  for (const [full, text] of files) {
    const options = (await resolveConfig(full)) ?? {};
    text.after = await format(text.after, { ...options, filepath: full });
  }
  return files;
}

/** `npm run docs` rewrites what is out of date; with `--check` it only names it and fails. */
async function main(check: boolean): Promise<void> {
  const stale: string[] = [];
  for (const [full, { before, after }] of await expectedDocs()) {
    if (after === before) continue;
    if (!check) writeFileSync(full, after);
    stale.push(path.relative(ROOT, full));
  }
  if (stale.length === 0) console.log("generated docs are up to date");
  else if (check) {
    console.error(`out of date (run npm run docs): ${stale.join(", ")}`);
    process.exitCode = 1;
  } else console.log(`rewrote ${stale.join(", ")}`);
}

if (require.main === module) void main(process.argv.includes("--check"));
