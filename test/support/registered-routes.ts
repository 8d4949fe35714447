/**
 * The HTTP routes the app registers, found by running the real `registerFunctions` from src/app.ts. It is
 * given a recording `app`, and `@azure/functions`' own `app` is recorded too, because durable-functions'
 * `df.app.client.http` registers through that module rather than through the object passed in.
 * Dependencies are an inert stand-in: registration only stores them in handlers, which are never invoked.
 */
import * as functions from "@azure/functions";

export interface RegisteredRoute {
  name: string;
  route: string;
  methods: string[];
}

const HTTP_SHORTCUTS: Record<string, string> = {
  get: "GET",
  put: "PUT",
  post: "POST",
  patch: "PATCH",
  deleteRequest: "DELETE",
};

/** A value that tolerates any use during registration: every property, call or `new` yields itself. */
function inert(): unknown {
  const target = function () {};
  const proxy: unknown = new Proxy(target, {
    get: (_t, key) => {
      if (key === "then") return undefined; // not a thenable, or `await deps.x` would hang
      if (key === Symbol.toPrimitive) return () => "";
      if (key === Symbol.iterator) return function* () {};
      return proxy;
    },
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

function record(found: RegisteredRoute[], method: string, name: unknown, options: unknown) {
  if (typeof name !== "string") return;
  const opts = (typeof options === "object" && options !== null ? options : {}) as {
    route?: unknown;
    methods?: unknown;
    trigger?: { type?: unknown; route?: unknown; methods?: unknown };
  };
  if (method === "generic") {
    if (opts.trigger?.type !== "httpTrigger") return;
    Object.assign(opts, { route: opts.trigger.route, methods: opts.trigger.methods });
  }
  const methods =
    method in HTTP_SHORTCUTS
      ? [HTTP_SHORTCUTS[method]]
      : Array.isArray(opts.methods)
        ? opts.methods.map(String)
        : ["GET", "POST"];
  found.push({ name, route: typeof opts.route === "string" ? opts.route : name, methods });
}

/** Loads src/app.ts in an isolated module registry and returns every HTTP route it registers. */
export async function registeredRoutes(): Promise<RegisteredRoute[]> {
  const found: RegisteredRoute[] = [];
  const recorder = new Proxy(
    {},
    {
      get: (_t, method) => (name: unknown, options: unknown) => record(found, String(method), name, options),
    },
  );

  const spies = ["http", "generic", ...Object.keys(HTTP_SHORTCUTS)].map((method) =>
    jest
      .spyOn(functions.app as unknown as Record<string, (...args: unknown[]) => void>, method)
      .mockImplementation((name: unknown, options: unknown) => record(found, method, name, options)),
  );
  try {
    const { registerFunctions } = (await import("../../src/app")) as {
      registerFunctions: (app: unknown, deps: unknown) => void;
    };
    registerFunctions(recorder, inert());
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return found;
}

/** Whether a registered route template (`onboarding/batches/{id}`) serves a concrete path. */
export function routeMatches(template: string, path: string): boolean {
  const pattern = template
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${pattern}$`, "i").test(path.replace(/^\/+|\/+$/g, ""));
}
