import fs from "node:fs";
import path from "node:path";
import { SETTINGS } from "../../src/config/settings";
import { appSettingsBlocks, BicepReadError, type AppSettingsBlock } from "./parsers/bicep";

const root = path.resolve(__dirname, "../..");
const infra = path.join(root, "infra");

/** Settings the Functions host owns, not the product's schema; each is here for a reason. */
const HOST_SETTINGS: Record<string, string> = {
  AzureWebJobsStorage__accountName:
    "the host and the Durable task hub reach storage with the managed identity",
  APPLICATIONINSIGHTS_CONNECTION_STRING: "where telemetry goes",
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: "telemetry authenticates with Entra ID (local auth is off)",
};

/**
 * Host settings that must not be set. Flex Consumption takes the runtime from functionAppConfig and rejects the
 * classic settings; a key-based AzureWebJobsStorage would not work with shared keys disabled.
 */
const FORBIDDEN_HOST_SETTINGS = [
  "FUNCTIONS_WORKER_RUNTIME",
  "FUNCTIONS_EXTENSION_VERSION",
  "WEBSITE_NODE_DEFAULT_VERSION",
  "WEBSITE_RUN_FROM_PACKAGE",
  "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
  "WEBSITE_CONTENTSHARE",
  "AzureWebJobsStorage",
];

/** Secret settings whose Azure value is an identity-based endpoint rather than a secret. */
const IDENTITY_ENDPOINTS: Record<string, RegExp> = {
  TABLES_CONNECTION: /^'https:\/\/\$\{\w+\}\.table\.\$\{\w+\}'$/,
};

function bicepFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return bicepFiles(full);
    return entry.name.endsWith(".bicep") ? [full] : [];
  });
}

function functionAppSettings(): AppSettingsBlock[] {
  return bicepFiles(infra).flatMap((file) =>
    appSettingsBlocks(fs.readFileSync(file, "utf8"), path.relative(root, file)),
  );
}

/** What differs between the schema and the deployed settings, as lists a developer can act on. */
function settingsDrift(schema: string[], deployed: string[], host: string[]) {
  return {
    missingFromBicep: schema.filter((name) => !deployed.includes(name)),
    notInSchema: deployed.filter((name) => !schema.includes(name) && !host.includes(name)),
    missingHostSettings: host.filter((name) => !deployed.includes(name)),
  };
}

describe("the Function App's app settings in infra/", () => {
  const blocks = functionAppSettings();
  const settings = blocks[0]?.settings ?? new Map<string, string>();

  it("are set in exactly one place", () => {
    expect(blocks.map((b) => b.location)).toHaveLength(1);
  });

  it("are exactly the settings src/config/settings.ts defines, plus the host's own", () => {
    const drift = settingsDrift(Object.keys(SETTINGS), [...settings.keys()], Object.keys(HOST_SETTINGS));
    // On failure: add each missing setting to infra/modules/functionapp.bicep (secrets as Key Vault
    // references), or remove what the schema no longer has.
    expect(drift).toEqual({ missingFromBicep: [], notInSchema: [], missingHostSettings: [] });
  });

  it("set none of the host settings Flex Consumption or keyless storage forbid", () => {
    expect([...settings.keys()].filter((name) => FORBIDDEN_HOST_SETTINGS.includes(name))).toEqual([]);
  });

  it("never give a secret setting a plain value: a Key Vault reference, empty, or an identity-based endpoint", () => {
    const plain = Object.entries(SETTINGS)
      .filter(([, def]) => def.secret)
      .map(([name]) => [name, settings.get(name) ?? ""] as const)
      .filter(([name, value]) => {
        if (value === "''") return false;
        if (/^'@Microsoft\.KeyVault\((SecretUri|VaultName)=/.test(value)) return false;
        return !IDENTITY_ENDPOINTS[name]?.test(value);
      })
      .map(([name, value]) => `${name}: ${value}`);
    expect(plain).toEqual([]);
  });
});

describe("the drift check", () => {
  it("flags a setting the schema gained, one it lost, and a missing host setting", () => {
    const drift = settingsDrift(
      ["TABLES_CONNECTION", "WORKDAY_NOTIFICATION_PASSWORD"],
      ["TABLES_CONNECTION", "OLD_SETTING"],
      ["APPLICATIONINSIGHTS_CONNECTION_STRING"],
    );
    expect(drift).toEqual({
      missingFromBicep: ["WORKDAY_NOTIFICATION_PASSWORD"],
      notInSchema: ["OLD_SETTING"],
      missingHostSettings: ["APPLICATIONINSIGHTS_CONNECTION_STRING"],
    });
  });
});

describe("the Bicep app settings reader", () => {
  it("reads a sites/config 'appsettings' resource, ignoring comments and braces inside strings", () => {
    const source = [
      "// resource fake 'Microsoft.Web/sites/config@2024-04-01' = { name: 'appsettings' }",
      "resource settings 'Microsoft.Web/sites/config@2024-04-01' = {",
      "  parent: site",
      "  name: 'appsettings'",
      "  properties: {",
      "    /* A: 'x' */",
      "    A: 'it\\'s {not} a key: ${concat('}', '{')}'",
      "    'B-quoted': union({ C: 1 }, { D: 2 })",
      "    E: '''",
      "multi: line",
      "'''",
      "  }",
      "}",
    ].join("\n");
    const [block] = appSettingsBlocks(source, "sample.bicep");
    expect([...block.settings.keys()]).toEqual(["A", "B-quoted", "E"]);
    expect(block.settings.get("B-quoted")).toBe("union({ C: 1 }, { D: 2 })");
  });

  it("reads siteConfig.appSettings given as a list of name/value pairs", () => {
    const source = [
      "resource site 'Microsoft.Web/sites@2024-04-01' = if (deploy) {",
      "  name: 'x'",
      "  properties: {",
      "    siteConfig: {",
      "      appSettings: [",
      "        { name: 'ONE', value: '1' }",
      "        {",
      "          name: 'TWO'",
      "          value: two",
      "        }",
      "      ]",
      "    }",
      "  }",
      "}",
    ].join("\n");
    const [block] = appSettingsBlocks(source, "sample.bicep");
    expect([...block.settings]).toEqual([
      ["ONE", "'1'"],
      ["TWO", "two"],
    ]);
  });

  it("refuses settings it cannot list by name rather than passing silently", () => {
    const source = [
      "resource settings 'Microsoft.Web/sites/config@2024-04-01' = {",
      "  name: 'appsettings'",
      "  properties: union(common, extra)",
      "}",
    ].join("\n");
    expect(() => appSettingsBlocks(source, "sample.bicep")).toThrow(BicepReadError);
  });
});
