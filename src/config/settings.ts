import { z } from "zod";
import { deriveBaseUrls, type GenesysBaseUrlsProblem } from "./genesys-regions";
import { Secret } from "./secret";

/**
 * Every app setting the product reads, in one place: its validation, what it is for, and whether it is a secret.
 * `local.settings.example.json`, the README table and the Azure deployment are checked against this list.
 */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();
const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const optionalUrl = optionalText.pipe(url.optional());
const positiveInt = (fallback: number) =>
  optionalText
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .pipe(z.number({ error: "must be a number" }).int("must be a whole number").positive("must be positive"));

const wholeNumber = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  optionalText
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .pipe(
      z
        .number({ error: "must be a number" })
        .int("must be a whole number")
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

/** `true` or `false` (any case); empty takes the default. */
const flag = (fallback: boolean) =>
  optionalText
    .transform((v) => (v === undefined ? String(fallback) : v.toLowerCase()))
    .pipe(z.enum(["true", "false"], { error: "must be true or false" }))
    .transform((v) => v === "true");

export const SETTINGS = {
  TABLES_CONNECTION: {
    schema: z.string({ error: "is required" }).trim().min(1, "is required"),
    description:
      "Table Storage for mappings, inbox, audit and quarantine: a connection string, or a table endpoint URL (https://<account>.table.core.windows.net) reached with the managed identity.",
    secret: true,
  },
  GENESYS_REGION: {
    schema: optionalText,
    description:
      "Genesys Cloud region: an SDK key (eu_west_1) or domain (mypurecloud.ie). Not needed when both base URLs are set.",
    secret: false,
  },
  GENESYS_API_BASE_URL: {
    schema: optionalUrl,
    description: "Explicit API base URL (an emulator or a proxy). Overrides the region.",
    secret: false,
  },
  GENESYS_LOGIN_BASE_URL: {
    schema: optionalUrl,
    description: "Explicit login base URL for POST /oauth/token. Overrides the region.",
    secret: false,
  },
  GENESYS_CLIENT_ID: {
    schema: z.string({ error: "is required" }).trim().min(1, "is required"),
    description:
      "OAuth client id (client-credentials grant) with the roles the mapping needs in each division.",
    secret: false,
  },
  GENESYS_CLIENT_SECRET: {
    schema: optionalText,
    description: "OAuth client secret, for local runs. In Azure leave it empty and use Key Vault.",
    secret: true,
  },
  KEY_VAULT_URL: {
    schema: optionalUrl,
    description: "Key Vault holding the OAuth client secret (read with the managed identity).",
    secret: false,
  },
  GENESYS_CLIENT_SECRET_NAME: {
    schema: optionalText.transform((v) => v ?? "genesys-client-secret"),
    description: "Name of the Key Vault secret that holds the OAuth client secret.",
    secret: false,
  },
  GENESYS_REQUESTS_PER_MINUTE: {
    schema: positiveInt(300),
    description: "Rate budget per OAuth token (Genesys default: 300 requests per minute).",
    secret: false,
  },
  GENESYS_TOKEN_POOL_SIZE: {
    schema: positiveInt(1),
    description: "Tokens to spread load over, from the same OAuth client (capped by the per-client limit).",
    secret: false,
  },
  GENESYS_CLIENT_REQUESTS_PER_MINUTE: {
    schema: positiveInt(3000),
    description: "Rate cap over all tokens of the OAuth client (Genesys default: 3000 requests per minute).",
    secret: false,
  },
  GENESYS_MAX_INSTANCES: {
    schema: positiveInt(1),
    description:
      "How many app instances may run at once (the Function App's maximum instance count): each instance spends at most GENESYS_CLIENT_REQUESTS_PER_MINUTE divided by this, so together they stay within the OAuth client's cap.",
    secret: false,
  },
  GENESYS_RATE_PAUSE_BELOW_REMAINING: {
    schema: positiveInt(50),
    description:
      "When a remaining-budget header (legacy inin-ratelimit-*, a gateway's x-ratelimit-remaining) reports fewer requests than this, pause.",
    secret: false,
  },
  GENESYS_RATE_PAUSE_SECONDS: {
    schema: positiveInt(60),
    description: "How long that pause lasts when the header gives no reset time.",
    secret: false,
  },
  GENESYS_MAX_WAIT_IN_ACTIVITY_SECONDS: {
    schema: positiveInt(10),
    description:
      "Longest rate-limit wait slept inside an activity; longer waits go back to the orchestrator as a rate-limited error carrying the wait.",
    secret: false,
  },
  WORKDAY_NOTIFICATION_USER: {
    schema: optionalText,
    description:
      "User name Workday sends in the WS-Security UsernameToken of outbound notifications (the subscription's Notification User Name). POST /api/hr/workday answers 503 until it is set.",
    secret: false,
  },
  WORKDAY_NOTIFICATION_PASSWORD: {
    schema: optionalText,
    description:
      "Password of that UsernameToken (PasswordText). Also accepted as HTTP Basic for pushed worker documents.",
    secret: true,
  },
  SF_NOTIFICATION_USER: {
    schema: optionalText,
    description:
      "HTTP Basic user SuccessFactors uses for event notifications and Integration Center calls. POST /api/hr/successfactors answers 503 until it is set.",
    secret: false,
  },
  SF_NOTIFICATION_PASSWORD: {
    schema: optionalText,
    description: "HTTP Basic password for SuccessFactors calls.",
    secret: true,
  },
  HR_EVENTS_HMAC_SECRET: {
    schema: optionalText,
    description:
      "Key of the HMAC-SHA256 signature (X-HR-Signature: sha256=<hex of the raw body>) on POST /api/hr/events.",
    secret: true,
  },
  HR_EVENTS_FUNCTION_KEY: {
    schema: optionalText,
    description:
      "Function key accepted on POST /api/hr/events (x-functions-key header or ?code=), for callers that cannot sign, such as a Logic App.",
    secret: true,
  },
  ONBOARDING_BATCHES_FUNCTION_KEY: {
    schema: optionalText,
    description:
      "Key the Logic App presents (x-functions-key or ?code=) on POST /api/onboarding/batches and GET /api/onboarding/batches/{id}; opens no other route. People use their Entra ID sign-in instead.",
    secret: true,
  },
  ONBOARDING_BATCH_MAX_ROWS: {
    schema: positiveInt(5000),
    description: "Most rows one bulk onboarding batch may have; a larger one is refused with 413.",
    secret: false,
  },
  WORKDAY_API_URL: {
    schema: optionalUrl,
    description:
      "Workday Human_Resources service URL for Get_Workers callbacks (https://<host>/ccx/service/<tenant>/Human_Resources/v<NN>). Without it thin notifications are quarantined.",
    secret: false,
  },
  WORKDAY_API_USER: {
    schema: optionalText,
    description: "Integration system user (ISU) for Get_Workers, e.g. ISU_Lifecycle@tenant.",
    secret: false,
  },
  WORKDAY_API_PASSWORD: {
    schema: optionalText,
    description: "Password of the Workday integration system user.",
    secret: true,
  },
  WORKDAY_RAAS_FIELD_MAP: {
    schema: optionalText,
    description:
      'JSON field map for RaaS reports: {"email":["primaryWorkEmail"],…}, event field → report columns to try. Built-in aliases when empty.',
    secret: false,
  },
  SF_API_URL: {
    schema: optionalUrl,
    description:
      "SuccessFactors API server for OData v2 callbacks (https://api<NN>.successfactors.com). Without it ExternalEvents are quarantined.",
    secret: false,
  },
  SF_API_AUTH: {
    schema: optionalText.pipe(
      z.enum(["oauth", "basic"], { error: 'must be "oauth" or "basic"' }).optional().default("oauth"),
    ),
    description:
      'How OData callbacks authenticate: "oauth" (the default: OAuth 2.0 SAML bearer assertion) or "basic" (legacy HTTP Basic, which SAP has retired; a warning is logged at start-up).',
    secret: false,
  },
  SF_COMPANY_ID: {
    schema: optionalText,
    description: "SuccessFactors company id (case-sensitive), sent to /oauth/token.",
    secret: false,
  },
  SF_API_USER: {
    schema: optionalText,
    description:
      "The OData API user: with OAuth its userId (the assertion's subject, without @companyId); with Basic username@companyId.",
    secret: false,
  },
  SF_API_PASSWORD: {
    schema: optionalText,
    description: "Password of the OData API user; only with SF_API_AUTH=basic.",
    secret: true,
  },
  SF_OAUTH_CLIENT_ID: {
    schema: optionalText,
    description:
      'API key of the OAuth client registered in SuccessFactors ("Manage OAuth2 Client Applications"): the assertion\'s issuer and client_id.',
    secret: false,
  },
  SF_OAUTH_PRIVATE_KEY: {
    schema: optionalText,
    description:
      "PEM private key of the certificate registered with the OAuth client (the certificate may follow it), for local runs. In Azure leave it empty and use Key Vault.",
    secret: true,
  },
  SF_OAUTH_PRIVATE_KEY_FILE: {
    schema: optionalText,
    description:
      "Path of a PEM file holding that private key (and certificate), instead of SF_OAUTH_PRIVATE_KEY.",
    secret: false,
  },
  SF_OAUTH_KEY_SECRET_NAME: {
    schema: optionalText.transform((v) => v ?? "successfactors-oauth"),
    description:
      "Key Vault certificate (imported as PEM) or secret in KEY_VAULT_URL holding the private key, read with the managed identity when neither of the two settings above is set.",
    secret: false,
  },
  SF_OAUTH_ASSERTION_LIFETIME_MINUTES: {
    schema: wholeNumber(10, 1, 60),
    description: "How long a signed SAML assertion is valid (SAP's offline tool: 10 minutes).",
    secret: false,
  },
  SF_INTEGRATION_CENTER_FIELD_MAP: {
    schema: optionalText,
    description:
      "JSON field map for Integration Center JSON: event field → the designer's field names. SAP's sample names when empty.",
    secret: false,
  },
  ONBOARDING_BATCH_SIZE: {
    schema: positiveInt(10),
    description: "Hires per bulk onboarding batch (the user's guide: 10); up to 3 batches converge at once.",
    secret: false,
  },
  ONBOARDING_BATCH_INTERVAL_MS: {
    schema: wholeNumber(1000, 0),
    description:
      "Least time between the starts of two batches, in milliseconds (the user's guide: 1 batch per second).",
    secret: false,
  },
  HIRE_LEAD_TIME_DAYS: {
    schema: wholeNumber(3, 0, 60),
    description:
      "How many days before a future hire date the account is provisioned, so the agent is ready on day one.",
    secret: false,
  },
  LEAVER_DRAIN_DEADLINE_MINUTES: {
    schema: positiveInt(120),
    description:
      "How long a leaver's live interactions are re-checked and handed over before the fallback applies (down to disconnecting).",
    secret: false,
  },
  LEAVER_RECHECK_SECONDS: {
    schema: positiveInt(300),
    description: "How often a leaver's live interactions are re-checked before that deadline.",
    secret: false,
  },
  LEAVER_ALLOW_OFFLINE_TARGETS: {
    schema: flag(false),
    description:
      "Whether a leaver's work may still go to a manager or supervisor who is Offline (true), or only to people who are not (false).",
    secret: false,
  },
  DEACTIVATION_GUARD_MAX_COUNT: {
    schema: positiveInt(25),
    description:
      "Leavers pause for an operator's approval when more deactivations than this fall within the window.",
    secret: false,
  },
  DEACTIVATION_GUARD_MAX_PERCENT: {
    schema: wholeNumber(10, 1, 100),
    description:
      "…or more than this percentage of managed users (counted from 5 deactivations on, so a small pilot is not a mass event).",
    secret: false,
  },
  DEACTIVATION_GUARD_WINDOW_MINUTES: {
    schema: positiveInt(60),
    description: "The window the deactivation guard counts over.",
    secret: false,
  },
  APPROVAL_TIMEOUT_HOURS: {
    schema: positiveInt(72),
    description:
      "How long a paused leaver waits for an operator before giving up (the agent stays off queue, active).",
    secret: false,
  },
  HR_OUTAGE_RETRY_HOURS: {
    schema: positiveInt(24),
    description:
      "How long an event is retried while Workday or SuccessFactors does not answer its read-back, before it is quarantined.",
    secret: false,
  },
  HR_RETRY_FIRST_SECONDS: {
    schema: positiveInt(30),
    description: "The first wait before an HR read-back is tried again; each wait doubles from there.",
    secret: false,
  },
  HR_RETRY_MAX_SECONDS: {
    schema: positiveInt(900),
    description: "The longest wait between two tries of an HR read-back.",
    secret: false,
  },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    schema: optionalText,
    description:
      "Application Insights connection string: traces and metrics go there through the Azure Monitor exporter. Empty: not sent.",
    secret: false,
  },
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: {
    schema: optionalText,
    description:
      "Authorization=AAD when Application Insights takes Entra ID only (local auth off): the app's identity publishes.",
    secret: false,
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    schema: optionalUrl,
    description:
      "An OTLP/HTTP collector (http://localhost:4318): traces and metrics are sent there too. OTEL_EXPORTER_OTLP_HEADERS is honoured.",
    secret: false,
  },
  OTEL_SERVICE_NAME: {
    schema: optionalText.transform((v) => v ?? "genesys-lifecycle"),
    description: "service.name of the telemetry (the cloud role name in Application Insights).",
    secret: false,
  },
  TELEMETRY_CONSOLE: {
    schema: flag(false),
    description: "true: print one line per span and per metric point on the console (local runs).",
    secret: false,
  },
  TELEMETRY_METRIC_INTERVAL_SECONDS: {
    schema: positiveInt(60),
    description: "How often metrics are exported.",
    secret: false,
  },
  CREDENTIAL_EXPIRY_WATCH: {
    schema: optionalText,
    description:
      "Comma-separated Key Vault secret or certificate names whose expiry is reported (lifecycle.credential.expires_in). Default with KEY_VAULT_URL: the Genesys client secret.",
    secret: false,
  },
} as const;

