import { HttpRequest, InvocationContext } from "@azure/functions";
import { composeDependencies } from "../../src/compose";
import { createHealthHandler } from "../../src/functions/health";
import { startAzuriteTables, type AzuriteTables } from "../../local/azurite";
import { startGenesysEmulator } from "../../local/emulators/genesys";

const request = new HttpRequest({ method: "GET", url: "http://localhost:7071/api/health" });

describe("health of the composed app", () => {
  let azurite: AzuriteTables;
  beforeAll(async () => {
    azurite = await startAzuriteTables();
  });
  afterAll(() => azurite.close());

  it("reaches real Table Storage and names an unreachable Genesys", async () => {
    const deps = composeDependencies({
      TABLES_CONNECTION: azurite.connectionString,
      GENESYS_API_BASE_URL: "http://127.0.0.1:9",
      GENESYS_LOGIN_BASE_URL: "http://127.0.0.1:9",
      GENESYS_CLIENT_ID: "lifecycle-local",
      GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
    });
    const response = await createHealthHandler({ checks: deps.health })(request, new InvocationContext());
    expect(response).toMatchObject({
      status: 503,
      jsonBody: {
        failing: ["genesys"],
        checks: { configuration: { ok: true }, storage: { ok: true }, genesys: { ok: false } },
      },
    });
  });

  it("checks Genesys with the app's own token, so the probe costs the client no second token", async () => {
    const genesys = await startGenesysEmulator({ port: 0 });
    try {
      const deps = composeDependencies({
        TABLES_CONNECTION: azurite.connectionString,
        GENESYS_API_BASE_URL: genesys.url,
        GENESYS_LOGIN_BASE_URL: genesys.url,
        GENESYS_CLIENT_ID: "lifecycle-local",
        GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
      });
      const response = await createHealthHandler({ checks: deps.health })(request, new InvocationContext());
      expect(response).toMatchObject({ status: 200 });
      await deps.lifecycle!.activities.genesys.getHomeDivision();
      expect(genesys.admin.requests({ endpoint: "POST /oauth/token" })).toHaveLength(1);
    } finally {
      await genesys.close();
    }
  });

  it("answers 503 with the configuration report when settings are invalid", async () => {
    const errors = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const deps = composeDependencies({ GENESYS_CLIENT_ID: "x" });
    const response = await createHealthHandler({ checks: deps.health })(request, new InvocationContext());
    expect(response).toMatchObject({ status: 503, jsonBody: { failing: ["configuration"] } });
    const body = (response as { jsonBody: { checks: { configuration: { error: string } } } }).jsonBody;
    expect(body.checks.configuration.error).toContain("TABLES_CONNECTION: is required");
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("Invalid configuration"));
    errors.mockRestore();
  });
});
