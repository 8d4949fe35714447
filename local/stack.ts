/**
 * Everything `npm start` runs, as a list of local services followed by the Functions host. Adding a local
 * service (an emulator) is one entry in `defaultServices`; each starts, reports its URL and closes.
 */
import fs from "node:fs";
import path from "node:path";
import { startAzurite } from "./azurite";
import { startGenesysEmulator } from "./emulators/genesys";
import {
  startSuccessFactorsEmulator,
  SF_EMULATOR_API_USER,
  SF_EMULATOR_CLIENT_ID,
  SF_EMULATOR_COMPANY_ID,
  SF_EMULATOR_PASSWORD,
  SF_EMULATOR_USER,
} from "./emulators/successfactors";
import { generateOAuthClientKeyPair } from "./emulators/successfactors/credentials";
import { startWorkdayEmulator, WORKDAY_EMULATOR_PASSWORD, WORKDAY_EMULATOR_USER } from "./emulators/workday";
import { startLocalHost, type LocalHost } from "./host";

/**
 * A process-local service started before the host and closed after it, in reverse order. `settings` are
 * app settings it provides (e.g. its connection string when it runs on a non-standard port); they override
 * the loaded settings.
 */
export interface LocalService {
  name: string;
  start(): Promise<{ url: string; close(): Promise<void>; settings?: Record<string, string> }>;
}

export interface LocalStackOptions {
  /** The host's port: 7071 for `npm start`, 0 in tests. */
  port?: number;
  /** Keep Azurite's data in this folder; in memory when omitted. */
  location?: string;
  /** Azurite's ports (standard 10000–10002; 0 in tests). */
  azuritePorts?: { blob: number; queue: number; table: number };
  /** The emulators' ports (the ports in the settings' URLs by default; 0 in tests). */
  emulatorPorts?: { genesys: number; workday: number; successFactors: number };
  /** Settings; `loadLocalSettings()` plus process.env when omitted. */
  settings?: Record<string, string>;
  /** Services to start before the host; `defaultServices()` when omitted. */
  services?: LocalService[];
  entry?: string;
  log?: (line: string) => void;
}

export interface LocalStack {
  host: LocalHost;
  services: { name: string; url: string }[];
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, "..");

/** local.settings.json's Values if present, else local.settings.example.json's; process.env overrides both. */
export function loadLocalSettings(dir = ROOT, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const file = ["local.settings.json", "local.settings.example.json"]
    .map((name) => path.join(dir, name))
    .find((candidate) => fs.existsSync(candidate));
  const values = file
    ? ((JSON.parse(fs.readFileSync(file, "utf8")) as { Values?: Record<string, string> }).Values ?? {})
    : {};
  const merged: Record<string, string> = { ...values };
  for (const name of Object.keys(values)) if (env[name] !== undefined) merged[name] = env[name];
  return merged;
}

const isLocalUrl = (url: string | undefined) =>
  url !== undefined && /^https?:\/\/(localhost|127\.0\.0\.1)[:/]/i.test(url);
const portOf = (url: string | undefined, fallback: number) =>
  Number(url ? new URL(url).port : "") || fallback;
const withOrigin = (url: string, origin: string) => new URL(new URL(url).pathname, origin).toString();

/** The demo mapping in the emulator's names, imported when the demo org has none yet. */
export const DEMO_MAPPING = path.join(ROOT, "local", "mappings", "demo.yaml");

const usesDevelopmentStorage = (connection: string | undefined) =>
  connection === undefined || /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/i.test(connection);

/** The services `npm start` runs: Azurite when the settings point at development storage. */
export function defaultServices(
  settings: Record<string, string>,
  options: LocalStackOptions,
): LocalService[] {
  const services: LocalService[] = [];
  if (usesDevelopmentStorage(settings.AzureWebJobsStorage)) {
    services.push({
      name: "Azurite (blob, queue, table)",
      start: async () => {
        const ports = options.azuritePorts ?? { blob: 10000, queue: 10001, table: 10002 };
        const azurite = await startAzurite({
          blobPort: ports.blob,
          queuePort: ports.queue,
          tablePort: ports.table,
          location: options.location,
        });
        const standard = ports.blob === 10000 && ports.queue === 10001 && ports.table === 10002;
        return {
          url: `${azurite.blobUrl} ${azurite.queueUrl} ${azurite.tableUrl}`,
          close: azurite.close,
          // On the standard ports "UseDevelopmentStorage=true" already finds it.
          settings: standard
            ? undefined
            : { AzureWebJobsStorage: azurite.connectionString, TABLES_CONNECTION: azurite.connectionString },
        };
      },
    });
  }
  const ports = options.emulatorPorts;
  if (isLocalUrl(settings.GENESYS_API_BASE_URL)) {
    services.push({
      name: "Genesys Cloud emulator",
      start: async () => {
        const emulator = await startGenesysEmulator({
          port: ports?.genesys ?? portOf(settings.GENESYS_API_BASE_URL, 8085),
        });
        return {
          url: emulator.url,
          close: emulator.close,
          settings: { GENESYS_API_BASE_URL: emulator.url, GENESYS_LOGIN_BASE_URL: emulator.url },
        };
      },
    });
  }
  if (isLocalUrl(settings.WORKDAY_API_URL)) {
    services.push({
      name: "Workday emulator (Get_Workers)",
      start: async () => {
        const workday = await startWorkdayEmulator({
          port: ports?.workday ?? portOf(settings.WORKDAY_API_URL, 8086),
          user: settings.WORKDAY_API_USER || WORKDAY_EMULATOR_USER,
          password: settings.WORKDAY_API_PASSWORD || WORKDAY_EMULATOR_PASSWORD,
        });
        // The app calls the emulator where it actually listens (a free port in tests).
        return {
          ...workday,
          settings: { WORKDAY_API_URL: withOrigin(settings.WORKDAY_API_URL, workday.url) },
        };
      },
    });
  }
  if (isLocalUrl(settings.SF_API_URL)) {
    services.push({
      name: "SuccessFactors emulator (OData v2, OAuth)",
      start: () =>
        startLocalSuccessFactors(settings, ports?.successFactors ?? portOf(settings.SF_API_URL, 8087)),
    });
  }
  return services;
}

