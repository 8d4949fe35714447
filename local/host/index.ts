/**
 * The local Functions host: loads the app's real entry point, captures its registrations through the
 * functions-core stand-in, serves HTTP functions, the admin API and the Durable HTTP API, runs timer
 * triggers, and drives Durable orchestrations through the SDK's own replay. A development and test
 * runtime; production is Azure Functions with the Durable extension.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { RealClock, VirtualClock, type Clock } from "./durable/clock";
import {
  DurableEngine,
  type BackgroundWork,
  type EntityBatchResult,
  type FunctionRunner,
  type OrchestrationStatus,
  type RuntimeStatus,
} from "./durable/engine";
import { memoryStore, TableDurableStore, TableTimerStatusStore, type DurableStore } from "./durable/store";
import type { OrchestratorState } from "./durable/protocol";
import { createDurableApi, DURABLE_WEBHOOK_PATH, durableClientData } from "./durable/webhook";
import {
  fromTypedData,
  getRegistrations,
  installFunctionsCore,
  invokeFunction,
  setLogSink,
  type RegisteredFunction,
  type RpcHttpData,
  type RpcTypedData,
} from "./functions-core";
import { afterAnswer } from "../../src/functions/after-answer";
import { readHostConfig } from "./host-config";
import { headersOf, readBody, sendJson, toRpcHttpRequest, writeRpcHttpResponse } from "./http-bridge";
import { createPlatformAuthentication } from "./platform-auth";
import { compileRoute, type RouteMatcher } from "./routes";
import { startTimerTriggers, timerTriggerInput } from "./timer-triggers";

const ROOT = path.resolve(__dirname, "../..");

export interface LocalHostOptions {
  /** The app entry to load; the real app (`src/index.ts`) when omitted. */
  entry?: string;
  /** Settings merged into process.env before the entry loads (the app reads them at start-up). */
  env?: Record<string, string | undefined>;
  /** "virtual" (default for tests) never waits for timers; "real" for `npm start`. */
  clock?: "real" | "virtual" | Clock;
  /** 0 picks a free port (tests); `npm start` uses 7071. */
  port?: number;
  hostname?: string;
  /** A Table Storage connection string: Durable state is kept there and resumed on restart. In memory when omitted. */
  storageConnection?: string;
  /** Overrides host.json's durableTask.hubName (e.g. one hub per test). */
  hubName?: string;
  /** Overrides host.json's maxConcurrentActivityFunctions. */
  maxConcurrentActivities?: number;
  /** Where host.json is read from; the repository root when omitted. */
  hostJsonDir?: string;
  /** Function and host log lines; the console when omitted. */
  log?: (line: string) => void;
}

export interface LocalHost {
  /** e.g. http://127.0.0.1:7071 */
  url: string;
  port: number;
  /** host.json's extensions.http.routePrefix ("api"). */
  routePrefix: string;
  clock: Clock;
  functions: RegisteredFunction[];
  /**
   * Runs a non-HTTP function now, like `POST /admin/functions/{name}`: timer functions get a timer info
   * object, others get `input` as their trigger value. Resolves with the function's return value.
   */
  invoke(name: string, input?: unknown): Promise<unknown>;
  durable: {
    start(orchestrator: string, options?: { input?: unknown; instanceId?: string }): string;
    status(instanceId: string, options?: { showHistory?: boolean }): OrchestrationStatus | undefined;
    raiseEvent(instanceId: string, eventName: string, data?: unknown): "accepted" | "gone" | "notFound";
    terminate(instanceId: string, reason: string): "accepted" | "gone" | "notFound";
    purge(instanceId: string): Promise<boolean>;
    /** Runs everything that can run now, without moving the clock. */
    settle(): Promise<void>;
    /** Virtual clock: runs everything, jumping to each next timer, until only external events are awaited. */
    runUntilIdle(): Promise<void>;
    /** Virtual clock: moves time forward by `ms` and fires the timers due by then. */
    advance(ms: number): Promise<void>;
    waitForStatus(instanceId: string, statuses?: readonly RuntimeStatus[]): Promise<OrchestrationStatus>;
  };
  stop(): Promise<void>;
}

