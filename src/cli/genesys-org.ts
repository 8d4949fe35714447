import { DefaultAzureCredential } from "@azure/identity";
import { GenesysOrgDirectory } from "../adapters/genesys-org";
import { createGenesysSecretReader } from "../config/secrets";
import { loadSettings } from "../config/settings";
import { GenesysCloudClient, genesysClientOptionsFromSettings } from "../genesys";
import type { OrgDirectory } from "../lifecycle/org";

/**
 * The org as the app's OAuth client sees it, for `npm run mappings` without `--org`: the same settings as the
 * app (`GENESYS_*`, `TABLES_CONNECTION`, Key Vault). Undefined when no Genesys client is configured.
 */
export function orgDirectoryFromSettings(env: NodeJS.ProcessEnv): OrgDirectory | undefined {
  if (env.GENESYS_CLIENT_ID === undefined || env.GENESYS_CLIENT_ID.trim() === "") return undefined;
  const settings = loadSettings(env);
  let credential: DefaultAzureCredential | undefined;
  const readSecret = createGenesysSecretReader(
    settings.genesys.clientSecret,
    () => (credential ??= new DefaultAzureCredential()),
  );
  return new GenesysOrgDirectory(
    new GenesysCloudClient(genesysClientOptionsFromSettings(settings.genesys, readSecret)),
  );
}
