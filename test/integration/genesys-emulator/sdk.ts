/**
 * The official Genesys Cloud SDK pointed at an emulator. The SDK builds `https://login.<env>` and
 * `https://api.<env>` from an environment name; its public gateway setting sends both to one origin instead,
 * which is exactly what the emulator serves.
 */
import platformClient from "purecloud-platform-client-v2";

export type SdkApiClient = typeof platformClient.ApiClient;

const ApiClientClass = (platformClient as unknown as { ApiClientClass: new () => SdkApiClient })
  .ApiClientClass;

// The SDK watches ~/.genesyscloudjavascript/config for changes; tests must not leave watchers behind.
(platformClient.ApiClient.config as unknown as { live_reload_config: boolean }).live_reload_config = false;

export interface Sdk {
  client: SdkApiClient;
  users: platformClient.UsersApi;
  search: platformClient.SearchApi;
  authorization: platformClient.AuthorizationApi;
  routing: platformClient.RoutingApi;
  presence: platformClient.PresenceApi;
  conversations: platformClient.ConversationsApi;
  analytics: platformClient.AnalyticsApi;
  tokens: platformClient.TokensApi;
  oauth: platformClient.OAuthApi;
  audit: platformClient.AuditApi;
  organization: platformClient.OrganizationApi;
}

export const LOCAL_CLIENT = { id: "lifecycle-local", secret: "lifecycle-local-secret" };
export const LIMITED_CLIENT = { id: "lifecycle-limited", secret: "lifecycle-limited-secret" };
export const ADMIN_CLIENT = { id: "org-admin", secret: "org-admin-secret" };

/** A fresh SDK client (its own token and configuration) for the emulator at `url`, not yet logged in. */
export function sdkFor(url: string, options: { extendedResponses?: boolean } = {}): Sdk {
  const client = new ApiClientClass();
  (client.config as unknown as { live_reload_config: boolean }).live_reload_config = false;
  const { hostname, port, protocol } = new URL(url);
  client.setGateway({ host: hostname, port: Number(port), protocol: protocol.replace(":", "") });
  if (options.extendedResponses) client.setReturnExtendedResponses(true);
  return {
    client,
    users: new platformClient.UsersApi(client),
    search: new platformClient.SearchApi(client),
    authorization: new platformClient.AuthorizationApi(client),
    routing: new platformClient.RoutingApi(client),
    presence: new platformClient.PresenceApi(client),
    conversations: new platformClient.ConversationsApi(client),
    analytics: new platformClient.AnalyticsApi(client),
    tokens: new platformClient.TokensApi(client),
    oauth: new platformClient.OAuthApi(client),
    audit: new platformClient.AuditApi(client),
    organization: new platformClient.OrganizationApi(client),
  };
}

/** An SDK client logged in with client credentials (`lifecycle-local` unless told otherwise). */
export async function loggedInSdk(
  url: string,
  credentials: { id: string; secret: string } = LOCAL_CLIENT,
  options: { extendedResponses?: boolean } = {},
): Promise<Sdk> {
  const sdk = sdkFor(url, options);
  await sdk.client.loginClientCredentialsGrant(credentials.id, credentials.secret);
  return sdk;
}

/**
 * What an SDK call rejected with: the ErrorBody itself for API calls; with extended responses
 * `{ status, headers, body }`; for the login call and network failures the axios error.
 */
export interface SdkFailure {
  status?: number;
  code?: string;
  message?: string;
  contextId?: string;
  details?: unknown[];
  errors?: unknown[];
  limit?: { key: string; namespace: string; value: number };
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
  response?: { status: number; data: Record<string, unknown>; headers: Record<string, string> };
}

export async function sdkError(call: Promise<unknown>): Promise<SdkFailure> {
  try {
    await call;
  } catch (error) {
    return error as SdkFailure;
  }
  throw new Error("Expected the call to fail, but it succeeded");
}
