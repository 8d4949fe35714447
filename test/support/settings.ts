import { ConfigurationError, loadSettings } from "../../src/config/settings";

/** The least the app needs to load: storage and a Genesys OAuth client, on the emulator's usual port. */
export const MINIMAL_SETTINGS = {
  TABLES_CONNECTION: "UseDevelopmentStorage=true",
  GENESYS_API_BASE_URL: "http://localhost:8085",
  GENESYS_LOGIN_BASE_URL: "http://localhost:8085",
  GENESYS_CLIENT_ID: "lifecycle-local",
  GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
};

/** Each problem loading `env` reports, as "SETTING: problem"; none when the settings load. */
export function settingProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return error.problems.map((p) => `${p.setting}: ${p.problem}`);
  }
  return [];
}
