import { z } from "zod";
import { Secret } from "./secret";
import { GENESYS_SETTINGS, readGenesysSettings, type GenesysSettings } from "./settings/genesys";
import { HR_SETTINGS, readHrSettings, type HrSettings } from "./settings/hr";
import { LIFECYCLE_SETTINGS, readLifecycleSettings, type LifecycleSettings } from "./settings/lifecycle";
import {
  readReconciliationSettings,
  RECONCILIATION_SETTINGS,
  type ReconciliationSettings,
} from "./settings/reconciliation";
import { STORAGE_SETTINGS } from "./settings/storage";
import {
  readCredentialWatch,
  readTelemetrySettings,
  TELEMETRY_SETTINGS,
  type CredentialWatchSettings,
  type TelemetrySettings,
} from "./settings/telemetry";
import type { SettingProblem } from "./settings/values";

export type { GenesysSecretSource, GenesysSettings } from "./settings/genesys";
export type { BasicCredentials, HrSettings, SigningKeySource, SuccessFactorsApiAuth } from "./settings/hr";
export type { HrRetryPolicy, LifecycleSettings } from "./settings/lifecycle";
export type { ReconciliationSettings } from "./settings/reconciliation";
export type { CredentialWatchSettings, TelemetrySettings } from "./settings/telemetry";
export type { SettingProblem } from "./settings/values";

/**
 * Every app setting the product reads, in one place: its validation, what it is for, and whether it is a secret.
 * Each area defines its own in `settings/`; the order here is the order of the docs. `local.settings.example.json`
 * and the Azure deployment are checked against this list, and the settings reference (docs/settings.md) is
 * generated from it: descriptions are Markdown.
 */
export const SETTINGS = {
  ...STORAGE_SETTINGS,
  ...GENESYS_SETTINGS,
  ...HR_SETTINGS,
  ...LIFECYCLE_SETTINGS,
  ...RECONCILIATION_SETTINGS,
  ...TELEMETRY_SETTINGS,
} as const;

export type SettingName = keyof typeof SETTINGS;

export interface Settings {
  storage: { connection: Secret };
  genesys: GenesysSettings;
  hr: HrSettings;
  lifecycle: LifecycleSettings;
  reconciliation: ReconciliationSettings;
  telemetry: TelemetrySettings;
  /** Key Vault credentials whose expiry dates are watched; absent without a Key Vault. */
  credentialWatch?: CredentialWatchSettings;
}

/** Thrown at start-up when settings are missing or invalid; the message lists every problem at once. */
export class ConfigurationError extends Error {
  override readonly name = "ConfigurationError";

  constructor(readonly problems: SettingProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.setting}: ${p.problem}`).join("\n"),
    );
  }
}

const envSchema = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, def]) => [name, def.schema])) as {
    [K in SettingName]: (typeof SETTINGS)[K]["schema"];
  },
);

/**
 * Validates the environment once, at start-up. Values never appear in the report: a secret typed into the
 * wrong setting must not end up in a log.
 */
export function loadSettings(env: NodeJS.ProcessEnv): Settings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => ({ setting: String(issue.path[0]), problem: issue.message })),
    );
  }
  const s = parsed.data;
  const problems: SettingProblem[] = [];
  const genesys = readGenesysSettings(s, problems);
  const hr = readHrSettings(s, problems);
  const credentialWatch = readCredentialWatch(s, problems);
  if (problems.length > 0 || !genesys) throw new ConfigurationError(problems);
  return {
    storage: { connection: new Secret(s.TABLES_CONNECTION) },
    genesys,
    hr,
    lifecycle: readLifecycleSettings(s),
    reconciliation: readReconciliationSettings(s),
    telemetry: readTelemetrySettings(s),
    ...(credentialWatch ? { credentialWatch } : {}),
  };
}

/**
 * What is valid but deserves an operator's attention, logged once at start-up. Values never appear here.
 */
export function settingsWarnings(settings: Settings, env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  const sf = settings.hr.successFactorsApi;
  if (sf?.auth.kind === "basic") {
    warnings.push(
      "SF_API_AUTH=basic: SAP has retired HTTP Basic authentication for the SuccessFactors OData API (tenants " +
        "that started using the API after 1H 2022 cannot use it at all); register an OAuth client and set " +
        "SF_API_AUTH=oauth (docs/successfactors-oauth.md)",
    );
  }
  if (sf?.auth.kind === "oauth" && (env.SF_API_PASSWORD ?? "").trim() !== "") {
    warnings.push(
      "SF_API_PASSWORD is set but unused: OAuth needs no password (it is only read with SF_API_AUTH=basic)",
    );
  }
  return warnings;
}
