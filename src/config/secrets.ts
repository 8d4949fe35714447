import { readFile } from "node:fs/promises";
import type { TokenCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { Secret } from "./secret";
import type { GenesysSecretSource, SigningKeySource } from "./settings";

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

/** The OAuth client's key pair, as the SuccessFactors client signs with it. */
export interface PemKeyPair {
  privateKey: Secret;
  /** The PEM file's certificate, when it holds one. */
  certificate?: string;
}

/** Splits a PEM file (SuccessFactors' download holds the private key and the certificate together). */
export function readPemKeyPair(pem: string, origin: string): PemKeyPair {
  const privateKey = /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----/.exec(
    pem,
  )?.[0];
  if (!privateKey)
    throw new Error(`${origin} holds no unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)`);
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  return { privateKey: new Secret(privateKey), ...(certificate === undefined ? {} : { certificate }) };
}

/**
 * The SuccessFactors OAuth signing key: a setting or a file locally, Key Vault in Azure. A Key Vault certificate
 * is read through its secret of the same name, which holds the private key; it must have been imported with the
 * PEM content type, since Node cannot read PKCS#12. Nothing is cached here, so a renewed certificate is used
 * on the next token request.
 */
export function createSigningKeyReader(
  source: SigningKeySource,
  credential: () => TokenCredential,
  secretClient?: Pick<SecretClient, "getSecret">,
): () => Promise<PemKeyPair> {
  switch (source.kind) {
    case "plain":
      return async () => readPemKeyPair(source.pem.reveal(), "SF_OAUTH_PRIVATE_KEY");
    case "file":
      return async () => readPemKeyPair(await readFile(source.path, "utf8"), `the file ${source.path}`);
    case "keyVault": {
      let client = secretClient;
      return async () => {
        client ??= new SecretClient(source.vaultUrl, credential());
        const found = await client.getSecret(source.secretName);
        const where = `Key Vault secret '${source.secretName}' in ${source.vaultUrl}`;
        if (!found.value) throw new Error(`${where} has no value`);
        if (found.properties.contentType === "application/x-pkcs12") {
          throw new Error(
            `${where} is a PKCS#12 certificate; import the certificate with the PEM content type (application/x-pem-file)`,
          );
        }
        return readPemKeyPair(found.value, where);
      };
    }
  }
}