/**
 * The SuccessFactors emulator as a tenant of its own: OAuth by default, with the OAuth client registered under
 * the configured API key. Without a configured private key a key pair is made for this run and handed to the
 * app; a configured PEM that carries its certificate is registered as it is. `SF_API_AUTH=basic` gets a legacy
 * tenant that still accepts HTTP Basic.
 */
async function startLocalSuccessFactors(settings: Record<string, string>, port: number) {
  const basic = settings.SF_API_AUTH === "basic";
  const clientId = settings.SF_OAUTH_CLIENT_ID || SF_EMULATOR_CLIENT_ID;
  const configuredPem = settings.SF_OAUTH_PRIVATE_KEY
    ? settings.SF_OAUTH_PRIVATE_KEY.replace(/\\n/g, "\n")
    : settings.SF_OAUTH_PRIVATE_KEY_FILE
      ? fs.readFileSync(settings.SF_OAUTH_PRIVATE_KEY_FILE, "utf8")
      : "";
  const configuredCertificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(
    configuredPem,
  )?.[0];
  const generated = basic || configuredPem ? undefined : await generateOAuthClientKeyPair(clientId);
  const certificate = configuredCertificate ?? generated?.certificate;
  const successFactors = await startSuccessFactorsEmulator({
    port,
    basicAuth: basic ? "allowed" : "retired",
    user: settings.SF_API_USER || SF_EMULATOR_USER,
    password: settings.SF_API_PASSWORD || SF_EMULATOR_PASSWORD,
    companyId: settings.SF_COMPANY_ID || SF_EMULATOR_COMPANY_ID,
    apiUsers: [settings.SF_API_USER || SF_EMULATOR_API_USER],
    oauthClients: certificate ? [{ clientId, certificate }] : [],
  });
  return {
    ...successFactors,
    settings: {
      SF_API_URL: successFactors.url,
      ...(generated ? { SF_OAUTH_PRIVATE_KEY: `${generated.privateKey}\n${generated.certificate}` } : {}),
    },
  };
}

/** Starts the services, then the host on the real clock; stop() closes everything in reverse order. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const settings = { ...(options.settings ?? loadLocalSettings()) };
  const started: { name: string; url: string; close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const service of started.reverse()) await service.close().catch(() => undefined);
  };
  try {
    for (const service of options.services ?? defaultServices(settings, options)) {
      const running = await service.start();
      started.push({ name: service.name, url: running.url, close: running.close });
      Object.assign(settings, running.settings);
    }
    const host = await startLocalHost({
      entry: options.entry,
      env: settings,
      clock: "real",
      port: options.port ?? 7071,
      storageConnection: settings.AzureWebJobsStorage || undefined,
      log,
    });
    if (isLocalUrl(settings.GENESYS_API_BASE_URL)) await importDemoMappingIfNone(host.url, log);
    return {
      host,
      services: started.map(({ name, url }) => ({ name, url })),
      async stop() {
        await host.stop();
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Where a person opens the operations console in a browser; undefined when the loaded app has none. */
export function consoleUrl(host: Pick<LocalHost, "url" | "routePrefix" | "functions">): string | undefined {
  if (!host.functions.some((fn) => fn.name === "console")) return undefined;
  return `${host.url}/${[host.routePrefix, "console"].filter(Boolean).join("/")}/`;
}

/** The demo works from the first minute: with the emulator and no active mapping, the demo mapping is imported. */
async function importDemoMappingIfNone(hostUrl: string, log: (line: string) => void): Promise<void> {
  const active = await fetch(`${hostUrl}/api/mappings`);
  if (active.status !== 404) return;
  const imported = await fetch(`${hostUrl}/api/mappings`, {
    method: "PUT",
    // Signed in as LOCAL_DEV_IDENTITY, which the host adds as App Service authentication would.
    headers: { "content-type": "application/yaml" },
    body: fs.readFileSync(DEMO_MAPPING, "utf8"),
  });
  log(
    imported.status === 201
      ? `Demo mapping imported from ${path.relative(ROOT, DEMO_MAPPING)}`
      : `Demo mapping not imported (${imported.status}): ${await imported.text()}`,
  );
}
