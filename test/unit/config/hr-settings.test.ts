import fs from "node:fs";
import path from "node:path";
import { loadSettings, settingsWarnings } from "../../../src/config/settings";
import { composeHrDependencies, createTableClientFactory } from "../../../src/compose";
import {
  SF_EMULATOR_API_USER,
  SF_EMULATOR_CLIENT_ID,
  SF_EMULATOR_COMPANY_ID,
  SF_EMULATOR_PASSWORD,
  SF_EMULATOR_USER,
} from "../../../local/emulators/successfactors";
import { WORKDAY_EMULATOR_PASSWORD, WORKDAY_EMULATOR_USER } from "../../../local/emulators/workday";
import { MINIMAL_SETTINGS, settingProblems } from "../../support/settings";

const base = MINIMAL_SETTINGS;

/** A PEM-shaped value: settings only check the shape; the key itself is read when a token is needed. */
const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";

const noIdentity = () => {
  throw new Error("no identity needed for a connection string");
};

const problems = settingProblems;

describe("HR settings", () => {
  it("are all optional: without them the HR endpoints are simply disabled", () => {
    expect(loadSettings(base).hr).toEqual({ maxBatchRows: 5000 });
  });

  it("read the example file's local values, pointing at the emulators with their credentials", () => {
    const example = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, "../../../local.settings.example.json"), "utf8"),
    ) as {
      Values: Record<string, string>;
    };
    const settings = loadSettings({ ...example.Values, SF_API_URL: "" });
    expect(settings.hr.workdayApi).toMatchObject({
      serviceUrl: expect.stringMatching(/^http:\/\/localhost:8086\//),
      user: WORKDAY_EMULATOR_USER,
    });
    expect(settings.hr.workdayApi?.password.reveal()).toBe(WORKDAY_EMULATOR_PASSWORD);
    // OAuth by default; the private key is made by `npm start` for its emulator, so the file leaves it empty.
    expect(example.Values.SF_OAUTH_PRIVATE_KEY).toBe("");
    const withKey = loadSettings({ ...example.Values, SF_OAUTH_PRIVATE_KEY: PEM });
    expect(withKey.hr.successFactorsApi).toMatchObject({
      baseUrl: "http://localhost:8087",
      auth: {
        kind: "oauth",
        companyId: SF_EMULATOR_COMPANY_ID,
        clientId: SF_EMULATOR_CLIENT_ID,
        userId: SF_EMULATOR_API_USER,
        key: { kind: "plain" },
        assertionLifetimeInMs: 600_000,
      },
    });
    expect(String(settings.hr.workdayNotification?.password)).toBe("[secret]");
  });

  it("report a user without its password, and a callback URL without credentials", () => {
    expect(problems({ ...base, WORKDAY_NOTIFICATION_USER: "wd" })).toEqual([
      "WORKDAY_NOTIFICATION_PASSWORD: is required when WORKDAY_NOTIFICATION_USER is set",
    ]);
    expect(
      problems({ ...base, SF_API_URL: "https://api4.successfactors.com", SF_API_AUTH: "basic" }),
    ).toEqual(["SF_API_USER: is required when SF_API_URL is set"]);
  });

  it("use OAuth for SuccessFactors unless Basic is asked for, and name every missing OAuth setting", () => {
    expect(problems({ ...base, SF_API_URL: "https://api4.successfactors.com" })).toEqual([
      "SF_COMPANY_ID: is required for OAuth (the SuccessFactors company id)",
      "SF_OAUTH_CLIENT_ID: is required for OAuth (the API key of the registered OAuth client)",
      "SF_API_USER: is required for OAuth (the API user's userId)",
      "SF_OAUTH_PRIVATE_KEY: is required for OAuth unless SF_OAUTH_PRIVATE_KEY_FILE or KEY_VAULT_URL (with SF_OAUTH_KEY_SECRET_NAME) is set",
    ]);
    const oauth = {
      ...base,
      SF_API_URL: "https://api4.successfactors.com/",
      SF_COMPANY_ID: "ACME",
      SF_OAUTH_CLIENT_ID: "NjM0ZjU3",
      SF_API_USER: "sfapi",
    };
    expect(problems({ ...oauth, SF_API_USER: "sfapi@ACME", SF_OAUTH_PRIVATE_KEY: "not a key" })).toEqual([
      "SF_API_USER: with OAuth is the API user's userId alone, without @companyId (the company goes in SF_COMPANY_ID)",
      "SF_OAUTH_PRIVATE_KEY: must be a PEM private key (-----BEGIN PRIVATE KEY-----)",
    ]);
    expect(problems({ ...oauth, SF_API_AUTH: "digest" })).toEqual([
      'SF_API_AUTH: must be "oauth" or "basic"',
    ]);
    const inVault = loadSettings({ ...oauth, KEY_VAULT_URL: "https://kv-x.vault.azure.net/" });
    expect(inVault.hr.successFactorsApi).toEqual({
      baseUrl: "https://api4.successfactors.com",
      auth: expect.objectContaining({
        kind: "oauth",
        key: {
          kind: "keyVault",
          vaultUrl: "https://kv-x.vault.azure.net/",
          secretName: "successfactors-oauth",
        },
      }),
    });
    // A key pasted with escaped line breaks (as some portals store it) is read as PEM.
    const escaped = loadSettings({ ...oauth, SF_OAUTH_PRIVATE_KEY: PEM.replace(/\n/g, "\\n") });
    const key =
      escaped.hr.successFactorsApi?.auth.kind === "oauth" ? escaped.hr.successFactorsApi.auth.key : undefined;
    expect(key?.kind === "plain" && key.pem.reveal()).toBe(PEM);
    expect(settingsWarnings(inVault, { SF_API_PASSWORD: "left-over" })).toEqual([
      "SF_API_PASSWORD is set but unused: OAuth needs no password (it is only read with SF_API_AUTH=basic)",
    ]);
  });

  it("keep Basic as an explicit legacy option, with a warning for the start-up log", () => {
    const legacy = loadSettings({
      ...base,
      SF_API_URL: "https://api4.successfactors.com",
      SF_API_AUTH: "basic",
      SF_API_USER: SF_EMULATOR_USER,
      SF_API_PASSWORD: SF_EMULATOR_PASSWORD,
    });
    expect(legacy.hr.successFactorsApi?.auth).toMatchObject({ kind: "basic", user: SF_EMULATOR_USER });
    expect(settingsWarnings(legacy, {})).toEqual([
      expect.stringMatching(/^SF_API_AUTH=basic: SAP has retired HTTP Basic/),
    ]);
    expect(settingsWarnings(loadSettings(base), {})).toEqual([]);
  });

  it("validate field maps as JSON, without echoing the value", () => {
    expect(problems({ ...base, WORKDAY_RAAS_FIELD_MAP: "{not json" })).toEqual([
      'WORKDAY_RAAS_FIELD_MAP: must be a JSON object of field → list of names, e.g. {"email":["workEmail"]}',
    ]);
    const settings = loadSettings({ ...base, SF_INTEGRATION_CENTER_FIELD_MAP: '{"email":["mail"]}' });
    const deps = composeHrDependencies(settings, createTableClientFactory(settings, noIdentity), noIdentity);
    expect(deps.integrationCenterFieldMap).toEqual({ email: ["mail"] });
  });
});
