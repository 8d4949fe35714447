/**
 * A stand-in for `@azure/functions-core`, the virtual module the Azure Functions Node.js worker injects into the
 * app. `@azure/functions` requires it on the first `app.*` call; when it is found, the library hands over every
 * registration (binding metadata plus handler) instead of switching to "test mode" and dropping them.
 *
 * jest maps the module name here (`moduleNameMapper` in jest.config.js); under tsx/node `installFunctionsCore()`
 * hooks `Module._load`. Functions are then invoked through the library's own `ProgrammingModel` →
 * `InvocationModel` (getArguments → invokeFunction → getResponse), exactly as the worker does.
 *
 * This is the library's internal contract with the worker. `@azure/functions` is pinned (4.16.5) and
 * `test/integration/local-host/functions-core.test.ts` fails loudly if the contract changes.
 */
import Module from "node:module";

/** The RPC shape of a binding, as the host's function metadata carries it. */
export interface RpcBindingInfo {
  type: string;
  direction?: "in" | "out" | "inout";
  [property: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: unknown;
}

/** RPC typed data: exactly one member is set. */
export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  stream?: Uint8Array;
  http?: RpcHttpData;
  int?: number;
  double?: number;
}

export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  params?: Record<string, string>;
  body?: RpcTypedData;
  statusCode?: string;
  cookies?: unknown[];
  enableContentNegotiation?: boolean;
}

export interface RpcInvocationResponse {
  invocationId: string;
  outputData?: { name: string; data: RpcTypedData }[];
  returnValue?: RpcTypedData | null;
}

type FunctionCallback = (...args: unknown[]) => unknown;

interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: unknown): InvocationModel;
}

/** One captured `app.*` / `df.app.*` registration. */
export interface RegisteredFunction {
  name: string;
  metadata: FunctionMetadata;
  /** The binding whose type ends in "Trigger". */
  trigger: RpcBindingInfo & { name: string };
  callback: FunctionCallback;
}

export type LogLevel = "trace" | "debug" | "information" | "warning" | "error" | "critical" | "none";
export type LogSink = (level: LogLevel, category: string, message: string) => void;

const registrations = new Map<string, RegisteredFunction>();
let programmingModel: ProgrammingModel | undefined;
let logSink: LogSink = (level, _category, message) => {
  if (level === "error" || level === "critical") console.error(message);
  else if (level === "warning") console.warn(message);
  else if (level !== "trace" && level !== "debug") console.log(message);
};

// ---- the module surface the library requires --------------------------------------------------------------

export const version = "local";
export const hostVersion = "4.0.0-local";

export function setProgrammingModel(model: ProgrammingModel): void {
  programmingModel = model;
}

export function getProgrammingModel(): ProgrammingModel | undefined {
  return programmingModel;
}

export function registerFunction(
  metadata: FunctionMetadata,
  callback: FunctionCallback,
): { dispose(): void } {
  const entry = Object.entries(metadata.bindings).find(([, b]) => /trigger$/i.test(b.type));
  if (!entry) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
  if (registrations.has(metadata.name)) {
    throw new Error(
      `A function named "${metadata.name}" is already registered; function names must be unique.`,
    );
  }
  registrations.set(metadata.name, {
    name: metadata.name,
    metadata,
    trigger: { ...entry[1], name: entry[0] },
    callback,
  });
  return { dispose: () => registrations.delete(metadata.name) };
}

/** Hooks (pre/post invocation, app start/terminate) are accepted and ignored, as the docs of this host say. */
export function registerHook(_hookName: string, _callback: unknown): { dispose(): void } {
  return { dispose: () => undefined };
}

export function log(level: LogLevel, category: string, message: string): void {
  logSink(level, category, message);
}

// ---- what the local host uses ------------------------------------------------------------------------------

/** Every function registered so far, in registration order. */
export function getRegistrations(): RegisteredFunction[] {
  return [...registrations.values()];
}

export function getRegistration(name: string): RegisteredFunction | undefined {
  return registrations.get(name);
}

/** Where function and system logs go (the console by default). */
export function setLogSink(sink: LogSink): void {
  logSink = sink;
}

let invocationCounter = 0;

/**
 * Invokes a registered function the way the worker does: RPC input data in, RPC response out.
 * `inputData` is keyed by binding name; the trigger binding's name is on `RegisteredFunction.trigger`.
 * A handler that throws rejects with that error.
 */
export async function invokeFunction(
  name: string,
  inputData: Record<string, RpcTypedData | undefined>,
  triggerMetadata: Record<string, RpcTypedData> = {},
): Promise<RpcInvocationResponse> {
  const registration = registrations.get(name);
  if (!registration) throw new Error(`No function named "${name}" is registered.`);
  if (!programmingModel) throw new Error("@azure/functions never called setProgrammingModel.");
  const invocationId = `local-${++invocationCounter}`;
  const request = {
    invocationId,
    functionId: name,
    inputData: Object.entries(inputData).map(([bindingName, data]) => ({ name: bindingName, data })),
    triggerMetadata,
  };
  const model = programmingModel.getInvocationModel({
    invocationId,
    request,
    metadata: { name, bindings: registration.metadata.bindings },
    state: "invocation",
    log: (level: LogLevel, category: string, message: string) => logSink(level, category, message),
  });
  const { context, inputs } = await model.getArguments();
  const result = await model.invokeFunction(context, inputs, registration.callback);
  return model.getResponse(context, result);
}

/** Decodes RPC typed data into a plain value, the inverse of `@azure/functions`' toRpcTypedData. */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
  if (data === null || data === undefined) return undefined;
  if (data.string !== undefined) return data.string;
  if (data.json !== undefined) return JSON.parse(data.json);
  if (data.bytes !== undefined) return Buffer.from(data.bytes);
  if (data.int !== undefined) return data.int;
  if (data.double !== undefined) return data.double;
  return undefined;
}

let installed = false;

/**
 * Makes `require("@azure/functions-core")` return this module in plain node/tsx (jest uses moduleNameMapper).
 * Must run before the app's first `app.*` call.
 */
export function installFunctionsCore(): void {
  if (installed) return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const self = require(__filename) as unknown;
  const moduleWithLoad = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
  };
  const originalLoad = moduleWithLoad._load;
  moduleWithLoad._load = function load(request: string, parent: unknown, isMain: boolean) {
    if (request === "@azure/functions-core") return self;
    return originalLoad.call(this, request, parent, isMain);
  };
}
