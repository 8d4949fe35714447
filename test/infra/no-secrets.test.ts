import fs from "node:fs";
import path from "node:path";
import { scanForSecrets } from "./parsers/secret-scan";

const root = path.resolve(__dirname, "../..");

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe("deployment files", () => {
  it("contain no secret values (infra/ and azure.yaml)", () => {
    const files = [...filesUnder(path.join(root, "infra")), path.join(root, "azure.yaml")];
    expect(files.length).toBeGreaterThan(5);
    const findings = files.flatMap((file) =>
      scanForSecrets(path.relative(root, file), fs.readFileSync(file, "utf8")),
    );
    expect(findings).toEqual([]);
  });
});

describe("the secret scanner", () => {
  // Built at run time so that no secret-shaped literal sits in the repository itself.
  const key = "Q".repeat(86) + "==";
  const planted: [file: string, text: string, rule: string][] = [
    [
      "a.bicep",
      `var c = 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${key}'`,
      "storage account key in a connection string",
    ],
    [
      "a.json",
      `{ "url": "https://x.blob.core.windows.net/c?sv=2022&sig=${"a".repeat(20)}%3D" }`,
      "SAS signature",
    ],
    ["a.bicep", `var k = '-----BEGIN RSA ${"PRIVATE"} KEY-----'`, "private key"],
    ["a.bicep", `var k = '${key}'`, "base64 storage account key"],
    ["a.bicep", "  clientSecret: 'hunter2-very-secret'", "literal secret assigned in Bicep"],
    [
      "a.json",
      '{ "parameters": { "adminPassword": { "value": "P@ssw0rd!" } } }',
      "literal secret assigned in JSON",
    ],
    ["a.bicep", "@secure()\nparam apiKey string = 'abc123'", "secure parameter with a literal default"],
    [
      "a.bicep",
      "output key string = listKeys(site.id, '2024-04-01').functionKeys.default",
      "secret in a Bicep output",
    ],
  ];

  it.each(planted)("finds a planted secret in %s: %s", (file, text, rule) => {
    expect(scanForSecrets(file, text).map((f) => f.rule)).toContain(rule);
  });

  it("passes references, expressions, placeholders, role ids and empty values", () => {
    const clean = [
      ["a.bicep", "  GENESYS_CLIENT_SECRET: ''"],
      ["a.bicep", "  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'"],
      ["a.bicep", "  X_PASSWORD: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/x/)'"],
      ["a.bicep", "@secure()\nparam apiKey string"],
      ["a.json", '{ "x-functions-key": "@{parameters(\'functionKey\')}" }'],
      ["a.json", '{ "functionKey": { "type": "securestring", "defaultValue": "" } }'],
      ["a.json", '{ "clientSecret": { "value": "${GENESYS_CLIENT_SECRET}" } }'],
    ];
    for (const [file, text] of clean) expect(scanForSecrets(file, text)).toEqual([]);
  });

  it("reports the file and line, never the value", () => {
    const [finding] = scanForSecrets("x.bicep", `// ok\n\nvar k = '${key}'`);
    expect(finding).toEqual({ file: "x.bicep", line: 3, rule: "base64 storage account key" });
  });
});
