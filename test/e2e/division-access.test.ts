import { startLifecycleStack, E2E_MAPPING, type LifecycleStack } from "../support/lifecycle-stack";

describe("division access, end to end: checked before the first write", () => {
  let stack: LifecycleStack;
  beforeAll(async () => {
    stack = await startLifecycleStack({ clientId: "lifecycle-limited" });
  });
  afterAll(() => stack.stop());

  it("refuses a mapping the OAuth client cannot apply, naming the division and the permission", async () => {
    const response = await stack.call("PUT", "/api/mappings", "version: 1\\n");
    expect(response.status).toBeGreaterThanOrEqual(400);
    const imported = await stack.call("PUT", "/api/mappings", E2E_MAPPING);
    expect(imported.status).toBe(422);
    const report = await imported.text();
    expect(report).toContain("directory:user:add");
    expect(report).toContain("in division 'Support'");
  });
});
