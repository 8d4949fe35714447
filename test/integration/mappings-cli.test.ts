import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startAzuriteTables, type AzuriteTables } from "../../local/azurite";
import { runMappingsCli } from "../../src/cli/mappings";
import { demoOrg, homeOnlyPermissions } from "../support/demo-org";

const root = path.resolve(__dirname, "../..");
const demoFile = path.join(root, "local/mappings/demo.yaml");
const demoOrgFile = path.join(root, "local/mappings/demo-org.json");

let azurite: AzuriteTables;
let dir: string;
beforeAll(async () => {
  azurite = await startAzuriteTables({ port: 0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mappings-cli-"));
});
afterAll(async () => {
  await azurite.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runMappingsCli(argv, {
    env: { TABLES_CONNECTION: azurite.connectionString, USER: "ops" },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

describe("npm run mappings", () => {
  it("runs as an npm script: validate the demo mapping against the demo org", async () => {
    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "-s", "mappings", "--", "validate", demoFile, "--org", demoOrgFile],
      { cwd: root },
    );
    expect(stdout).toContain("valid for the org (7 profiles)");
  });

  it("validate names the line and field of each problem and exits 1", async () => {
    const broken = path.join(dir, "broken.yaml");
    fs.writeFileSync(
      broken,
      fs.readFileSync(demoFile, "utf8").replace("division: Support", "divison: Support"),
    );
    const result = await cli("validate", broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${broken}: line 11, column 5: profiles[0].divison: unknown field`);
  });

  it("validate against a limited org lists the division-access problems", async () => {
    const limited = path.join(dir, "limited-org.json");
    fs.writeFileSync(limited, JSON.stringify(demoOrg(homeOnlyPermissions())));
    const result = await cli("validate", demoFile, "--org", limited);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("OAuth client lacks directory:user:add in division 'Support'");
  });

  it("import activates a valid file, refuses an invalid one, and export gives the text back", async () => {
    expect(await cli("import", demoFile)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--org"),
    });

    const imported = await cli("import", demoFile, "--org", demoOrgFile, "--by", "admin@example.com");
    expect(imported).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("as version 1; it is now active"),
    });

    const limited = path.join(dir, "limited.json");
    fs.writeFileSync(limited, JSON.stringify(demoOrg(homeOnlyPermissions())));
    const refused = await cli("import", demoFile, "--org", limited);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("stored as version 2 but NOT activated");

    const exported = await cli("export");
    expect(exported).toMatchObject({ code: 0, stdout: fs.readFileSync(demoFile, "utf8") });

    const jsonFile = path.join(dir, "export.json");
    expect((await cli("export", jsonFile, "--version", "1")).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(jsonFile, "utf8")).defaults.division).toBe("Home");

    const versions = await cli("versions");
    expect(versions.stdout.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(/^1\t.*\tadmin@example.com\tyaml\tactive$/),
      expect.stringMatching(/^2\t.*\tops\tyaml\tinvalid \(\d+\)$/),
    ]);
  });

  it("prints the usage for an unknown command", async () => {
    expect(await cli("frobnicate")).toMatchObject({ code: 2, stderr: expect.stringContaining("usage:") });
  });
});
