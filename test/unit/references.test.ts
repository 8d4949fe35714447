import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * Every reference a reader follows leads somewhere in this repository: each link in README.md and docs/ to a file
 * (and to a heading, when it names one), and each file the docs and code comments name. Documents the repository
 * does not ship are never cited. The architecture's how-to names only code that exists, so it follows the code.
 */
const ROOT = path.resolve(__dirname, "../..");
const SELF = path.relative(ROOT, __filename);

/** Words that stand for a manual the repository does not ship; file names are checked by existence instead. */
const UNSHIPPED_MANUALS = ["user's guide", "users' guide"];

/** Captures copied verbatim from third parties: their own source notes point outside, by design. */
const VERBATIM = "test/fixtures/hr/verbatim/";

/** The repository's files as git sees them: tracked, or new and not ignored. */
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
  cwd: ROOT,
  encoding: "utf8",
})
  .split("\n")
  .filter((file) => file !== "" && fs.existsSync(path.join(ROOT, file)));

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const isMarkdown = (file: string) => file.endsWith(".md");
const markdownDocs = files.filter((file) => file === "README.md" || /^docs\/.+\.md$/.test(file));

/** Every comment of a script, found by the TypeScript parser (so a `/*` inside a string or a regex is not one). */
function scriptComments(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
  const comments = new Map<number, string>();
  const visit = (node: ts.Node) => {
    for (const range of ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) {
      comments.set(range.pos, text.slice(range.pos, range.end));
    }
    node.getChildren(source).forEach(visit);
  };
  visit(source);
  return [...comments.values()];
}

/** The comments of a source file, where a reader is pointed at other files; undefined for other kinds. */
function commentsOf(file: string): string | undefined {
  const text = read(file);
  if (/\.(ts|js|mjs)$/.test(file)) {
    return namedFiles(text).length === 0 ? "" : scriptComments(file, text).join("\n");
  }
  const pattern = /\.(bicep|jsonc)$/.test(file)
    ? /(?<!:)\/\/[^\n]*/g
    : /\.ya?ml$|^\.ci\/run$/.test(file)
      ? /#[^\n]*/g
      : file.endsWith(".xml")
        ? /<!--[\s\S]*?-->/g
        : undefined;
  return pattern && (text.match(pattern) ?? []).join("\n");
}

/** Markdown outside code: fenced blocks and code spans hold examples, not links. */
const proseOf = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");

/** The anchors GitHub gives a Markdown file's headings. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .trim()
      .replace(/\s/g, "-");
    let unique = slug;
    for (let n = 1; anchors.has(unique); n++) unique = `${slug}-${n}`;
    anchors.add(unique);
  }
  return anchors;
}

/** A named file resolves from the repository root, or from the naming file's folder. */
const resolves = (from: string, name: string) =>
  [path.join(ROOT, name), path.join(ROOT, path.dirname(from), name)].some((candidate) =>
    fs.existsSync(candidate),
  );

/** Repository paths (`docs/…`, `src/…`) and Markdown file names in a text; placeholders and globs are not names. */
function namedFiles(text: string): string[] {
  const names = text.match(
    /(?<![\w./@-])(?:(?:src|test|local|docs|infra|bench|scripts)\/[\w./<>*{}-]*[\w>*}]|[\w-]+\.md\b)/g,
  );
  return (names ?? []).filter((name) => !/[<>*{}]/.test(name));
}

