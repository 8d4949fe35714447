import type { TokenCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";

/** A watched credential and when it expires (undefined: no expiry date set, or not found). */
export interface CredentialExpiry {
  name: string;
  expiresOn: Date | undefined;
}

export type CredentialExpiryReader = () => Promise<CredentialExpiry[]>;

/**
 * Reads the expiry dates of named Key Vault secrets from their properties, never their values. A Key Vault
 * certificate has a secret of the same name that expires with it, so certificates are watched the same way.
 */
export function createKeyVaultExpiryReader(
  vaultUrl: string,
  names: readonly string[],
  credential: () => TokenCredential,
  secretClient?: Pick<SecretClient, "listPropertiesOfSecrets">,
): CredentialExpiryReader {
  let client = secretClient;
  return async () => {
    client ??= new SecretClient(vaultUrl, credential());
    const found = new Map<string, Date | undefined>();
    for await (const properties of client.listPropertiesOfSecrets()) {
      if (names.includes(properties.name)) found.set(properties.name, properties.expiresOn);
    }
    return names.map((name) => ({ name, expiresOn: found.get(name) }));
  };
}
