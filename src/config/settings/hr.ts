import { z } from "zod";
import { Secret } from "../secret";
import type { GENESYS_SETTINGS } from "./genesys";
import {
  optionalText,
  optionalUrl,
  positiveInt,
  wholeNumber,
  type ParsedSettings,
  type SettingProblem,
} from "./values";

/** HR intake: who may call, and how to call Workday and SuccessFactors back. */
export const HR_SETTINGS = {
  WORKDAY_NOTIFICATION_USER: {
    schema: optionalText,
    description:
      "User name Workday sends in the WS-Security UsernameToken of outbound notifications (the subscription's Notification User Name). `POST /api/hr/workday` answers 503 until it is set.",
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
      "HTTP Basic user SuccessFactors uses for event notifications and Integration Center calls. `POST /api/hr/successfactors` answers 503 until it is set.",
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
      "Key of the HMAC-SHA256 signature (`X-HR-Signature: sha256=<hex of the raw body>`) on `POST /api/hr/events`.",
    secret: true,
  },
  HR_EVENTS_FUNCTION_KEY: {
    schema: optionalText,
    description:
      "Function key accepted on `POST /api/hr/events` (`x-functions-key` header or `?code=`), for callers that cannot sign, such as a Logic App.",
    secret: true,
  },
  ONBOARDING_BATCHES_FUNCTION_KEY: {
    schema: optionalText,
    description:
      "Key the Logic App presents (`x-functions-key` or `?code=`) on `POST /api/onboarding/batches` and `GET /api/onboarding/batches/{id}`; opens no other route. People use their Entra ID sign-in instead.",
    secret: true,
  },
  ONBOARDING_BATCH_MAX_ROWS: {
    schema: positiveInt(5000),
    description: "Most rows one bulk onboarding batch may have; a larger one is refused with `413`.",
    secret: false,
  },
  WORKDAY_API_URL: {
    schema: optionalUrl,
    description:
      "Workday Human_Resources service URL for `Get_Workers` callbacks (`https://<host>/ccx/service/<tenant>/Human_Resources/v<NN>`). Without it thin notifications are quarantined.",
    secret: false,
  },
  WORKDAY_API_USER: {
    schema: optionalText,
    description: "Integration system user (ISU) for `Get_Workers`, e.g. `ISU_Lifecycle@tenant`.",
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
      'JSON field map for RaaS reports: event field → report columns to try, e.g. `{"email":["primaryWorkEmail"]}`. Built-in aliases when empty.',
    secret: false,
  },
  WORKDAY_RECONCILIATION_REPORT_URL: {
    schema: optionalUrl,
    description:
      "A Workday custom report (RaaS) reconciliation reads instead of `Get_Workers`: `https://<host>/ccx/service/customreport2/<tenant>/<owner>/<report>`. `{updatedFrom}` and `{updatedThrough}` in it are replaced by the window; read with `WORKDAY_API_USER` and its password, through `WORKDAY_RAAS_FIELD_MAP`.",
    secret: false,
  },
  SF_API_URL: {
    schema: optionalUrl,
    description:
      "SuccessFactors API server for OData v2 callbacks (`https://api<NN>.successfactors.com`). Without it `ExternalEvent`s are quarantined.",
    secret: false,
  },
  SF_API_AUTH: {
    schema: optionalText.pipe(
      z.enum(["oauth", "basic"], { error: 'must be "oauth" or "basic"' }).optional().default("oauth"),
    ),
    description:
      "How OData callbacks authenticate: `oauth` (the default: OAuth 2.0 SAML bearer assertion) or `basic` (legacy HTTP Basic, which SAP has retired; a warning is logged at start-up).",
    secret: false,
  },
  SF_COMPANY_ID: {
    schema: optionalText,
    description: "SuccessFactors company id (case-sensitive), sent to `/oauth/token`.",
    secret: false,
  },
  SF_API_USER: {
    schema: optionalText,
    description:
      "The OData API user: with OAuth its `userId` (the assertion's subject, without `@companyId`); with Basic `username@companyId`.",
    secret: false,
  },
  SF_API_PASSWORD: {
    schema: optionalText,
    description: "Password of the OData API user; only with `SF_API_AUTH=basic`.",
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
      "Path of a PEM file holding that private key (and certificate), instead of `SF_OAUTH_PRIVATE_KEY`.",
    secret: false,
  },
  SF_OAUTH_KEY_SECRET_NAME: {
    schema: optionalText.transform((v) => v ?? "successfactors-oauth"),
    description:
      "Key Vault certificate (imported as PEM) or secret in `KEY_VAULT_URL` holding the private key, read with the managed identity when neither `SF_OAUTH_PRIVATE_KEY` nor `SF_OAUTH_PRIVATE_KEY_FILE` is set.",
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
} as const;

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
  /** A RaaS report reconciliation reads instead of Get_Workers (with the integration system user). */
  workdayReport?: BasicCredentials & { reportUrl: string };
  successFactorsApi?: { baseUrl: string; auth: SuccessFactorsApiAuth };
  /** Parsed JSON: event field → source field names. Checked against the HR field list by the HR module. */
  workdayRaasFieldMap?: Record<string, string[]>;
  successFactorsFieldMap?: Record<string, string[]>;
}

type ParsedEnv = ParsedSettings<typeof HR_SETTINGS> &
  ParsedSettings<Pick<typeof GENESYS_SETTINGS, "KEY_VAULT_URL">>;
type HrSettingName = keyof typeof HR_SETTINGS;

/** A user and a password that only make sense together: one without the other is reported. */
function pair(
  s: ParsedEnv,
  userName: HrSettingName,
  passwordName: HrSettingName,
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

function fieldMap(value: string | undefined, setting: HrSettingName, problems: SettingProblem[]) {
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

/** The HR settings; pieces that only make sense together are reported when one is missing. */
export function readHrSettings(s: ParsedEnv, problems: SettingProblem[]): HrSettings {
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
  if (s.WORKDAY_RECONCILIATION_REPORT_URL !== undefined) {
    if (workdayApi) hr.workdayReport = { ...workdayApi, reportUrl: s.WORKDAY_RECONCILIATION_REPORT_URL };
    else if (s.WORKDAY_API_USER === undefined && s.WORKDAY_API_PASSWORD === undefined) {
      problems.push({
        setting: "WORKDAY_API_USER",
        problem: "is required when WORKDAY_RECONCILIATION_REPORT_URL is set (the report is read with it)",
      });
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
