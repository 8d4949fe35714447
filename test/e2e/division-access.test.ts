import { TableMappingRepository } from "../../src/storage/mappings";
import { useLifecycleStack, E2E_MAPPING, hireEvent } from "../support/lifecycle-stack";

describe("division access, end to end: checked before the first write", () => {
  const stack = useLifecycleStack({ clientId: "lifecycle-limited" });

  it("refuses a mapping the OAuth client cannot apply, naming the division and the permission", async () => {
    const response = await stack.call("PUT", "/api/mappings", "version: 1\\n");
    expect(response.status).toBeGreaterThanOrEqual(400);
    const imported = await stack.call("PUT", "/api/mappings", E2E_MAPPING);
    expect(imported.status).toBe(422);
    const report = await imported.text();
    expect(report).toContain("directory:user:add");
    expect(report).toContain("in division 'Support'");
  });

  it("stops a hire before the first write when the client lost access after the mapping was activated", async () => {
    // The mapping was activated while the client could still apply it: stored as valid, straight in Table
    // Storage, since an import now (with the Home-only client) would refuse it.
    const mappings = TableMappingRepository.fromConnectionString(stack.azurite.connectionString);
    const version = await mappings.addVersion({
      source: E2E_MAPPING,
      format: "yaml",
      importedBy: "before the access change",
      valid: true,
      problemCount: 0,
    });
    await mappings.activate(version.version, "before the access change");
    stack.genesys.admin.clearRequests();

    const hire = hireEvent("745001"); // Technical Support: the Support division
    await stack.deliver(hire, "idle");

    const quarantine = (await (await stack.call("GET", "/api/hr/quarantine")).json()) as {
      entries: { employeeKey?: string; reason: string }[];
    };
    const entry = quarantine.entries.find((e) => e.employeeKey === "745001");
    expect(entry?.reason).toContain("directory:user:add");
    expect(entry?.reason).toContain("'Support'");
    expect(stack.genesys.admin.users({ email: hire.worker.email })).toEqual([]);
    const writes = stack.genesys.admin
      .requests()
      .filter((r) => r.method !== "GET" && r.path !== "/oauth/token");
    expect(writes.filter((r) => r.endpoint !== "POST /api/v2/users/search")).toEqual([]);
  });
});