export type SettingName = keyof typeof SETTINGS;

export type GenesysSecretSource =
  { kind: "plain"; secret: Secret } | { kind: "keyVault"; vaultUrl: string; secretName: string };

export interface Settings {
  storage: { connection: Secret };
  genesys: {
    apiBaseUrl: string;
    loginBaseUrl: string;
    clientId: string;
    clientSecret: GenesysSecretSource;
    requestsPerMinute: number;
    tokenPoolSize: number;
    clientRequestsPerMinute: number;
    pauseBelowRemaining: number;
    remainingPauseInMs: number;
    maxInProcessWaitInMs: number;
  };
  hr: HrSettings;
  lifecycle: LifecycleSettings;
  telemetry: TelemetrySettings;
  /** Key Vault credentials whose expiry dates are watched; absent without a Key Vault. */
  credentialWatch?: { vaultUrl: string; names: string[] };
}

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

/** Timings and thresholds of joiners, leavers and bulk onboarding. */
export interface LifecycleSettings {
  onboardingBatchSize: number;
  onboardingBatchIntervalInMs: number;
  hireLeadTimeInMs: number;
  drainDeadlineInMs: number;
  recheckIntervalInMs: number;
  allowOfflineTargets: boolean;
  approvalTimeoutInMs: number;
  guard: { maxCount: number; maxShare: number; windowInMs: number };
  hrRetry: HrRetryPolicy;
}

