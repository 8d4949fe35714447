/**
 * A SuccessFactors tenant for tests: the emulator with an OAuth client registered under a key pair made for
 * this run, and the credentials the product signs its assertions with.
 */
import { Secret } from "../../src/config/secret";
import type { SuccessFactorsCredentials } from "../../src/hr/successfactors-auth";
import {
  SF_EMULATOR_API_USER,
  SF_EMULATOR_COMPANY_ID,
  startSuccessFactorsEmulator,
  type SuccessFactorsEmulator,
  type SuccessFactorsEmulatorOptions,
} from "../../local/emulators/successfactors";
import {
  generateOAuthClientKeyPair,
  type OAuthClientKeyPair,
} from "../../local/emulators/successfactors/credentials";

export interface OAuthTestTenant {
  emulator: SuccessFactorsEmulator;
  keys: OAuthClientKeyPair;
  /** The product's OAuth credentials for this tenant; `overrides` make them wrong on purpose. */
  credentials(
    overrides?: Partial<{
      companyId: string;
      clientId: string;
      userId: string;
      pem: string;
      lifetimeInMs: number;
    }>,
  ): SuccessFactorsCredentials;
}

export async function startOAuthTenant(
  options: SuccessFactorsEmulatorOptions = {},
): Promise<OAuthTestTenant> {
  const keys = await generateOAuthClientKeyPair();
  const emulator = await startSuccessFactorsEmulator({
    port: 0,
    ...options,
    oauthClients: [
      { clientId: keys.clientId, certificate: keys.certificate },
      ...(options.oauthClients ?? []),
    ],
  });
  return {
    emulator,
    keys,
    credentials: (overrides = {}) => ({
      kind: "oauth",
      companyId: overrides.companyId ?? SF_EMULATOR_COMPANY_ID,
      clientId: overrides.clientId ?? keys.clientId,
      userId: overrides.userId ?? SF_EMULATOR_API_USER,
      assertionLifetimeInMs: overrides.lifetimeInMs ?? 10 * 60_000,
      signingKey: async () => ({
        privateKey: new Secret(overrides.pem ?? keys.privateKey),
        ...(overrides.pem === undefined ? { certificate: keys.certificate } : {}),
      }),
    }),
  };
}

/** The PEM text of the OAuth key pair, as an app setting holds it (the certificate after the key). */
export const keyPairPem = (keys: OAuthClientKeyPair): string => `${keys.privateKey}\n${keys.certificate}`;
