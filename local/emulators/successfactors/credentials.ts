import { generate } from "selfsigned";
import { SF_EMULATOR_CLIENT_ID } from "./index";

/**
 * A key pair for an OAuth client, as SuccessFactors' "Manage OAuth2 Client Applications" generates one: an RSA
 * private key and the self-signed X.509 certificate registered with the client. Made fresh for each local run
 * and test, so no private key is ever kept in the repository.
 */
export interface OAuthClientKeyPair {
  clientId: string;
  /** PEM (PKCS#8). */
  privateKey: string;
  /** PEM. */
  certificate: string;
}

export async function generateOAuthClientKeyPair(
  clientId = SF_EMULATOR_CLIENT_ID,
  validityInDays = 365,
): Promise<OAuthClientKeyPair> {
  const pems = await generate([{ name: "commonName", value: `genesys-lifecycle ${clientId}` }], {
    keySize: 2048,
    algorithm: "sha256",
    notAfterDate: new Date(Date.now() + validityInDays * 86_400_000),
  });
  return { clientId, privateKey: pems.private, certificate: pems.cert };
}
