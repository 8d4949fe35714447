import { inspect } from "node:util";
import { ConfigurationError, loadSettings } from "../../../src/config/settings";
import type { Secret } from "../../../src/config/secret";

const local = {
  TABLES_CONNECTION: "UseDevelopmentStorage=true",
  GENESYS_API_BASE_URL: "http://localhost:8085/",
  GENESYS_LOGIN_BASE_URL: "http://localhost:8085",
  GENESYS_CLIENT_ID: "lifecycle-local",
  GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems.map((p) => `${p.setting}: ${p.problem}`);
  }
  throw new Error("expected a ConfigurationError");
}

describe("loadSettings", () => {
  it("accepts the local settings and applies defaults", () => {
    const settings = loadSettings(local);
    expect(settings.genesys).toMatchObject({
      apiBaseUrl: "http://localhost:8085",
      loginBaseUrl: "http://localhost:8085",
      clientId: "lifecycle-local",
      requestsPerMinute: 300,
      tokenPoolSize: 1,
      clientSecret: { kind: "plain" },
    });
  });

  it("gives each instance an equal share of the OAuth client's cap, sized by the most instances that may run", () => {
    expect(loadSettings(local).genesys.clientRequestsPerMinute).toBe(3000);
    const four = loadSettings({ ...local, GENESYS_MAX_INSTANCES: "4" });
    expect(four.genesys.clientRequestsPerMinute).toBe(750);
    const many = loadSettings({
      ...local,
      GENESYS_CLIENT_REQUESTS_PER_MINUTE: "100",
      GENESYS_MAX_INSTANCES: "40",
    });
    expect(many.genesys.clientRequestsPerMinute).toBe(2);
    expect(() => loadSettings({ ...local, GENESYS_MAX_INSTANCES: "0" })).toThrow(/GENESYS_MAX_INSTANCES/);
  });

  it("retries an HR read-back for 24 hours by default, with doubling waits from 30 s up to 15 min", () => {
    expect(loadSettings(local).lifecycle.hrRetry).toEqual({
      firstIntervalInMs: 30_000,
      maxIntervalInMs: 900_000,
      giveUpAfterInMs: 24 * 3_600_000,
    });
    expect(loadSettings({ ...local, HR_OUTAGE_RETRY_HOURS: "2" }).lifecycle.hrRetry.giveUpAfterInMs).toBe(
      7_200_000,
    );
  });

  it.each([
    [undefined, false],
    ["", false],
    ["TRUE", true],
    ["false", false],
  ])("reads LEAVER_ALLOW_OFFLINE_TARGETS=%j as %j", (value, expected) => {
    const settings = loadSettings({ ...local, LEAVER_ALLOW_OFFLINE_TARGETS: value });
    expect(settings.lifecycle.allowOfflineTargets).toBe(expected);
  });

  it.each([
    ["eu_west_1", "https://api.mypurecloud.ie", "https://login.mypurecloud.ie"],
    ["mypurecloud.com.au", "https://api.mypurecloud.com.au", "https://login.mypurecloud.com.au"],
    ["US_EAST_1", "https://api.mypurecloud.com", "https://login.mypurecloud.com"],
    ["usw2.pure.cloud", "https://api.usw2.pure.cloud", "https://login.usw2.pure.cloud"],
  ])("resolves region %s to its API and login hosts", (region, api, login) => {
    const settings = loadSettings({
      ...local,
      GENESYS_API_BASE_URL: "",
      GENESYS_LOGIN_BASE_URL: "",
      GENESYS_REGION: region,
    });
    expect(settings.genesys.apiBaseUrl).toBe(api);
    expect(settings.genesys.loginBaseUrl).toBe(login);
  });

  it("reads the OAuth secret from Key Vault when no plain secret is set", () => {
    const settings = loadSettings({
      ...local,
      GENESYS_CLIENT_SECRET: "",
      KEY_VAULT_URL: "https://lifecycle-kv.vault.azure.net",
    });
    expect(settings.genesys.clientSecret).toEqual({
      kind: "keyVault",
      vaultUrl: "https://lifecycle-kv.vault.azure.net",
      secretName: "genesys-client-secret",
    });
  });

  it("reports every missing or invalid setting at once", () => {
    const problems = problemsOf({ GENESYS_REQUESTS_PER_MINUTE: "fast", GENESYS_API_BASE_URL: "ftp://x" });
    expect(problems).toEqual(
      expect.arrayContaining([
        "TABLES_CONNECTION: is required",
        "GENESYS_CLIENT_ID: is required",
        "GENESYS_API_BASE_URL: must be an http(s) URL",
        "GENESYS_REQUESTS_PER_MINUTE: must be a number",
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it.each([
    [{ GENESYS_REGION: "mars_north_1" }, "GENESYS_REGION: is not a known Genesys Cloud region key or domain"],
    [
      { GENESYS_LOGIN_BASE_URL: "" },
      "GENESYS_REGION: is required unless GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL are both set",
    ],
    [
      { GENESYS_CLIENT_SECRET: "" },
      "GENESYS_CLIENT_SECRET: is required unless KEY_VAULT_URL names the Key Vault that holds it",
    ],
    [{ GENESYS_TOKEN_POOL_SIZE: "0" }, "GENESYS_TOKEN_POOL_SIZE: must be positive"],
    [{ GENESYS_TOKEN_POOL_SIZE: "1.5" }, "GENESYS_TOKEN_POOL_SIZE: must be a whole number"],
    [{ LEAVER_ALLOW_OFFLINE_TARGETS: "sometimes" }, "LEAVER_ALLOW_OFFLINE_TARGETS: must be true or false"],
  ])("rejects %j", (override, expected) => {
    expect(problemsOf({ ...local, ...override })).toEqual([expected]);
  });

  it("never puts a setting's value into the report", () => {
    const leaked = "s3cr3t-typed-into-the-wrong-box";
    const error = (() => {
      try {
        return loadSettings({ ...local, GENESYS_API_BASE_URL: leaked });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).not.toContain(leaked);
  });

  it("keeps secrets out of logs, JSON and inspection", () => {
    const settings = loadSettings(local);
    const printed = [
      JSON.stringify(settings),
      inspect(settings, { depth: 10 }),
      String(settings.storage.connection),
      `${String((settings.genesys.clientSecret as { secret: Secret }).secret)}`,
    ].join("\n");
    expect(printed).not.toContain("lifecycle-local-secret");
    expect(printed).not.toContain("UseDevelopmentStorage");
    expect((settings.genesys.clientSecret as { secret: Secret }).secret.reveal()).toBe(
      "lifecycle-local-secret",
    );
  });
});