/** How an HR read-back is retried through an HR outage (durable timers, doubling waits) before quarantine. */
export interface HrRetryPolicy {
  firstIntervalInMs: number;
  maxIntervalInMs: number;
  /** Counted from the moment the item was received. */
  giveUpAfterInMs: number;
}

export interface BasicCredentials {
  user: string;
  password: Secret;
}

/** Where the OAuth client's private key comes from: a setting or a file locally, Key Vault in Azure. */
export type SigningKeySource =
  | { kind: "plain"; pem: Secret }
  | { kind: "file"; path: string }
  | { kind: "keyVault"; vaultUrl: string; secretName: string };

/** How OData callbacks to SuccessFactors authenticate. */
export type SuccessFactorsApiAuth =
  | ({ kind: "basic" } & BasicCredentials)
  | {
      kind: "oauth";
      companyId: string;
      clientId: string;
      userId: string;
      key: SigningKeySource;
      assertionLifetimeInMs: number;
    };

/** HR intake: who may call, and how to call the HR systems back. Every part is optional until used. */
export interface HrSettings {
  workdayNotification?: BasicCredentials;
  successFactorsNotification?: BasicCredentials;
  eventsHmacSecret?: Secret;
  eventsFunctionKey?: Secret;
  /** ONBOARDING_BATCHES_FUNCTION_KEY: the Logic App's key for the bulk batch routes. */
  batchesFunctionKey?: Secret;
  /** Most rows one bulk batch may have. */
  maxBatchRows?: number;
  workdayApi?: BasicCredentials & { serviceUrl: string };
  successFactorsApi?: { baseUrl: string; auth: SuccessFactorsApiAuth };
  /** Parsed JSON: event field → source field names. Checked against the HR field list by the HR module. */
  workdayRaasFieldMap?: Record<string, string[]>;
  successFactorsFieldMap?: Record<string, string[]>;
}

