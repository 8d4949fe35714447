/**
 * What can be checked about the Bicep without the Bicep compiler (which cannot be installed offline): modules
 * and the parameters passed to them, azd's parameter file, the API versions and built-in role ids in use,
 * and the few properties the deployment's security rests on. What remains unchecked is in docs/deploy-azure.md.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { ROLES } from "../../src/functions/access";
import {
  readParameters,
  readResources,
  stringLiteral,
  type BicepResource,
  type BicepValue,
} from "./parsers/bicep";

const root = path.resolve(__dirname, "../..");
const infra = path.join(root, "infra");
const read = (file: string) => fs.readFileSync(path.join(infra, file), "utf8");
const bicepFiles = ["main.bicep", ...fs.readdirSync(path.join(infra, "modules")).map((f) => `modules/${f}`)];
const declarations = new Map(bicepFiles.map((file) => [file, readResources(read(file))]));

/**
 * API versions looked up in Microsoft's template reference and samples, not guessed. A new resource type or
 * version fails here until someone has checked it and added it.
 */
const LOOKED_UP_API_VERSIONS: Record<string, string> = {
  "Microsoft.Resources/resourceGroups": "2021-04-01",
  "Microsoft.OperationalInsights/workspaces": "2023-09-01",
  "Microsoft.Insights/components": "2020-02-02",
  "Microsoft.Storage/storageAccounts": "2023-05-01",
  "Microsoft.Storage/storageAccounts/blobServices": "2023-05-01",
  "Microsoft.Storage/storageAccounts/blobServices/containers": "2023-05-01",
  "Microsoft.KeyVault/vaults": "2023-07-01",
  "Microsoft.Web/serverfarms": "2024-04-01",
  "Microsoft.Web/sites": "2024-04-01",
  "Microsoft.Web/sites/config": "2024-04-01",
  "Microsoft.Authorization/roleAssignments": "2022-04-01",
  "Microsoft.Logic/workflows": "2019-05-01",
  "Microsoft.Insights/actionGroups": "2022-06-01",
  "Microsoft.Insights/scheduledQueryRules": "2023-12-01",
  "Microsoft.Insights/workbooks": "2023-06-01",
};

/** Azure built-in role definition ids (identical in every tenant). */
const BUILT_IN_ROLES: Record<string, string> = {
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  storageQueueDataContributor: "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
  storageTableDataContributor: "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
};

const prop = (value: BicepValue | undefined, ...keys: string[]): BicepValue | undefined => {
  let current = value;
  for (const key of keys) current = current?.kind === "object" ? current.properties.get(key) : undefined;
  return current;
};
const text = (value: BicepValue | undefined) => (value?.kind === "expression" ? value.text : undefined);
const resourcesOfType = (type: string): BicepResource[] =>
  [...declarations.values()].flat().filter((d) => d.keyword === "resource" && d.type === type && !d.existing);

