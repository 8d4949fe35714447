import { loadSettings } from "../../../src/config/settings";
import { MINIMAL_SETTINGS, settingProblems } from "../../support/settings";

const base = MINIMAL_SETTINGS;

const problems = settingProblems;

describe("telemetry settings", () => {
  it("are off by default: no exporter, no console, no credential watch", () => {
    const settings = loadSettings(base);
    expect(settings.telemetry).toEqual({
      serviceName: "genesys-lifecycle",
      console: false,
      metricIntervalInMs: 60_000,
    });
    expect(settings.credentialWatch).toBeUndefined();
  });

  it("send to Application Insights with Entra ID when Azure sets the authentication string", () => {
    const settings = loadSettings({
      ...base,
      APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=00000000-0000-0000-0000-000000000000",
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "Authorization=AAD",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318",
      TELEMETRY_CONSOLE: "true",
    });
    expect(settings.telemetry).toMatchObject({
      azureMonitor: {
        connectionString: "InstrumentationKey=00000000-0000-0000-0000-000000000000",
        entraId: true,
      },
      otlpEndpoint: "http://localhost:4318",
      console: true,
    });
  });

  it("watch the Genesys client secret in Key Vault by default, or the names given", () => {
    const vault = { ...base, GENESYS_CLIENT_SECRET: "", KEY_VAULT_URL: "https://kv.vault.azure.net" };
    expect(loadSettings(vault).credentialWatch).toEqual({
      vaultUrl: "https://kv.vault.azure.net",
      names: ["genesys-client-secret"],
    });
    expect(
      loadSettings({ ...vault, CREDENTIAL_EXPIRY_WATCH: "genesys-client-secret, sf-oauth-certificate" })
        .credentialWatch?.names,
    ).toEqual(["genesys-client-secret", "sf-oauth-certificate"]);
  });

  it("are refused when a flag is not true or false, an endpoint is not a URL, or a watch has no Key Vault", () => {
    expect(
      problems({
        ...base,
        TELEMETRY_CONSOLE: "yes",
        OTEL_EXPORTER_OTLP_ENDPOINT: "localhost:4318",
        CREDENTIAL_EXPIRY_WATCH: "genesys-client-secret",
      }),
    ).toEqual([
      "OTEL_EXPORTER_OTLP_ENDPOINT: must be an http(s) URL",
      "TELEMETRY_CONSOLE: must be true or false",
    ]);
    expect(problems({ ...base, CREDENTIAL_EXPIRY_WATCH: "genesys-client-secret" })).toEqual([
      "CREDENTIAL_EXPIRY_WATCH: needs KEY_VAULT_URL, where the credentials are",
    ]);
  });
});