export interface SettingProblem {
  setting: string;
  problem: string;
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

const REGION_PROBLEMS: Record<GenesysBaseUrlsProblem, string> = {
  "unknown-region": "is not a known Genesys Cloud region key or domain",
  "no-region": "is required unless GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL are both set",
};

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

  const endpoints = deriveBaseUrls({
    region: s.GENESYS_REGION,
    apiBaseUrl: s.GENESYS_API_BASE_URL,
    loginBaseUrl: s.GENESYS_LOGIN_BASE_URL,
  });
  if ("problem" in endpoints)
    problems.push({ setting: "GENESYS_REGION", problem: REGION_PROBLEMS[endpoints.problem] });

  let clientSecret: GenesysSecretSource | undefined;
  if (s.GENESYS_CLIENT_SECRET !== undefined) {
    clientSecret = { kind: "plain", secret: new Secret(s.GENESYS_CLIENT_SECRET) };
  } else if (s.KEY_VAULT_URL !== undefined) {
    clientSecret = { kind: "keyVault", vaultUrl: s.KEY_VAULT_URL, secretName: s.GENESYS_CLIENT_SECRET_NAME };
  } else {
    problems.push({
      setting: "GENESYS_CLIENT_SECRET",
      problem: "is required unless KEY_VAULT_URL names the Key Vault that holds it",
    });
  }

