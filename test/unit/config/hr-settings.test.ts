import fs from "node:fs";
import path from "node:path";
import type { ConfigurationError } from "../../../src/config/settings";
import { loadSettings } from "../../../src/config/settings";
import { composeHrDependencies, createTableClientFactory } from "../../../src/compose";
import { SF_EMULATOR_PASSWORD, SF_EMULATOR_USER } from "../../../local/emulators/successfactors";
import { WORKDAY_EMULATOR_PASSWORD, WORKDAY_EMULATOR_USER } from "../../../local/emulators/workday";

const base = {
  TABLES_CONNECTION: "UseDevelopmentStorage=true",
  GENESYS_API_BASE_URL: "http://localhost:8085",
  GENESYS_LOGIN_BASE_URL: "http://localhost:8085",
  GENESYS_CLIENT_ID: "lifecycle-local",
  GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
};

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    return (error as ConfigurationError).problems.map((p) => `${p.setting}: ${p.problem}`);
  }
  return [];
}

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
    const settings = loadSettings(example.Values);
    expect(settings.hr.workdayApi).toMatchObject({
      serviceUrl: expect.stringMatching(/^http:\/\/localhost:8086\//),
      user: WORKDAY_EMULATOR_USER,
    });
    expect(settings.hr.workdayApi?.password.reveal()).toBe(WORKDAY_EMULATOR_PASSWORD);
    expect(settings.hr.successFactorsApi).toMatchObject({
      baseUrl: "http://localhost:8087",
      user: SF_EMULATOR_USER,
    });
    expect(settings.hr.successFactorsApi?.password.reveal()).toBe(SF_EMULATOR_PASSWORD);
    expect(String(settings.hr.workdayNotification?.password)).toBe("[secret]");
  });

  it("report a user without its password, and a callback URL without credentials", () => {
    expect(problems({ ...base, WORKDAY_NOTIFICATION_USER: "wd" })).toEqual([
      "WORKDAY_NOTIFICATION_PASSWORD: is required when WORKDAY_NOTIFICATION_USER is set",
    ]);
    expect(problems({ ...base, SF_API_URL: "https://api4.successfactors.com" })).toEqual([
      "SF_API_USER: is required when SF_API_URL is set",
    ]);
  });

  it("validate field maps as JSON, without echoing the value", () => {
    expect(problems({ ...base, WORKDAY_RAAS_FIELD_MAP: "{not json" })).toEqual([
      'WORKDAY_RAAS_FIELD_MAP: must be a JSON object of field → list of names, e.g. {"email":["workEmail"]}',
    ]);
    const settings = loadSettings({ ...base, SF_INTEGRATION_CENTER_FIELD_MAP: '{"email":["mail"]}' });
    const deps = composeHrDependencies(
      settings,
      createTableClientFactory(settings, () => {
        throw new Error("no identity needed for a connection string");
      }),
    );
    expect(deps.integrationCenterFieldMap).toEqual({ email: ["mail"] });
  });
});
