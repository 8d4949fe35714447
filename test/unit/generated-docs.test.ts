import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { SETTINGS } from "../../src/config/settings";

const root = path.resolve(__dirname, "../..");

describe("docs written from the code", () => {
  // In a child process: Prettier, which formats them, loads its plugins in a way jest's module system cannot.
  it("are up to date (npm run docs rewrites them)", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/generated-docs.ts", "--check"],
      { cwd: root },
    );
    expect(stdout.trim()).toBe("generated docs are up to date");
  });

  it("give every setting of the schema a row in the settings reference", () => {
    const reference = readFileSync(path.join(root, "docs/settings.md"), "utf8");
    const rows = new Set([...reference.matchAll(/^\| `([A-Z0-9_]+)` +\|/gm)].map((m) => m[1]));
    expect(Object.keys(SETTINGS).filter((name) => !rows.has(name))).toEqual([]);
    expect([...rows].filter((name) => !(name in SETTINGS))).toEqual([]);
  });
});