  const hr = readHrSettings(s, problems);
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

  if (problems.length > 0 || "problem" in endpoints || !clientSecret) {
    throw new ConfigurationError(problems);
  }
  return {
    storage: { connection: new Secret(s.TABLES_CONNECTION) },
    genesys: {
      ...endpoints.urls,
      clientId: s.GENESYS_CLIENT_ID,
      clientSecret,
      requestsPerMinute: s.GENESYS_REQUESTS_PER_MINUTE,
      tokenPoolSize: s.GENESYS_TOKEN_POOL_SIZE,
      clientRequestsPerMinute: instanceShareOfClientCap(
        s.GENESYS_CLIENT_REQUESTS_PER_MINUTE,
        s.GENESYS_MAX_INSTANCES,
      ),
      pauseBelowRemaining: s.GENESYS_RATE_PAUSE_BELOW_REMAINING,
      remainingPauseInMs: s.GENESYS_RATE_PAUSE_SECONDS * 1000,
      maxInProcessWaitInMs: s.GENESYS_MAX_WAIT_IN_ACTIVITY_SECONDS * 1000,
    },
    hr,
    lifecycle: {
      onboardingBatchSize: s.ONBOARDING_BATCH_SIZE,
      onboardingBatchIntervalInMs: s.ONBOARDING_BATCH_INTERVAL_MS,
      hireLeadTimeInMs: s.HIRE_LEAD_TIME_DAYS * 86_400_000,
      drainDeadlineInMs: s.LEAVER_DRAIN_DEADLINE_MINUTES * 60_000,
      recheckIntervalInMs: s.LEAVER_RECHECK_SECONDS * 1000,
      allowOfflineTargets: s.LEAVER_ALLOW_OFFLINE_TARGETS,
      approvalTimeoutInMs: s.APPROVAL_TIMEOUT_HOURS * 3_600_000,
      guard: {
        maxCount: s.DEACTIVATION_GUARD_MAX_COUNT,
        maxShare: s.DEACTIVATION_GUARD_MAX_PERCENT / 100,
        windowInMs: s.DEACTIVATION_GUARD_WINDOW_MINUTES * 60_000,
      },
      hrRetry: {
        firstIntervalInMs: s.HR_RETRY_FIRST_SECONDS * 1000,
        maxIntervalInMs: s.HR_RETRY_MAX_SECONDS * 1000,
        giveUpAfterInMs: s.HR_OUTAGE_RETRY_HOURS * 3_600_000,
      },
    },
    telemetry: {
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
    },
    ...(s.KEY_VAULT_URL && watched.length > 0
      ? { credentialWatch: { vaultUrl: s.KEY_VAULT_URL, names: watched } }
      : {}),
  };
}

