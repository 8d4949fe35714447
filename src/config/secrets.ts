import type { TokenCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { Secret } from "./secret";
import type { GenesysSecretSource } from "./settings";

/** Reads a secret when it is needed; callers re-read after an authentication failure to pick up rotation. */
export type SecretReader = () => Promise<Secret>;

/**
 * The Genesys OAuth client secret: a plain setting locally, Key Vault in Azure.
 * The Key Vault value is not cached here, so a rotated secret is seen on the next read.
 */
export function createGenesysSecretReader(
  source: GenesysSecretSource,
  credential: () => TokenCredential,
  secretClient?: Pick<SecretClient, "getSecret">,
): SecretReader {
  if (source.kind === "plain") return async () => source.secret;
  let client = secretClient;
  return async () => {
    client ??= new SecretClient(source.vaultUrl, credential());
    const found = await client.getSecret(source.secretName);
    if (!found.value) {
      throw new Error(`Key Vault secret '${source.secretName}' in ${source.vaultUrl} has no value`);
    }
    return new Secret(found.value);
  };
}
