import { TableServiceClient } from "@azure/data-tables";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import type { AppDependencies } from "./app";
import { createGenesysSecretReader } from "./config/secrets";
import { ConfigurationError, loadSettings, type Settings } from "./config/settings";
import { OAuthTokenProvider } from "./genesys/auth";

export interface ComposeOptions {
  /** Azure identity for Key Vault and identity-based storage; DefaultAzureCredential when omitted. */
  credential?: TokenCredential;
}

/** Table Storage from a connection string locally, or from an endpoint URL with the managed identity in Azure. */
export function createTableServiceClient(
  settings: Settings,
  credential: () => TokenCredential,
): TableServiceClient {
  const connection = settings.storage.connection.reveal();
  if (/^https?:\/\//i.test(connection)) return new TableServiceClient(connection, credential());
  return TableServiceClient.fromConnectionString(connection, {
    allowInsecureConnection: /UseDevelopmentStorage=true|http:\/\//i.test(connection),
  });
}

/**
 * The composition root: reads configuration once and builds every client the functions use.
 * An invalid configuration still yields a health endpoint, which answers 503 with the full report, so an
 * operator who deployed a typo sees exactly what to fix.
 */
export function composeDependencies(env: NodeJS.ProcessEnv, options: ComposeOptions = {}): AppDependencies {
  let settings: Settings;
  try {
    settings = loadSettings(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    console.error(error.message);
    return {
      health: {
        configuration: async () => {
          throw error;
        },
      },
    };
  }

  let credential = options.credential;
  const getCredential = () => (credential ??= new DefaultAzureCredential());
  const tables = createTableServiceClient(settings, getCredential);
  const tokens = new OAuthTokenProvider({
    loginBaseUrl: settings.genesys.loginBaseUrl,
    clientId: settings.genesys.clientId,
    readSecret: createGenesysSecretReader(settings.genesys.clientSecret, getCredential),
  });

  return {
    health: {
      configuration: async () => undefined,
      storage: async () => {
        await tables.getProperties();
      },
      genesys: async () => {
        await tokens.getToken();
      },
    },
  };
}