type ParsedEnv = z.infer<typeof envSchema>;

/** A user and a password that only make sense together: one without the other is reported. */
function pair(
  s: ParsedEnv,
  userName: SettingName,
  passwordName: SettingName,
  problems: SettingProblem[],
): BasicCredentials | undefined {
  const user = s[userName] as string | undefined;
  const password = s[passwordName] as string | undefined;
  if (user === undefined && password === undefined) return undefined;
  if (user === undefined || password === undefined) {
    problems.push({
      setting: user === undefined ? userName : passwordName,
      problem: `is required when ${user === undefined ? passwordName : userName} is set`,
    });
    return undefined;
  }
  return { user, password: new Secret(password) };
}

function fieldMap(value: string | undefined, setting: SettingName, problems: SettingProblem[]) {
  if (value === undefined) return undefined;
  const parsed = z.record(z.string(), z.array(z.string().min(1)).min(1)).safeParse(
    (() => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return undefined;
      }
    })(),
  );
  if (!parsed.success) {
    problems.push({
      setting,
      problem: 'must be a JSON object of field → list of names, e.g. {"email":["workEmail"]}',
    });
    return undefined;
  }
  return parsed.data;
}

function readHrSettings(s: ParsedEnv, problems: SettingProblem[]): HrSettings {
  const hr: HrSettings = { maxBatchRows: s.ONBOARDING_BATCH_MAX_ROWS };
  if (s.ONBOARDING_BATCHES_FUNCTION_KEY !== undefined)
    hr.batchesFunctionKey = new Secret(s.ONBOARDING_BATCHES_FUNCTION_KEY);
  const workdayNotification = pair(s, "WORKDAY_NOTIFICATION_USER", "WORKDAY_NOTIFICATION_PASSWORD", problems);
  if (workdayNotification) hr.workdayNotification = workdayNotification;
  const sfNotification = pair(s, "SF_NOTIFICATION_USER", "SF_NOTIFICATION_PASSWORD", problems);
  if (sfNotification) hr.successFactorsNotification = sfNotification;
  if (s.HR_EVENTS_HMAC_SECRET !== undefined) hr.eventsHmacSecret = new Secret(s.HR_EVENTS_HMAC_SECRET);
  if (s.HR_EVENTS_FUNCTION_KEY !== undefined) hr.eventsFunctionKey = new Secret(s.HR_EVENTS_FUNCTION_KEY);
  const workdayApi = pair(s, "WORKDAY_API_USER", "WORKDAY_API_PASSWORD", problems);
  if (s.WORKDAY_API_URL !== undefined) {
    if (workdayApi) hr.workdayApi = { ...workdayApi, serviceUrl: s.WORKDAY_API_URL };
    else if (s.WORKDAY_API_USER === undefined && s.WORKDAY_API_PASSWORD === undefined) {
      problems.push({ setting: "WORKDAY_API_USER", problem: "is required when WORKDAY_API_URL is set" });
    }
  }
  if (s.SF_API_URL !== undefined) {
    const auth = readSuccessFactorsAuth(s, problems);
    if (auth) hr.successFactorsApi = { baseUrl: s.SF_API_URL.replace(/\/+$/, ""), auth };
  }
  const raas = fieldMap(s.WORKDAY_RAAS_FIELD_MAP, "WORKDAY_RAAS_FIELD_MAP", problems);
  if (raas) hr.workdayRaasFieldMap = raas;
  const ic = fieldMap(s.SF_INTEGRATION_CENTER_FIELD_MAP, "SF_INTEGRATION_CENTER_FIELD_MAP", problems);
  if (ic) hr.successFactorsFieldMap = ic;
  return hr;
}

