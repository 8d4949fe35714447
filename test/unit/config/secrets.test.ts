import { createGenesysSecretReader } from "../../../src/config/secrets";
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
