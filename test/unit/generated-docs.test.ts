import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

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
});
