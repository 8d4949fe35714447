import axios, { type AxiosInstance } from "axios";
import type { SecretReader } from "../config/secrets";

export interface AccessToken {
  token: string;
  expiresAt: number;
  /** When to fetch the next one: ahead of expiry, but never more than half the lifetime early. */
  renewAt?: number;
}

export interface TokenProviderOptions {
  loginBaseUrl: string;
  clientId: string;
  readSecret: SecretReader;
  /** Renew this long before expiry, so a request never leaves with a token about to lapse. Default 5 min. */
  renewBeforeExpiryInMs?: number;
  timeoutInMs?: number;
  now?: () => number;
  http?: AxiosInstance;
}

/** Raised when Genesys refuses the client credentials; the message never contains the secret. */
export class GenesysAuthenticationError extends Error {
  override readonly name = "GenesysAuthenticationError";
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/**
 * OAuth client-credentials tokens for one Genesys OAuth client: cached, renewed before expiry, and fetched
 * once however many callers ask at the same moment. `invalidate()` after a 401 forces a fresh token and a
 * fresh read of the secret (Key Vault rotation).
 */
export class OAuthTokenProvider {
  #current: AccessToken | undefined;
  #pending: Promise<AccessToken> | undefined;
  readonly #http: AxiosInstance;
  readonly #now: () => number;

  constructor(private readonly options: TokenProviderOptions) {
    this.#http = options.http ?? axios.create();
    this.#now = options.now ?? Date.now;
  }

  async getToken(): Promise<AccessToken> {
    if (this.#current && (this.#current.renewAt ?? this.#current.expiresAt) > this.#now())
      return this.#current;
    this.#pending ??= this.#fetch().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  /** Drops the cached token if it is the one that was refused. */
  invalidate(token?: string): void {
    if (token === undefined || this.#current?.token === token) this.#current = undefined;
  }

  async #fetch(): Promise<AccessToken> {
    const secret = await this.options.readSecret();
    const basic = Buffer.from(`${this.options.clientId}:${secret.reveal()}`).toString("base64");
    const response = await this.#http.post<{ access_token?: string; expires_in?: number; error?: string }>(
      `${this.options.loginBaseUrl}/oauth/token`,
      "grant_type=client_credentials",
      {
        headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
        timeout: this.options.timeoutInMs ?? 15_000,
        validateStatus: () => true,
      },
    );
    const body = response.data;
    if (response.status !== 200 || typeof body?.access_token !== "string") {
      const reason = typeof body?.error === "string" ? body.error : `HTTP ${response.status}`;
      throw new GenesysAuthenticationError(
        `Genesys refused the OAuth client '${this.options.clientId}' (${reason}). ` +
          "Check the client id, the secret (GENESYS_CLIENT_SECRET or Key Vault) and the region.",
        response.status,
      );
    }
    const lifetime = (body.expires_in ?? 86_400) * 1000;
    // A short-lived token (5 min is Genesys's minimum) must still be used for a while before renewal.
    const renewBefore = Math.min(this.options.renewBeforeExpiryInMs ?? 5 * 60_000, lifetime / 2);
    const now = this.#now();
    this.#current = {
      token: body.access_token,
      expiresAt: now + lifetime,
      renewAt: now + lifetime - renewBefore,
    };
    return this.#current;
  }
}
