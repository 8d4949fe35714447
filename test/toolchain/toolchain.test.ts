import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Lints source as if it lived at `filePath`, without writing it to disk. */
function lintAs(filePath: string, source: string): Promise<LintMessage[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin("eslint"), ["--stdin", "--stdin-filename", filePath, "--format", "json"], {
      cwd: root,
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("close", () => {
      try {
        resolve((JSON.parse(stdout) as [{ messages: LintMessage[] }])[0].messages);
      } catch {
        reject(new Error(`eslint printed no JSON: ${stdout}`));
      }
    });
    child.stdin.end(source);
  });
}

describe("the orchestrator fence", () => {
  it("rejects Date.now(), new Date(), Math.random and process.env in an orchestrator", async () => {
    const messages = await lintAs(
      "src/orchestrators/fence-probe.ts",
      [
        "export const a = Date.now();",
        "export const b = new Date();",
        "export const c = Math.random();",
        "export const d = process.env.X;",
      ].join("\n"),
    );
    expect(messages.map((m) => m.ruleId)).toEqual([
      "no-restricted-properties",
      "no-restricted-syntax",
      "no-restricted-properties",
      "no-restricted-properties",
    ]);
  });

  it("rejects an orchestrator that imports axios, Azure clients, Node built-ins, genesys, storage or telemetry", async () => {
    const forbidden = [
      "axios",
      "@azure/data-tables",
      "node:fs",
      "../genesys/auth",
      "../storage/inbox",
      "../telemetry",
      "@opentelemetry/api",
    ];
    const messages = await lintAs(
      "src/orchestrators/fence-probe.ts",
      forbidden
        .map((module, i) => `import * as m${i} from "${module}";\nexport const x${i} = m${i};`)
        .join("\n"),
    );
    const fenced = messages.filter((m) => m.ruleId === "no-restricted-imports");
    expect(fenced).toHaveLength(forbidden.length);
  });

  it("allows what orchestrators are meant to use", async () => {
    const messages = await lintAs(
      "src/orchestrators/fence-probe.ts",
      'import type * as df from "durable-functions";\nexport type X = df.OrchestrationContext;\n',
    );
    expect(messages).toEqual([]);
  });
});

/**
 * Type-aware lint of the whole tree takes about 45 s of CPU on its own; beside the other jest worker on two
 * cores its wall time passes the default 60 s. The limit only stops a hung tool, so these get room.
 */
const WHOLE_TREE_TIMEOUT_IN_MS = 300_000;

describe("the whole project", () => {
  it(
    "typechecks with the strict compiler settings",
    async () => {
      await expect(run(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"], { cwd: root })).resolves.toEqual({
        stdout: "",
        stderr: "",
      });
    },
    WHOLE_TREE_TIMEOUT_IN_MS,
  );

  it(
    "passes lint",
    async () => {
      const result = await run(bin("eslint"), ["."], { cwd: root }).catch((e: { stdout: string }) => e);
      expect(result.stdout).toBe("");
    },
    WHOLE_TREE_TIMEOUT_IN_MS,
  );

  it(
    "is formatted with prettier",
    async () => {
      const result = await run(bin("prettier"), ["--check", "."], { cwd: root }).catch(
        (e: { stdout: string }) => e,
      );
      expect(result.stdout).toContain("All matched files use Prettier code style!");
    },
    WHOLE_TREE_TIMEOUT_IN_MS,
  );
});