describe("infra/ Bicep", () => {
  it("uses only API versions that were looked up", () => {
    const used = [...declarations.values()]
      .flat()
      .filter((d) => d.keyword === "resource")
      .map((d) => `${d.type}@${d.apiVersion}`);
    expect(used.length).toBeGreaterThan(10);
    for (const typeAndVersion of used) {
      const [type] = typeAndVersion.split("@");
      expect(typeAndVersion).toBe(`${type}@${LOOKED_UP_API_VERSIONS[type] ?? "(not looked up)"}`);
    }
  });

  it("passes every module the parameters it requires and none it does not declare", () => {
    for (const [file, found] of declarations) {
      for (const module of found.filter((d) => d.keyword === "module")) {
        const modulePath = path.join(path.dirname(file), module.type);
        expect(fs.existsSync(path.join(infra, modulePath))).toBe(true);
        const declared = readParameters(read(modulePath));
        const passedValue = prop(module.body, "params");
        const passed = passedValue?.kind === "object" ? [...passedValue.properties.keys()] : [];
        const where = `${file} → ${modulePath}`;
        expect({ where, undeclared: passed.filter((p) => !declared.some((d) => d.name === p)) }).toEqual({
          where,
          undeclared: [],
        });
        const required = declared.filter((d) => !d.hasDefault).map((d) => d.name);
        expect({ where, missing: required.filter((p) => !passed.includes(p)) }).toEqual({
          where,
          missing: [],
        });
      }
    }
  });

  it("gives azd a value for every required main.bicep parameter, and only for declared ones", () => {
    const file = JSON.parse(read("main.parameters.json")) as {
      parameters: Record<string, { value: unknown }>;
    };
    const declared = readParameters(read("main.bicep"));
    const given = Object.keys(file.parameters);
    expect(given.filter((p) => !declared.some((d) => d.name === p))).toEqual([]);
    expect(declared.filter((d) => !d.hasDefault && !given.includes(d.name)).map((d) => d.name)).toEqual([]);
    // No secure parameter at all: the Genesys secret goes into Key Vault after deployment.
    expect(declared.filter((d) => d.secure)).toEqual([]);
  });

  it("assigns only built-in roles whose ids were looked up", () => {
    const guids = bicepFiles.flatMap((file) =>
      [...read(file).matchAll(/'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/g)].map(
        (m) => m[1],
      ),
    );
    expect(guids.filter((id) => !Object.values(BUILT_IN_ROLES).includes(id ?? ""))).toEqual([]);
    const roles = read("modules/roles.bicep");
    for (const [name, id] of Object.entries(BUILT_IN_ROLES)) expect(roles).toContain(`${name}: '${id}'`);
  });

  it("runs the Function App on Flex Consumption, Node 20, with a system-assigned identity", () => {
    const [site] = resourcesOfType("Microsoft.Web/sites");
    const [plan] = resourcesOfType("Microsoft.Web/serverfarms");
    expect(stringLiteral(prop(site?.body, "identity", "type"))).toBe("SystemAssigned");
    expect(stringLiteral(prop(site?.body, "kind"))).toBe("functionapp,linux");
    const runtime = prop(site?.body, "properties", "functionAppConfig", "runtime");
    expect([stringLiteral(prop(runtime, "name")), stringLiteral(prop(runtime, "version"))]).toEqual([
      "node",
      "20",
    ]);
    expect(stringLiteral(prop(plan?.body, "sku", "tier"))).toBe("FlexConsumption");
    expect(
      stringLiteral(
        prop(
          site?.body,
          "properties",
          "functionAppConfig",
          "deployment",
          "storage",
          "authentication",
          "type",
        ),
      ),
    ).toBe("SystemAssignedIdentity");
  });

  it("turns off shared-key storage access and Key Vault access policies", () => {
    const [storage] = resourcesOfType("Microsoft.Storage/storageAccounts");
    const [vault] = resourcesOfType("Microsoft.KeyVault/vaults");
    expect(text(prop(storage?.body, "properties", "allowSharedKeyAccess"))).toBe("false");
    expect(text(prop(vault?.body, "properties", "enableRbacAuthorization"))).toBe("true");
    expect(text(prop(vault?.body, "properties", "enablePurgeProtection"))).toBe("true");
  });

  it("puts App Service authentication with Entra ID in front of the app, letting HR systems through to the app", () => {
    const auth = resourcesOfType("Microsoft.Web/sites/config").find(
      (r) => stringLiteral(prop(r.body, "name")) === "authsettingsV2",
    );
    expect(auth).toMatchObject({ symbolicName: "authSettings", existing: false });
    const properties = prop(auth?.body, "properties");
    expect(text(prop(properties, "platform", "enabled"))).toBe("true");
    // Anonymous requests reach the app, which decides per route: HR endpoints check their own credentials,
    // operator routes need a verified principal with an app role.
    expect(stringLiteral(prop(properties, "globalValidation", "unauthenticatedClientAction"))).toBe(
      "AllowAnonymous",
    );
    const entra = prop(properties, "identityProviders", "azureActiveDirectory");
    expect(text(prop(entra, "enabled"))).toBe("true");
    expect(text(prop(entra, "registration", "clientId"))).toBe("entraClientId");
    expect(text(prop(properties, "login", "tokenStore", "enabled"))).toBe("false");
  });

  it("declares exactly the app roles the app checks, for the Entra ID app registration", () => {
    const manifest = JSON.parse(read("entra/app-roles.json")) as { value: string; id: string }[];
    expect(manifest.map((r) => r.value).sort()).toEqual(Object.values(ROLES).sort());
    expect(new Set(manifest.map((r) => r.id)).size).toBe(manifest.length);
  });

  it("tags the Function App as the target of azure.yaml's function service", () => {
    const azureYaml = YAML.parse(fs.readFileSync(path.join(root, "azure.yaml"), "utf8")) as {
      infra: { path: string; module: string };
      services: Record<string, { host: string; language: string; project: string }>;
    };
    const services = Object.entries(azureYaml.services);
    expect(services).toHaveLength(1);
    const [serviceName, service] = services[0] ?? [];
    expect(service).toEqual(expect.objectContaining({ host: "function", language: "ts" }));
    expect(fs.existsSync(path.join(root, azureYaml.infra.path, `${azureYaml.infra.module}.bicep`))).toBe(
      true,
    );
    const [site] = resourcesOfType("Microsoft.Web/sites");
    expect(text(prop(site?.body, "tags"))).toContain(`'azd-service-name': '${serviceName}'`);
  });
});