/** OAuth (the default) or, when asked for explicitly, legacy Basic; every missing piece is reported. */
function readSuccessFactorsAuth(s: ParsedEnv, problems: SettingProblem[]): SuccessFactorsApiAuth | undefined {
  if (s.SF_API_AUTH === "basic") {
    const basic = pair(s, "SF_API_USER", "SF_API_PASSWORD", problems);
    if (!basic && s.SF_API_USER === undefined && s.SF_API_PASSWORD === undefined) {
      problems.push({ setting: "SF_API_USER", problem: "is required when SF_API_URL is set" });
    }
    return basic && { kind: "basic", ...basic };
  }
  const before = problems.length;
  const required = (name: "SF_COMPANY_ID" | "SF_OAUTH_CLIENT_ID" | "SF_API_USER", what: string) => {
    const value = s[name];
    if (value === undefined) problems.push({ setting: name, problem: `is required for OAuth (${what})` });
    return value ?? "";
  };
  const companyId = required("SF_COMPANY_ID", "the SuccessFactors company id");
  const clientId = required("SF_OAUTH_CLIENT_ID", "the API key of the registered OAuth client");
  const userId = required("SF_API_USER", "the API user's userId");
  if (s.SF_API_USER?.includes("@")) {
    problems.push({
      setting: "SF_API_USER",
      problem:
        "with OAuth is the API user's userId alone, without @companyId (the company goes in SF_COMPANY_ID)",
    });
  }
  let key: SigningKeySource | undefined;
  if (s.SF_OAUTH_PRIVATE_KEY !== undefined) {
    // Setting values often arrive with their line breaks escaped.
    const pem = s.SF_OAUTH_PRIVATE_KEY.replace(/\\n/g, "\n");
    if (!/-----BEGIN (RSA |ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
      problems.push({
        setting: "SF_OAUTH_PRIVATE_KEY",
        problem: "must be a PEM private key (-----BEGIN PRIVATE KEY-----)",
      });
    } else if (/ENCRYPTED PRIVATE KEY/.test(pem)) {
      problems.push({ setting: "SF_OAUTH_PRIVATE_KEY", problem: "must be an unencrypted PEM private key" });
    }
    key = { kind: "plain", pem: new Secret(pem) };
  } else if (s.SF_OAUTH_PRIVATE_KEY_FILE !== undefined) {
    key = { kind: "file", path: s.SF_OAUTH_PRIVATE_KEY_FILE };
  } else if (s.KEY_VAULT_URL !== undefined) {
    key = { kind: "keyVault", vaultUrl: s.KEY_VAULT_URL, secretName: s.SF_OAUTH_KEY_SECRET_NAME };
  } else {
    problems.push({
      setting: "SF_OAUTH_PRIVATE_KEY",
      problem:
        "is required for OAuth unless SF_OAUTH_PRIVATE_KEY_FILE or KEY_VAULT_URL (with SF_OAUTH_KEY_SECRET_NAME) is set",
    });
  }
  if (problems.length > before || !key) return undefined;
  return {
    kind: "oauth",
    companyId,
    clientId,
    userId,
    key,
    assertionLifetimeInMs: s.SF_OAUTH_ASSERTION_LIFETIME_MINUTES * 60_000,
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

/**
 * This instance's share of the OAuth client's cap. Each instance owns its own tokens, so the per-token limit
 * holds on its own; the client's cap is shared, and an equal share per possible instance keeps the sum within
 * it however many instances Azure runs, with no coordination between them (docs/rate-limits.md).
 */
export function instanceShareOfClientCap(clientRequestsPerMinute: number, maxInstances: number): number {
  return Math.max(1, Math.floor(clientRequestsPerMinute / maxInstances));
}
