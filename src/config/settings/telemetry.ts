import type { GENESYS_SETTINGS } from "./genesys";
import {
  flag,
  optionalText,
  optionalUrl,
  positiveInt,
  type ParsedSettings,
  type SettingProblem,
} from "./values";

/** Where traces and metrics go, and which Key Vault credentials have their expiry watched. */
export const TELEMETRY_SETTINGS = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    schema: optionalText,
    description:
      "Application Insights connection string: traces and metrics go there through the Azure Monitor exporter. Empty: not sent.",
    secret: false,
  },
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: {
    schema: optionalText,
    description:
      "`Authorization=AAD` when Application Insights takes Entra ID only (local auth off): the app's identity publishes.",
    secret: false,
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    schema: optionalUrl,
    description:
      "An OTLP/HTTP collector (`http://localhost:4318`): traces and metrics are sent there too. `OTEL_EXPORTER_OTLP_HEADERS` is honoured.",
    secret: false,
  },
  OTEL_SERVICE_NAME: {
    schema: optionalText.transform((v) => v ?? "genesys-lifecycle"),
    description: "`service.name` of the telemetry (the cloud role name in Application Insights).",
    secret: false,
  },
  TELEMETRY_CONSOLE: {
    schema: flag(false),
    description: "`true`: print one line per span and per metric point on the console (local runs).",
    secret: false,
  },
  TELEMETRY_METRIC_INTERVAL_SECONDS: {
    schema: positiveInt(60),
    description: "How often metrics are exported, in seconds.",
    secret: false,
  },
  CREDENTIAL_EXPIRY_WATCH: {
    schema: optionalText,
    description:
      "Comma-separated Key Vault secret or certificate names whose expiry is reported (`lifecycle.credential.expires_in`). Default with `KEY_VAULT_URL`: the Genesys client secret.",
    secret: false,
  },
} as const;

/** Where telemetry goes. Nothing configured: telemetry is off. */
export interface TelemetrySettings {
  serviceName: string;
  /** Application Insights, through the Azure Monitor exporter; `entraId` when local auth is off. */
  azureMonitor?: { connectionString: string; entraId: boolean };
  /** An OTLP/HTTP collector (`/v1/traces` and `/v1/metrics` are appended). */
  otlpEndpoint?: string;
  /** One line per span and metric point on the console. */
  console: boolean;
  metricIntervalInMs: number;
}

/** Key Vault credentials whose expiry dates are watched. */
export interface CredentialWatchSettings {
  vaultUrl: string;
  names: string[];
}

export function readTelemetrySettings(s: ParsedSettings<typeof TELEMETRY_SETTINGS>): TelemetrySettings {
  return {
    serviceName: s.OTEL_SERVICE_NAME,
    ...(s.APPLICATIONINSIGHTS_CONNECTION_STRING
      ? {
          azureMonitor: {
            connectionString: s.APPLICATIONINSIGHTS_CONNECTION_STRING,
            entraId: /Authorization=AAD/i.test(s.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? ""),
          },
        }
      : {}),
    ...(s.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: s.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    console: s.TELEMETRY_CONSOLE,
    metricIntervalInMs: s.TELEMETRY_METRIC_INTERVAL_SECONDS * 1000,
  };
}

/** The watched credentials (by default the Genesys client secret, when a Key Vault is set); absent without one. */
export function readCredentialWatch(
  s: ParsedSettings<Pick<typeof TELEMETRY_SETTINGS, "CREDENTIAL_EXPIRY_WATCH">> &
    ParsedSettings<Pick<typeof GENESYS_SETTINGS, "KEY_VAULT_URL" | "GENESYS_CLIENT_SECRET_NAME">>,
  problems: SettingProblem[],
): CredentialWatchSettings | undefined {
  const watched = (s.CREDENTIAL_EXPIRY_WATCH ?? (s.KEY_VAULT_URL ? s.GENESYS_CLIENT_SECRET_NAME : ""))
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (watched.length > 0 && s.KEY_VAULT_URL === undefined && s.CREDENTIAL_EXPIRY_WATCH !== undefined) {
    problems.push({
      setting: "CREDENTIAL_EXPIRY_WATCH",
      problem: "needs KEY_VAULT_URL, where the credentials are",
    });
  }
  return s.KEY_VAULT_URL && watched.length > 0 ? { vaultUrl: s.KEY_VAULT_URL, names: watched } : undefined;
}
