/**
 * The whole product on one machine for end-to-end tests: in-process Azurite, the Genesys emulator and the real
 * app in the local host on the virtual clock, all on free ports. Nothing here is mocked.
 */
import { startAzuriteTables, type AzuriteTables } from "../../local/azurite";
import { startGenesysEmulator, type GenesysEmulator } from "../../local/emulators/genesys";
import { startLocalHost, type LocalHost } from "../../local/host";
import {
  SF_EMULATOR_API_USER,
  SF_EMULATOR_COMPANY_ID,
  startSuccessFactorsEmulator,
  type SuccessFactorsEmulator,
} from "../../local/emulators/successfactors";
import {
  generateOAuthClientKeyPair,
  type OAuthClientKeyPair,
} from "../../local/emulators/successfactors/credentials";
import {
  startWorkdayEmulator,
  WORKDAY_EMULATOR_PASSWORD,
  WORKDAY_EMULATOR_USER,
  type WorkdayEmulator,
} from "../../local/emulators/workday";

export { E2E_MAPPING } from "./e2e-mapping";

export const FUNCTION_KEY = "e2e-function-key";

/** An ISO 8601 timestamp, as Genesys writes dateWelcomeSent and the like. */
import { DEV_AUTH_SETTINGS } from "./dev-auth";
export { DEV_AUTH_SETTINGS, DEV_IDENTITY, DEV_TOKENS } from "./dev-auth";

export const ISO_TIMESTAMP = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);

export interface LifecycleStack {
  host: LocalHost;
  genesys: GenesysEmulator;
  azurite: AzuriteTables;
  /** Calls the app over HTTP with the function key. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /**
   * Posts a normalized HR event, which must be accepted (202), and waits for the work it starts: until only
   * timers are left ("settled": a future-dated event or a leaver's deletion stays ahead), or until nothing is
   * left, timers included ("idle").
   */
  deliver(event: object, wait?: "settled" | "idle"): Promise<void>;
  stop(): Promise<void>;
}

export interface LifecycleStackOptions {
  clientId?: string;
  env?: Record<string, string>;
  /** Another app entry (a fixture composing the real app differently); `src/index.ts` when omitted. */
  entry?: string;
}

export async function startLifecycleStack(options: LifecycleStackOptions = {}): Promise<LifecycleStack> {
  return startStack(options);
}

/**
 * What the app runs against: Azurite and the Genesys emulator, on free ports. The budget runs on real time
 * while Durable time is virtual: limits are raised so tests take seconds, not minutes. The rate-limit
 * behaviour itself is covered by the client's and the emulator's own suites.
 */
export async function startBackingServices(): Promise<{ azurite: AzuriteTables; genesys: GenesysEmulator }> {
  const azurite = await startAzuriteTables();
  const genesys = await startGenesysEmulator({
    port: 0,
    limits: { perTokenPerMinute: 30_000, perClientPerMinute: 300_000 },
  });
  return { azurite, genesys };
}

/** The app's settings for those services, as the OAuth client `clientId`, with the same raised budget. */
export function backingSettings(
  azurite: AzuriteTables,
  genesys: GenesysEmulator,
  clientId = "lifecycle-local",
): Record<string, string> {
  return {
    TABLES_CONNECTION: azurite.connectionString,
    AzureWebJobsStorage: azurite.connectionString,
    GENESYS_API_BASE_URL: genesys.url,
    GENESYS_LOGIN_BASE_URL: genesys.url,
    GENESYS_REGION: "",
    GENESYS_CLIENT_ID: clientId,
    GENESYS_CLIENT_SECRET: `${clientId}-secret`,
    GENESYS_REQUESTS_PER_MINUTE: "30000",
    GENESYS_CLIENT_REQUESTS_PER_MINUTE: "300000",
  };
}

