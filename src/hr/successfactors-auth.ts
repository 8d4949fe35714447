import type { AxiosInstance } from "axios";
import type { Secret } from "../config/secret";
import {
  buildSamlAssertion,
  checkSigningKey,
  SAML_BEARER_GRANT,
  SigningKeyError,
  type SigningKey,
} from "./successfactors-saml";

/**
 * How the OData client authenticates: the OAuth 2.0 SAML bearer grant (SAP's only option for tenants that
 * started with the API after 1H 2022), or HTTP Basic for legacy tenants that still allow it.
 */

/** Reads the OAuth client's key pair when a token is needed (a Key Vault secret may have been rotated). */
export type SigningKeyReader = () => Promise<SigningKey>;

export type SuccessFactorsCredentials =
  | { kind: "basic"; user: string; password: Secret }
  | {
      kind: "oauth";
      companyId: string;
      /** The API key of the OAuth client registered in "Manage OAuth2 Client Applications". */
      clientId: string;
      /** The API user's userId: the assertion's subject. */
      userId: string;
      signingKey: SigningKeyReader;
      assertionLifetimeInMs: number;
    };

/**
 * SuccessFactors refused the credentials. The message says which setting to fix and quotes SuccessFactors'
 * own reason; it never carries a key, a token or a password.
 */
export class SuccessFactorsAuthError extends Error {
  override readonly name = "SuccessFactorsAuthError";

  constructor(
    message: string,
    /** The settings to look at, most likely first. */
    readonly settings: string[],
  ) {
    super(message);
  }
}

/** Supplies the `Authorization` header of OData calls. */
export interface SuccessFactorsAuthorizer {
  /** `renew` asks for a fresh token after SuccessFactors answered 401 to the cached one. */
  header(options?: { renew?: boolean }): Promise<string>;
  /** Whether a 401 may be cured by a fresh token (OAuth), or means the credentials are wrong (Basic). */
  readonly renewable: boolean;
  /** What an OData 401 means for these credentials. */
  explainRefusal(described: string, detail: string): SuccessFactorsAuthError;
}

export class BasicAuthorizer implements SuccessFactorsAuthorizer {
  readonly renewable = false;
  readonly #header: string;

  constructor(credentials: { user: string; password: Secret }) {
    this.#header = `Basic ${Buffer.from(`${credentials.user}:${credentials.password.reveal()}`).toString("base64")}`;
  }

  async header(): Promise<string> {
    return this.#header;
  }

  explainRefusal(described: string, detail: string): SuccessFactorsAuthError {
    return new SuccessFactorsAuthError(
      `OData ${described} answered HTTP 401${detail}: SF_API_USER / SF_API_PASSWORD are wrong, or the tenant has ` +
        `retired HTTP Basic authentication; set SF_API_AUTH=oauth with an OAuth client (docs/successfactors-oauth.md)`,
      ["SF_API_AUTH", "SF_API_USER", "SF_API_PASSWORD"],
    );
  }
}

interface CachedToken {
  value: string;
  renewAt: number;
}

/** What the token endpoint's refusal points at, from SuccessFactors' documented `errorMessage` texts. */
export function explainTokenRefusal(status: number, message: string): SuccessFactorsAuthError {
  const reason = `SuccessFactors refused the OAuth token request (HTTP ${status}${message ? `: ${message}` : ""})`;
  const rules: [RegExp, string, string[]][] = [
    [
      /signature/i,
      "the assertion is not signed by the certificate registered for SF_OAUTH_CLIENT_ID: SF_OAUTH_PRIVATE_KEY " +
        "(or the Key Vault secret SF_OAUTH_KEY_SECRET_NAME) must hold that certificate's private key",
      ["SF_OAUTH_PRIVATE_KEY", "SF_OAUTH_KEY_SECRET_NAME", "SF_OAUTH_CLIENT_ID"],
    ],
    [
      /compan/i,
      "check SF_COMPANY_ID (case-sensitive) and that SF_API_URL is your data centre's API server",
      ["SF_COMPANY_ID", "SF_API_URL"],
    ],
    [
      /expired|not yet valid|NotOnOrAfter|NotBefore|validity/i,
      "the assertion's validity window does not hold on SuccessFactors' clock: check this host's clock, or raise " +
        "SF_OAUTH_ASSERTION_LIFETIME_MINUTES",
      ["SF_OAUTH_ASSERTION_LIFETIME_MINUTES"],
    ],
    [
      /invalid user|user/i,
      "SF_API_USER must be the API user's userId (not the username, without @companyId)",
      ["SF_API_USER"],
    ],
    [
      /client|api.?key|issuer/i,
      "SF_OAUTH_CLIENT_ID must be the API key of the registered OAuth client",
      ["SF_OAUTH_CLIENT_ID"],
    ],
  ];
  const rule = rules.find(([pattern]) => pattern.test(message));
  if (rule) return new SuccessFactorsAuthError(`${reason}: ${rule[1]}`, rule[2]);
  const all = ["SF_OAUTH_CLIENT_ID", "SF_COMPANY_ID", "SF_API_USER", "SF_OAUTH_PRIVATE_KEY"];
  return new SuccessFactorsAuthError(`${reason}: check ${all.join(", ")}`, all);
}