/** Code names in a Markdown text's code spans: camelCase, PascalCase with a hump, CONSTANT_CASE; paths aside. */
function codeNamesIn(markdown: string): string[] {
  const spans = [...markdown.replace(/^```[\s\S]*?^```/gm, "").matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return spans
    .filter((span) => !span.includes("/") && !/^[\w<>-]+(\.[\w<>-]+)*\.(ts|js|mjs|json|md)$/.test(span))
    .flatMap((span) => span.match(/[A-Za-z_$][\w$]*/g) ?? [])
    .filter((word) => /[a-z][A-Z]|^[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]$/.test(word));
}

/** The text of a Markdown section, from its `## ` heading to the next one. */
function sectionOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`no section "## ${heading}"`);
  const end = markdown.indexOf("\n## ", start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe("references in docs and code", () => {
  it("cite no document the repository does not contain, in code, strings, docs or data", () => {
    const shippedDocs = new Set(files.filter(isMarkdown).map((file) => path.basename(file)));
    const cited = files
      .filter((file) => file !== SELF && !file.startsWith(VERBATIM) && !read(file).includes("\0"))
      .flatMap((file) => {
        let inExample = false;
        return read(file)
          .split("\n")
          .flatMap((line, i) => {
            const at = `${file}:${i + 1}`;
            const documents = (line.match(/[\w-]+\.md\b/g) ?? []).filter((name) => !shippedDocs.has(name));
            // A relative path that climbs above the repository's root leads where a reader has nothing. (A
            // Markdown example block is written from wherever its code would live, not from the document.)
            if (isMarkdown(file) && line.startsWith("```")) inExample = !inExample;
            const outside = inExample
              ? []
              : (line.match(/(?:\.\.\/)+[\w.-]+/g) ?? []).filter((relative) =>
                  path.relative(ROOT, path.resolve(ROOT, path.dirname(file), relative)).startsWith(".."),
                );
            const manuals = UNSHIPPED_MANUALS.filter((words) => line.toLowerCase().includes(words));
            return [...documents, ...outside, ...manuals].map((name) => `${at} cites ${name}`);
          });
      });
    expect(cited).toEqual([]);
  });

  it("link only to files and headings that exist (README.md and docs/)", () => {
    const dangling: string[] = [];
    for (const file of markdownDocs) {
      for (const [, target] of proseOf(read(file)).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [pathPart, anchor] = target.split("#", 2);
        const linked = pathPart === "" ? file : path.join(path.dirname(file), decodeURIComponent(pathPart));
        if (!fs.existsSync(path.join(ROOT, linked))) {
          dangling.push(`${file}: ${target} (no file ${linked})`);
        } else if (anchor !== undefined && isMarkdown(linked) && !anchorsOf(read(linked)).has(anchor)) {
          dangling.push(`${file}: ${target} (no heading #${anchor} in ${linked})`);
        }
      }
    }
    expect(dangling).toEqual([]);
  });

  it("name only files that exist, in the docs and in code comments", () => {
    const missing: string[] = [];
    for (const file of files) {
      if (file.startsWith(VERBATIM) || file === SELF) continue;
      const text = isMarkdown(file) ? read(file) : commentsOf(file);
      for (const name of namedFiles(text ?? "")) {
        if (!resolves(file, name.replace(/[.,:;]+$/, ""))) missing.push(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("name only code that exists in the architecture's how-to (activity, Genesys operation, HR source)", () => {
    const code = files.filter((file) => /^(src|local|test)\/.+\.(ts|js|mjs)$/.test(file) && file !== SELF);
    const defined = new Set(code.flatMap((file) => read(file).match(/[A-Za-z_$][\w$]*/g) ?? []));
    const named = codeNamesIn(sectionOf(read("docs/architecture.md"), "How to add"));
    expect(named).toEqual(expect.arrayContaining(["defineActivity", "LIFECYCLE_ACTIVITIES", "HR_SOURCES"]));
    expect([...new Set(named)].filter((name) => !defined.has(name))).toEqual([]);
  });

  it("list every document of docs/ in the index, docs/README.md, so none is left where no one finds it", () => {
    const index = "docs/README.md";
    const listed = new Set(
      [...proseOf(read(index)).matchAll(/\]\(([\w-]+\.md)\)/g)].map((m) => path.join("docs", m[1])),
    );
    const documents = markdownDocs.filter((file) => file.startsWith("docs/") && file !== index);
    expect(documents.length).toBeGreaterThan(10);
    expect(documents.filter((file) => !listed.has(file))).toEqual([]);
  });

  it("keep README.md a front page of at most 10 KB", () => {
    expect(Buffer.byteLength(read("README.md"))).toBeLessThanOrEqual(10 * 1024);
  });
});

describe("the reference check itself", () => {
  it("finds the anchors GitHub gives headings, code and punctuation dropped, repeats numbered", () => {
    const anchors = anchorsOf("# A\n## Production settings in `host.json`\n## What to do when…\n## A\n");
    expect([...anchors]).toEqual(["a", "production-settings-in-hostjson", "what-to-do-when", "a-1"]);
  });

  it("reads code names in code spans, and leaves paths, file names and plain words alone", () => {
    expect(
      codeNamesIn(
        "Call `callActivity(context, FINISH_LEAVER, input)` from `src/orchestrators/calls.ts`, see `leaver.contract.ts`, `byPage`, `idempotent: false`, `Task`.",
      ),
    ).toEqual(["callActivity", "FINISH_LEAVER", "byPage"]);
  });

  it("reads file names in prose, and leaves placeholders, globs and longer paths alone", () => {
    expect(
      namedFiles(
        "see docs/leaver.md, src/hr/<source>.ts, test/**/*.ts, node_modules/x/src/a.js and NOTES.md.",
      ),
    ).toEqual(["docs/leaver.md", "NOTES.md"]);
  });
});
