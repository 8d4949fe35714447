import { AsyncLocalStorage } from "node:async_hooks";
import type { HttpFunctionOptions, InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import type { DurableClient } from "durable-functions";

const scope = new AsyncLocalStorage<DurableClient>();

/** The Durable client of the HTTP invocation in progress. */
export function currentDurableClient(): DurableClient {
  const client = scope.getStore();
  if (!client)
    throw new Error("no Durable client in scope: the function was registered without withDurableClient");
  return client;
}

type HttpApp = { http(name: string, options: HttpFunctionOptions): void };

/**
 * Registers HTTP functions with a Durable client input, and makes that client available to everything the
 * handler calls (`currentDurableClient`). Handlers built once at start-up, like the HR intake's, can then hand
 * events to orchestrations without knowing about Durable Functions.
 */
export function withDurableClient(app: HttpApp): HttpApp {
  return {
    http(name, options) {
      app.http(name, {
        ...options,
        extraInputs: [...(options.extraInputs ?? []), df.input.durableClient()],
        handler: (request, context: InvocationContext) =>
          scope.run(df.getClient(context), () => options.handler(request, context)),
      });
    },
  };
}