/** The refusal text of a token endpoint answer, whatever shape it has. */
function refusalText(body: unknown): string {
  if (typeof body === "string") return body.slice(0, 300);
  if (typeof body !== "object" || body === null) return "";
  const b = body as Record<string, unknown>;
  const nested = (b.error as { message?: { value?: unknown } } | undefined)?.message?.value;
  const text = b.errorMessage ?? b.error_description ?? nested ?? b.error;
  return typeof text === "string" ? text.slice(0, 300) : "";
}

/**
 * Bearer tokens from `<api-server>/oauth/token`, for a freshly signed assertion each time. A token is reused
 * until shortly before it expires (SuccessFactors' last 24 hours), and renewed at once after a 401.
 */
export class SamlBearerAuthorizer implements SuccessFactorsAuthorizer {
  readonly renewable = true;
  readonly #http: AxiosInstance;
  readonly #baseUrl: string;
  readonly #credentials: Extract<SuccessFactorsCredentials, { kind: "oauth" }>;
  readonly #now: () => number;
  #cached: CachedToken | undefined;
  #pending: Promise<CachedToken> | undefined;

  constructor(options: {
    http: AxiosInstance;
    baseUrl: string;
    credentials: Extract<SuccessFactorsCredentials, { kind: "oauth" }>;
    now?: () => number;
  }) {
    this.#http = options.http;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#credentials = options.credentials;
    this.#now = options.now ?? (() => Date.now());
  }

  async header(options: { renew?: boolean } = {}): Promise<string> {
    if (options.renew) this.#cached = undefined;
    const cached = this.#cached;
    if (cached && cached.renewAt > this.#now()) return `Bearer ${cached.value}`;
    // Concurrent callers share one token request.
    this.#pending ??= this.#requestToken(options.renew === true).finally(() => {
      this.#pending = undefined;
    });
    const token = await this.#pending;
    this.#cached = token;
    return `Bearer ${token.value}`;
  }

  explainRefusal(described: string, detail: string): SuccessFactorsAuthError {
    return new SuccessFactorsAuthError(
      `OData ${described} answered HTTP 401${detail} even with a new OAuth token: the API user SF_API_USER ` +
        `may lack OData API permissions, or the OAuth client SF_OAUTH_CLIENT_ID is bound to another user`,
      ["SF_API_USER", "SF_OAUTH_CLIENT_ID"],
    );
  }

  async #requestToken(fresh: boolean): Promise<CachedToken> {
    const c = this.#credentials;
    let key: SigningKey;
    try {
      key = await c.signingKey();
      checkSigningKey(key);
    } catch (error) {
      const why =
        error instanceof SigningKeyError
          ? error.message
          : error instanceof Error
            ? error.message
            : String(error);
      throw new SuccessFactorsAuthError(
        `the SuccessFactors OAuth signing key cannot be used: ${why} (SF_OAUTH_PRIVATE_KEY, SF_OAUTH_PRIVATE_KEY_FILE ` +
          `or the Key Vault secret SF_OAUTH_KEY_SECRET_NAME)`,
        ["SF_OAUTH_PRIVATE_KEY", "SF_OAUTH_PRIVATE_KEY_FILE", "SF_OAUTH_KEY_SECRET_NAME"],
      );
    }
    const requestedAt = this.#now();
    const assertion = buildSamlAssertion({
      clientId: c.clientId,
      userId: c.userId,
      apiBaseUrl: this.#baseUrl,
      key,
      now: new Date(requestedAt),
      lifetimeInMs: c.assertionLifetimeInMs,
    });
    const form = new URLSearchParams({
      company_id: c.companyId,
      client_id: c.clientId,
      grant_type: SAML_BEARER_GRANT,
      assertion: Buffer.from(assertion, "utf8").toString("base64"),
      ...(fresh ? { new_token: "true" } : {}),
    });
    let response;
    try {
      response = await this.#http.post<unknown>(`${this.#baseUrl}/oauth/token`, form.toString(), {
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      });
    } catch (error) {
      throw new SuccessFactorsAuthError(
        `the SuccessFactors token endpoint ${this.#baseUrl}/oauth/token could not be reached ` +
          `(${error instanceof Error ? error.message : String(error)}): check SF_API_URL`,
        ["SF_API_URL"],
      );
    }
    const body = response.data as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (response.status !== 200 || typeof body?.access_token !== "string") {
      throw explainTokenRefusal(response.status, refusalText(response.data));
    }
    const lifetimeInMs =
      (typeof body.expires_in === "number" ? body.expires_in : Number(body.expires_in ?? 0)) * 1000;
    // Renewed before it runs out: 5 minutes early, or a tenth of a short lifetime.
    const margin = Math.min(5 * 60_000, lifetimeInMs / 10);
    return { value: body.access_token, renewAt: requestedAt + Math.max(0, lifetimeInMs - margin) };
  }
}
