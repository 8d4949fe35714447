import fs from "node:fs";
import path from "node:path";
import { orgDirectoryFromSettings } from "../../src/cli/genesys-org";
import { runMappingsCli } from "../../src/cli/mappings";
import { DEV_IDENTITY, hireEvent, useLifecycleStack } from "../support/lifecycle-stack";

const demoSource = fs.readFileSync(path.resolve(__dirname, "../../local/mappings/demo.yaml"), "utf8");

/**
 * The demo mapping imported through the real app (local host, Azurite, the Genesys emulator and the Genesys
 * client) with the all-divisions OAuth client; `mappings-limited.test.ts` does the same with the Home-only one
 * (one app per test file: the Functions registrations are per process).
 */
describe("mapping import and dry run against the Genesys emulator", () => {
  describe("as lifecycle-local (all divisions)", () => {
    const stack = useLifecycleStack({ clientId: "lifecycle-local" });

    it("validates and activates the demo mapping, recording the signed-in importer", async () => {
      // A name in a header of the caller's choosing is ignored: the importer is the verified principal.
      const put = await stack.call("PUT", "/api/mappings", demoSource, {
        "x-lifecycle-user": "ceo@example.com",
      });
      expect(put.status).toBe(201);
      expect(await put.json()).toMatchObject({ active: { version: 1, activatedBy: DEV_IDENTITY.name } });
      const get = await stack.call("GET", "/api/mappings", undefined, { accept: "application/yaml" });
      expect(await get.text()).toBe(demoSource);
    });

    it("plans a seeded agent and a new hire from what Genesys holds, writing nothing", async () => {
      const before = stack.genesys.admin.counters().total;
      const alex = {
        employeeId: "100401",
        email: "alex.agent@example.com",
        firstName: "Alex",
        lastName: "Agent",
        title: "Technical Support",
        department: "Support",
        managerEmail: "sup.support@example.com",
      };
      const response = await stack.call("POST", "/api/plan", [alex, hireEvent("100999")]);
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        totals: { employees: number; planned: number };
        employees: { kind: string; userId: string | null; steps: { kind: string }[] }[];
      };
      expect(body.totals).toMatchObject({ employees: 2, planned: 2 });
      const [alexPlan, janePlan] = body.employees;
      expect(alexPlan).toMatchObject({ kind: "PLANNED", userId: expect.any(String) });
      // The mapping says Network_Troubleshooting 3 where Genesys has 4; the hand-added Hardware_Repair stays.
      expect(alexPlan.steps).toContainEqual(
        expect.objectContaining({
          kind: "SET_SKILLS",
          set: [expect.objectContaining({ name: "Network_Troubleshooting", proficiency: 3, from: 4 })],
          remove: [],
        }),
      );
      expect(janePlan.steps[0]).toMatchObject({ kind: "CREATE_USER", division: { name: "Support" } });
      // Only reads reached Genesys: searches and GETs.
      const writes = Object.entries(stack.genesys.admin.counters().byEndpoint).filter(
        ([endpoint]) =>
          !endpoint.startsWith("GET ") &&
          endpoint !== "POST /api/v2/users/search" &&
          !endpoint.includes("oauth"),
      );
      expect(writes.reduce((n, [, count]) => n + count, 0)).toBe(0);
      expect(stack.genesys.admin.counters().total).toBeGreaterThan(before);
    });

    it("npm run mappings validates against the same org and imports into the table the app reads", async () => {
      let stdout = "";
      const env = {
        TABLES_CONNECTION: stack.azurite.connectionString,
        GENESYS_API_BASE_URL: stack.genesys.url,
        GENESYS_LOGIN_BASE_URL: stack.genesys.url,
        GENESYS_CLIENT_ID: "lifecycle-local",
        GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
      };
      const demoFile = path.resolve(__dirname, "../../local/mappings/demo.yaml");
      const io = {
        env,
        stdout: (t: string) => (stdout += t),
        stderr: () => undefined,
        orgFromEnv: orgDirectoryFromSettings,
      };
      expect(await runMappingsCli(["validate", demoFile], io)).toBe(0);
      expect(stdout).toContain("valid for the org (7 profiles)");
      expect(await runMappingsCli(["import", demoFile, "--by", "cli@example.com"], io)).toBe(0);
      const get = await stack.call("GET", "/api/mappings");
      expect(get.headers.get("x-mapping-version")).toBe("2");
    });
  });
});
