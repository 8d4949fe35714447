import { createGenesysSecretReader, createSigningKeyReader } from "../../../src/config/secrets";
import { Secret } from "../../../src/config/secret";

// Key Vault cannot run here: a plain object stands in for SecretClient (only getSecret is used).
const noCredential = () => {
  throw new Error("no Azure credential is needed for these cases");
};

describe("createGenesysSecretReader", () => {
  it("returns the plain setting locally", async () => {
    const read = createGenesysSecretReader({ kind: "plain", secret: new Secret("local") }, noCredential);
    expect((await read()).reveal()).toBe("local");
  });

  it("re-reads Key Vault on every call, so a rotated secret is picked up", async () => {
    const values = ["first", "rotated"];
    const asked: string[] = [];
    const read = createGenesysSecretReader(
      { kind: "keyVault", vaultUrl: "https://kv.vault.azure.net", secretName: "genesys-client-secret" },
      noCredential,
      {
        getSecret: async (name: string) => {
          asked.push(name);
          return { name, value: values.shift(), properties: { name, vaultUrl: "" } };
        },
      },
    );
    expect((await read()).reveal()).toBe("first");
    expect((await read()).reveal()).toBe("rotated");
    expect(asked).toEqual(["genesys-client-secret", "genesys-client-secret"]);
  });

  it("names the secret and the vault when the secret is empty", async () => {
    const read = createGenesysSecretReader(
      { kind: "keyVault", vaultUrl: "https://kv.vault.azure.net", secretName: "genesys-client-secret" },
      noCredential,
      { getSecret: async (name: string) => ({ name, value: "", properties: { name, vaultUrl: "" } }) },
    );
    await expect(read()).rejects.toThrow(
      "Key Vault secret 'genesys-client-secret' in https://kv.vault.azure.net has no value",
    );
  });
});

describe("createSigningKeyReader (the SuccessFactors OAuth key)", () => {
  const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----";
  const certificate = "-----BEGIN CERTIFICATE-----\nMIIDAD\n-----END CERTIFICATE-----";
  const vault = {
    kind: "keyVault" as const,
    vaultUrl: "https://kv.vault.azure.net",
    secretName: "successfactors-oauth",
  };
  const stored = (value: string, contentType?: string) => ({
    getSecret: async (name: string) => ({ name, value, properties: { name, vaultUrl: "", contentType } }),
  });

  it("splits the private key from the certificate that SuccessFactors' download puts after it", async () => {
    const read = createSigningKeyReader(
      { kind: "plain", pem: new Secret(`${key}\n${certificate}\n`) },
      noCredential,
    );
    const pair = await read();
    expect(pair.privateKey.reveal()).toBe(key);
    expect(pair.certificate).toBe(certificate);
    expect(JSON.stringify(pair)).not.toContain("MIIEvQ");
  });

  it("reads a Key Vault certificate imported as PEM through its secret, and refuses PKCS#12 with the fix", async () => {
    const pem = createSigningKeyReader(
      vault,
      noCredential,
      stored(`${certificate}\n${key}`, "application/x-pem-file"),
    );
    expect((await pem()).privateKey.reveal()).toBe(key);
    const pfx = createSigningKeyReader(vault, noCredential, stored("MIIKcQIBAzCC", "application/x-pkcs12"));
    await expect(pfx()).rejects.toThrow(
      /PKCS#12 certificate; import the certificate with the PEM content type/,
    );
  });

  it("names where it looked when there is no private key", async () => {
    const read = createSigningKeyReader(vault, noCredential, stored(certificate));
    await expect(read()).rejects.toThrow(
      "Key Vault secret 'successfactors-oauth' in https://kv.vault.azure.net holds no unencrypted PEM private key",
    );
  });
});
