import { startLocalHost, type LocalHost } from "../../../local/host";
import { startAzuriteTables, type AzuriteTables } from "../../../local/azurite";
import { ONBOARDING_FINISH_ORCHESTRATOR } from "../../../src/orchestrators/onboarding";

/** The real entry point (src/index.ts), loaded by the local host exactly as `npm start` does. */
describe("local host: the real app", () => {
  let azurite: AzuriteTables;
  let host: LocalHost;
  beforeAll(async () => {
    azurite = await startAzuriteTables();
    host = await startLocalHost({
      port: 0,
      log: () => undefined,
      env: {
        TABLES_CONNECTION: azurite.connectionString,
        GENESYS_API_BASE_URL: "http://127.0.0.1:9",
        GENESYS_LOGIN_BASE_URL: "http://127.0.0.1:9",
        GENESYS_CLIENT_ID: "lifecycle-local",
        GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
      },
    });
  });
  afterAll(async () => {
    await host.stop();
    await azurite.close();
  });

  it("registers the app's functions and serves GET /api/health over HTTP", async () => {
    expect(host.functions.map((f) => f.name)).toContain("health");
    const response = await fetch(`${host.url}/api/health/details`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { checks: Record<string, { ok: boolean }> };
    expect(body.checks.storage.ok).toBe(true);
    expect(body.checks.configuration.ok).toBe(true);
  });

  it("refuses an activity input that breaks its contract, naming the activity and the field", async () => {
    // A finish slice whose rows run backwards: the activity is refused before it reads or writes anything.
    const id = host.durable.start(ONBOARDING_FINISH_ORCHESTRATOR.name, {
      input: { batchId: "b1", from: 20, to: 10 },
    });
    const status = await host.durable.waitForStatus(id);
    expect(status.runtimeStatus).toBe("Failed");
    expect(String(status.output)).toContain(
      "activity finishBatchSlice refused its input: input: from must not be after to",
    );
  });
});