interface HttpRoute {
  fn: RegisteredFunction;
  matcher: RouteMatcher;
  methods: string[] | undefined;
}

/** Loads the app and starts the host. */
export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const log = options.log ?? ((line: string) => console.log(line));
  setLogSink((level, _category, message) => {
    if (level !== "trace" && level !== "debug")
      log(level === "information" ? message : `[${level}] ${message}`);
  });
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value !== undefined) process.env[name] = value;
  }
  // The host stands in for App Service authentication (./platform-auth), and says so as the platform does.
  const authenticate = createPlatformAuthentication({
    identity: process.env.LOCAL_DEV_IDENTITY,
    tokens: process.env.LOCAL_DEV_TOKENS,
  });
  const previousAuthEnabled = process.env.WEBSITE_AUTH_ENABLED;
  process.env.WEBSITE_AUTH_ENABLED = "True";
  installFunctionsCore();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.resolve(options.entry ?? path.join(ROOT, "src/index.ts")));
  const functions = getRegistrations();
  const config = readHostConfig(options.hostJsonDir ?? ROOT);
  const clock: Clock =
    typeof options.clock === "object"
      ? options.clock
      : options.clock === "real"
        ? new RealClock()
        : new VirtualClock();

  const byTrigger = (type: string) =>
    new Set(functions.filter((f) => f.trigger.type.toLowerCase() === type.toLowerCase()).map((f) => f.name));
  const orchestrators = byTrigger("orchestrationTrigger");
  const activities = byTrigger("activityTrigger");
  const entityFunctions = [...byTrigger("entityTrigger")];
  /** Runs a Durable-triggered function with its trigger value; resolves with its decoded return value. */
  const runTriggered = async (name: string, data: RpcTypedData | undefined): Promise<unknown> => {
    const fn = functions.find((f) => f.name === name)!;
    // An activity may take a Durable client input too (to start orchestrations), as the extension allows.
    const response = await invokeFunction(name, inputsFor(fn, data));
    return fromTypedData(response.returnValue);
  };
  const runner: FunctionRunner = {
    isOrchestrator: (name) => orchestrators.has(name),
    isActivity: (name) => activities.has(name),
    entityFunction: (name) => entityFunctions.find((f) => f.toLowerCase() === name.toLowerCase()),
    runOrchestrator: async (name, bindingInfo) =>
      (await runTriggered(name, { string: JSON.stringify(bindingInfo) })) as OrchestratorState,
    runEntity: async (name, bindingInfo) =>
      (await runTriggered(name, { string: JSON.stringify(bindingInfo) })) as EntityBatchResult,
    runActivity: (name, input) =>
      runTriggered(name, input === undefined ? undefined : { json: JSON.stringify(input) }),
  };
  const store: DurableStore = options.storageConnection
    ? new TableDurableStore(options.storageConnection, options.hubName ?? config.hubName)
    : memoryStore;
  const engine = new DurableEngine({
    runner,
    clock,
    store,
    maxConcurrentActivities: options.maxConcurrentActivities ?? config.maxConcurrentActivityFunctions,
    log,
    // The HR intake takes journaled notifications in after their answer; settle() waits for that too.
    background: afterAnswer,
  });

  const routes: HttpRoute[] = functions
    .filter((f) => f.trigger.type.toLowerCase() === "httptrigger")
    .map((fn) => ({
      fn,
      matcher: compileRoute(typeof fn.trigger.route === "string" ? fn.trigger.route : fn.name),
      methods: Array.isArray(fn.trigger.methods)
        ? (fn.trigger.methods as string[]).map((m) => m.toUpperCase())
        : undefined,
    }));

  let origin = "";
  const hubName = options.hubName ?? config.hubName;
  const durableApi = createDurableApi(engine, hubName);

  /** Fills the trigger and every durableClient input, as the host's binding pipeline does. */
  const inputsFor = (fn: RegisteredFunction, triggerData: RpcTypedData | undefined) => {
    const inputs: Record<string, RpcTypedData | undefined> = { [fn.trigger.name]: triggerData };
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (binding.direction === "in" && /^(durableClient|orchestrationClient)$/i.test(binding.type)) {
        inputs[name] = { string: JSON.stringify(durableClientData(origin, hubName)) };
      }
    }
    return inputs;
  };

  const invoke = async (name: string, input?: unknown): Promise<unknown> => {
    const fn = functions.find((f) => f.name === name);
    if (!fn) throw new Error(`No function named '${name}' is registered.`);
    const type = fn.trigger.type.toLowerCase();
    if (type === "httptrigger")
      throw new Error(`'${name}' is an HTTP function: call it over HTTP at ${origin}.`);
    const data: RpcTypedData | undefined =
      type === "timertrigger"
        ? { json: JSON.stringify(input ?? timerTriggerInput({ isPastDue: false })) }
        : input === undefined
          ? undefined
          : { json: JSON.stringify(input) };
    const response = await invokeFunction(name, inputsFor(fn, data));
    return fromTypedData(response.returnValue);
  };

  const handleHttpFunction = async (req: IncomingMessage, res: ServerResponse, url: URL, subPath: string) => {
    const method = (req.method ?? "GET").toUpperCase();
    let methodMismatch = false;
    for (const route of routes) {
      const params = route.matcher.match(subPath);
      if (!params) continue;
      if (route.methods && !route.methods.includes(method)) {
        methodMismatch = true;
        continue;
      }
      const signedIn = authenticate(headersOf(req));
      if (!signedIn.ok) {
        req.resume();
        return sendJson(res, 401, { error: "the bearer token is not valid here (LOCAL_DEV_TOKENS)" });
      }
      const body = await readBody(req);
      const httpData: RpcHttpData = toRpcHttpRequest(req, signedIn.headers, body, url, params);
      try {
        const response = await invokeFunction(route.fn.name, inputsFor(route.fn, { http: httpData }));
        writeRpcHttpResponse(res, response.returnValue?.http);
      } catch (error) {
        log(
          `[error] Function '${route.fn.name}' failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        if (!res.headersSent) res.writeHead(500).end();
      }
      return;
    }
    res.writeHead(methodMismatch ? 405 : 404).end();
  };

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, subPath: string) => {
    const [, resource, name] = subPath.split("/");
    if (resource === "host" && name === "status") {
      return sendJson(res, 200, { state: "Running", version: "4.0.0-local", id: "local" });
    }
    if (resource !== "functions") return sendJson(res, 404, { error: `No admin resource '${subPath}'.` });
    if (!name && req.method === "GET") return sendJson(res, 200, functions.map(describeFunction));
    const fn = functions.find((f) => f.name.toLowerCase() === decodeURIComponent(name ?? "").toLowerCase());
    if (!fn) return sendJson(res, 404, { error: `No function named '${name}'.` });
    if (req.method === "GET") return sendJson(res, 200, describeFunction(fn));
    if (req.method !== "POST") return sendJson(res, 405, { error: "Use GET or POST." });
    const text = (await readBody(req)).toString("utf8");
    let input: unknown;
    if (text) {
      const parsed = JSON.parse(text) as { input?: unknown };
      input = typeof parsed.input === "string" ? parseMaybeJson(parsed.input) : parsed.input;
    }
    try {
      await invoke(fn.name, fn.trigger.type.toLowerCase() === "timertrigger" ? undefined : input);
      sendJson(res, 202, undefined);
    } catch (error) {
      sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  };

  const describeFunction = (fn: RegisteredFunction) => {
    const isHttp = fn.trigger.type.toLowerCase() === "httptrigger";
    const route = typeof fn.trigger.route === "string" ? fn.trigger.route : fn.name;
    return {
      name: fn.name,
      href: `${origin}/admin/functions/${fn.name}`,
      invoke_url_template: isHttp
        ? `${origin}/${[config.routePrefix, route].filter(Boolean).join("/")}`
        : undefined,
      language: "node",
      isDisabled: false,
      trigger: fn.trigger.type,
      config: {
        bindings: Object.entries(fn.metadata.bindings).map(([bindingName, binding]) => ({
          name: bindingName,
          ...binding,
        })),
      },
    };
  };

  const prefix = config.routePrefix ? `/${config.routePrefix}` : "";
  const server = http.createServer((req, res) => {
    // URLs the app builds (createCheckStatusResponse) use the origin the caller used, as on the real host.
    const url = new URL(req.url ?? "/", req.headers.host ? `http://${req.headers.host}` : origin);
    const pathname = decodeURIComponent(url.pathname);
    const handle = async () => {
      if (pathname.startsWith(DURABLE_WEBHOOK_PATH)) {
        return durableApi(req, res, url, pathname.slice(DURABLE_WEBHOOK_PATH.length));
      }
      if (pathname === "/admin" || pathname.startsWith("/admin/"))
        return handleAdmin(req, res, pathname.slice(6));
      if (prefix && !(pathname === prefix || pathname.startsWith(prefix + "/")))
        return res.writeHead(404).end();
      return handleHttpFunction(req, res, url, url.pathname.slice(prefix.length));
    };
    handle().catch((error: unknown) => {
      log(`[error] ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent)
        sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.hostname ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${options.hostname ?? "127.0.0.1"}:${port}`;
  // durable-functions rewrites management URLs to localhost:7071 unless WEBSITE_HOSTNAME names the host.
  const previousHostname = process.env.WEBSITE_HOSTNAME;
  process.env.WEBSITE_HOSTNAME ??= `${options.hostname ?? "127.0.0.1"}:${port}`;

  await engine.resume();
  const timerStatus = options.storageConnection
    ? new TableTimerStatusStore(options.storageConnection, hubName)
    : undefined;
  const timers =
    clock.kind === "real"
      ? startTimerTriggers(functions, clock, invoke, log, timerStatus)
      : { stop: () => undefined };

  let stopped = false;
  return {
    url: origin,
    port,
    routePrefix: config.routePrefix,
    clock,
    functions,
    invoke,
    durable: {
      start: (orchestrator, startOptions) => engine.startNew(orchestrator, startOptions),
      status: (instanceId, statusOptions) => engine.getStatus(instanceId, statusOptions),
      raiseEvent: (instanceId, eventName, data) => engine.raiseEvent(instanceId, eventName, data),
      terminate: (instanceId, reason) => engine.terminate(instanceId, reason),
      purge: (instanceId) => engine.purge(instanceId),
      settle: () => engine.settle(),
      runUntilIdle: () => engine.runUntilIdle(),
      advance: (ms) => engine.advance(ms),
      waitForStatus: (instanceId, statuses) => engine.waitForStatus(instanceId, statuses),
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      timers.stop();
      // What the app still does after an answer finishes first (a few seconds at most), as it would at the
      // end of a test; what a stop cuts short stays in storage for the app's sweeps.
      await settledOrTimeout(afterAnswer, STOP_GRACE_MS);
      await engine.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (previousAuthEnabled === undefined) delete process.env.WEBSITE_AUTH_ENABLED;
      else process.env.WEBSITE_AUTH_ENABLED = previousAuthEnabled;
      if (
        previousHostname === undefined &&
        process.env.WEBSITE_HOSTNAME === `${options.hostname ?? "127.0.0.1"}:${port}`
      ) {
        delete process.env.WEBSITE_HOSTNAME;
      }
    },
  };
}

/** How long stop() waits for the app's work after its answers. */
const STOP_GRACE_MS = 5_000;

function settledOrTimeout(work: BackgroundWork, ms: number): Promise<void> {
  if (work.idle) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = work.onSettled(done);
  });
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