async function startStack(
  options: LifecycleStackOptions,
  extraClose: () => Promise<void> = async () => undefined,
): Promise<LifecycleStack> {
  const { azurite, genesys } = await startBackingServices();
  const host = await startLocalHost({
    ...(options.entry ? { entry: options.entry } : {}),
    port: 0,
    clock: "virtual",
    storageConnection: azurite.connectionString,
    log: process.env.E2E_LOG ? (line) => console.log(line) : () => undefined,
    env: {
      ...backingSettings(azurite, genesys, options.clientId),
      HR_EVENTS_FUNCTION_KEY: FUNCTION_KEY,
      ...DEV_AUTH_SETTINGS,
      ...options.env,
    },
  });
  const call: LifecycleStack["call"] = (method, path, body, headers = {}) =>
    fetch(`${host.url}${path}`, {
      method,
      headers: {
        "x-functions-key": FUNCTION_KEY,
        ...(body === undefined
          ? {}
          : { "content-type": typeof body === "string" ? "application/yaml" : "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
  return {
    host,
    genesys,
    azurite,
    call,
    async deliver(event, wait = "settled") {
      const response = await call("POST", "/api/hr/events", event);
      if (response.status !== 202) {
        throw new Error(`the event was not accepted: ${response.status} ${await response.text()}`);
      }
      await (wait === "idle" ? host.durable.runUntilIdle() : host.durable.settle());
    },
    async stop() {
      await host.stop();
      await genesys.close();
      await azurite.close();
      await extraClose();
    },
  };
}

/** The emulator's OAuth client of an administrator working by hand, distinct from the product's own client. */
export const ADMINISTRATOR_CLIENT = "org-admin";

/**
 * Calls the Genesys emulator's Platform API as an administrator would, outside the product: with the
 * administrator's own OAuth client unless told otherwise (the product's, for a change its audit must not name).
 */
export async function asAdministrator(genesys: GenesysEmulator, clientId = ADMINISTRATOR_CLIENT) {
  const basic = Buffer.from(`${clientId}:${clientId}-secret`).toString("base64");
  const token = (await (
    await fetch(`${genesys.url}/oauth/token`, {
      method: "POST",
      headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    })
  ).json()) as { access_token: string };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${genesys.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token.access_token}`, "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : await response.json();
  };
  return {
    api,
    async addToQueue(queueName: string, userId: string) {
      const listing = (await api("GET", `/api/v2/routing/queues?name=${queueName}`)) as {
        entities: { id: string }[];
      };
      await api("POST", `/api/v2/routing/queues/${listing.entities[0].id}/members`, [{ id: userId }]);
    },
  };
}

export function hireEvent(employeeId: string, overrides: Record<string, unknown> = {}, type = "hire") {
  const title = typeof overrides.title === "string" ? overrides.title.replace(/[^A-Za-z0-9._:-]/g, "_") : "";
  return {
    eventId: `e2e-${employeeId}-${type}-${title}`,
    type,
    effectiveDate: "2026-11-01",
    worker: {
      employeeId,
      email: `agent.${employeeId}@example.com`,
      firstName: "Jane",
      lastName: `Doe${employeeId}`,
      title: "Technical Support",
      department: "Support",
      managerEmail: "sup.support@example.com",
      ...overrides,
    },
  };
}

export const WORKDAY_NOTIFY = { user: "wd-notify", password: "wd-notify-secret" };
export const SF_NOTIFY = { user: "sf-notify@LOCAL", password: "sf-notify-secret" };

/**
 * The stack plus the Workday and SuccessFactors emulators the app calls back for thin notifications. The app
 * reaches SuccessFactors with OAuth: an OAuth client is registered in the emulator under a key pair made for
 * this run. `env` overrides the app's settings (a wrong company id, say).
 */
export async function startLifecycleStackWithHr(options: { env?: Record<string, string> } = {}): Promise<
  LifecycleStack & {
    workday: WorkdayEmulator;
    successFactors: SuccessFactorsEmulator;
    sfKeys: OAuthClientKeyPair;
  }
> {
  const sfKeys = await generateOAuthClientKeyPair();
  const workday = await startWorkdayEmulator({ port: 0 });
  const successFactors = await startSuccessFactorsEmulator({
    port: 0,
    oauthClients: [{ clientId: sfKeys.clientId, certificate: sfKeys.certificate }],
  });
  const stack = await startStack(
    {
      env: {
        WORKDAY_NOTIFICATION_USER: WORKDAY_NOTIFY.user,
        WORKDAY_NOTIFICATION_PASSWORD: WORKDAY_NOTIFY.password,
        WORKDAY_API_URL: `${workday.url}/ccx/service/lifecycle_local/Human_Resources/v40.0`,
        WORKDAY_API_USER: WORKDAY_EMULATOR_USER,
        WORKDAY_API_PASSWORD: WORKDAY_EMULATOR_PASSWORD,
        SF_NOTIFICATION_USER: SF_NOTIFY.user,
        SF_NOTIFICATION_PASSWORD: SF_NOTIFY.password,
        SF_API_URL: successFactors.url,
        SF_COMPANY_ID: SF_EMULATOR_COMPANY_ID,
        SF_API_USER: SF_EMULATOR_API_USER,
        SF_OAUTH_CLIENT_ID: sfKeys.clientId,
        SF_OAUTH_PRIVATE_KEY: `${sfKeys.privateKey}\n${sfKeys.certificate}`,
        ...options.env,
      },
    },
    async () => {
      await workday.close();
      await successFactors.close();
    },
  );
  return { ...stack, workday, successFactors, sfKeys };
}

/**
 * Starts a stack for the tests of the enclosing `describe` (or file) and stops it after them; with `mapping`,
 * imports and activates it first. The handle stands for the stack once started: use it inside tests and hooks.
 */
function useStack<T extends LifecycleStack>(start: () => Promise<T>, mapping: string | undefined): T {
  let stack: T | undefined;
  beforeAll(async () => {
    stack = await start();
    if (mapping !== undefined) {
      const imported = await stack.call("PUT", "/api/mappings", mapping);
      if (imported.status !== 201) throw new Error(`the mapping was refused: ${await imported.text()}`);
    }
  });
  afterAll(() => stack?.stop());
  return new Proxy({} as T, {
    get(_target, property) {
      if (!stack) throw new Error("the stack is not started yet: use it inside a test or a hook");
      return Reflect.get(stack, property);
    },
  });
}

export function useLifecycleStack(
  options: LifecycleStackOptions & { mapping?: string } = {},
): LifecycleStack {
  const { mapping, ...stackOptions } = options;
  return useStack(() => startLifecycleStack(stackOptions), mapping);
}

export function useLifecycleStackWithHr(
  options: { env?: Record<string, string>; mapping?: string } = {},
): Awaited<ReturnType<typeof startLifecycleStackWithHr>> {
  const { mapping, ...stackOptions } = options;
  return useStack(() => startLifecycleStackWithHr(stackOptions), mapping);
}
