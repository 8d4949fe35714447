import { deriveBaseUrls, type GenesysBaseUrlsProblem } from "../genesys-regions";
import { Secret } from "../secret";
import {
  optionalText,
  optionalUrl,
  positiveInt,
  requiredText,
  type ParsedSettings,
  type SettingProblem,
} from "./values";

/** How the product reaches Genesys Cloud: region, OAuth client, its secret and the rate budget. */
export const GENESYS_SETTINGS = {
  GENESYS_REGION: {
    schema: optionalText,
    description:
      "Genesys Cloud region: an SDK key (`eu_west_1`) or domain (`mypurecloud.ie`), from which the API and login base URLs are derived. Not needed when both base URLs are set.",
    secret: false,
  },
  GENESYS_API_BASE_URL: {
    schema: optionalUrl,
    description: "Explicit API base URL (an emulator or a proxy). Overrides the one derived from the region.",
    secret: false,
  },
  GENESYS_LOGIN_BASE_URL: {
    schema: optionalUrl,
    description:
      "Explicit login base URL for `POST /oauth/token`. Overrides the one derived from the region.",
    secret: false,
  },
  GENESYS_CLIENT_ID: {
    schema: requiredText,
    description:
      "OAuth client id (client-credentials grant) with the roles the mapping needs in each division.",
    secret: false,
  },
  GENESYS_CLIENT_SECRET: {
    schema: optionalText,
    description:
      "OAuth client secret, for local runs. In Azure leave it empty and use Key Vault (`KEY_VAULT_URL`).",
    secret: true,
  },
  KEY_VAULT_URL: {
    schema: optionalUrl,
    description:
      "Key Vault holding the OAuth client secret, read with the managed identity on every token request. Used when `GENESYS_CLIENT_SECRET` is empty.",
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
    description:
      "Tokens to spread load over, from the same OAuth client, each with its own budget (all capped by `GENESYS_CLIENT_REQUESTS_PER_MINUTE`).",
    secret: false,
  },
  GENESYS_CLIENT_REQUESTS_PER_MINUTE: {
    schema: positiveInt(3000),
    description:
      "Rate cap over all tokens of the OAuth client: what a token pool may spend in total (Genesys default: 3000 requests per minute).",
    secret: false,
  },
  GENESYS_MAX_INSTANCES: {
    schema: positiveInt(1),
    description:
      "How many app instances may run at once (the Function App's maximum instance count): each instance spends at most `GENESYS_CLIENT_REQUESTS_PER_MINUTE` divided by this, so together they stay within the OAuth client's cap.",
    secret: false,
  },
  GENESYS_RATE_PAUSE_BELOW_REMAINING: {
    schema: positiveInt(50),
    description:
      "When a remaining-budget header (legacy `inin-ratelimit-*`, a gateway's `x-ratelimit-remaining`) reports fewer requests than this, pause.",
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

export type GenesysSecretSource =
  { kind: "plain"; secret: Secret } | { kind: "keyVault"; vaultUrl: string; secretName: string };

export interface GenesysSettings {
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
}

const REGION_PROBLEMS: Record<GenesysBaseUrlsProblem, string> = {
  "unknown-region": "is not a known Genesys Cloud region key or domain",
  "no-region": "is required unless GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL are both set",
};

/** The Genesys settings, or nothing when a problem was reported. */
export function readGenesysSettings(
  s: ParsedSettings<typeof GENESYS_SETTINGS>,
  problems: SettingProblem[],
): GenesysSettings | undefined {
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
  if ("problem" in endpoints || !clientSecret) return undefined;
  return {
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
  };
}

/**
 * This instance's share of the OAuth client's cap. Each instance owns its own tokens, so the per-token limit
 * holds on its own; the client's cap is shared, and an equal share per possible instance keeps the sum within
 * it however many instances Azure runs, with no coordination between them (docs/rate-limits.md).
 */
export function instanceShareOfClientCap(clientRequestsPerMinute: number, maxInstances: number): number {
  return Math.max(1, Math.floor(clientRequestsPerMinute / maxInstances));
}
