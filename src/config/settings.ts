import { z } from "zod";
import { regionDomain } from "./genesys-regions";
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

  let apiBaseUrl = s.GENESYS_API_BASE_URL;
  let loginBaseUrl = s.GENESYS_LOGIN_BASE_URL;
  if (s.GENESYS_REGION !== undefined) {
    const domain = regionDomain(s.GENESYS_REGION);
    if (domain === undefined) {
      problems.push({
        setting: "GENESYS_REGION",
        problem: "is not a known Genesys Cloud region key or domain",
      });
    } else {
      apiBaseUrl ??= `https://api.${domain}`;
      loginBaseUrl ??= `https://login.${domain}`;
    }
  } else if (apiBaseUrl === undefined || loginBaseUrl === undefined) {
    problems.push({
      setting: "GENESYS_REGION",
      problem: "is required unless GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL are both set",
    });
  }

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

  if (problems.length > 0 || apiBaseUrl === undefined || loginBaseUrl === undefined || !clientSecret) {
    throw new ConfigurationError(problems);
  }
  return {
    storage: { connection: new Secret(s.TABLES_CONNECTION) },
    genesys: {
      apiBaseUrl: apiBaseUrl.replace(/\/+$/, ""),
      loginBaseUrl: loginBaseUrl.replace(/\/+$/, ""),
      clientId: s.GENESYS_CLIENT_ID,
      clientSecret,
      requestsPerMinute: s.GENESYS_REQUESTS_PER_MINUTE,
      tokenPoolSize: s.GENESYS_TOKEN_POOL_SIZE,
      clientRequestsPerMinute: s.GENESYS_CLIENT_REQUESTS_PER_MINUTE,
      pauseBelowRemaining: s.GENESYS_RATE_PAUSE_BELOW_REMAINING,
      remainingPauseInMs: s.GENESYS_RATE_PAUSE_SECONDS * 1000,
      maxInProcessWaitInMs: s.GENESYS_MAX_WAIT_IN_ACTIVITY_SECONDS * 1000,
    },
  };
}
