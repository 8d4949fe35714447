import { AsyncLocalStorage } from "node:async_hooks";
import type { FunctionInput, HttpFunctionOptions, InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import type { DurableClient } from "durable-functions";

/** The invocation's Durable client, made on first use: most requests never need one. */
const scope = new AsyncLocalStorage<() => DurableClient>();

/** The Durable client of the HTTP invocation in progress. */
export function currentDurableClient(): DurableClient {
  const client = scope.getStore();
  if (!client)
    throw new Error("no Durable client in scope: the function was registered without withDurableClient");
  return client();
}

function clientOf(context: InvocationContext): () => DurableClient {
  let client: DurableClient | undefined;
  return () => (client ??= df.getClient(context));
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
          scope.run(clientOf(context), () => options.handler(request, context)),
      });
    },
  };
}

/** Runs `work` with a Durable client in scope (a timer's, which the binding hands over as an argument). */
export const withClient = <T>(client: DurableClient, work: () => Promise<T>): Promise<T> =>
  scope.run(() => client, work);

/**
 * An activity with a Durable client input, run with that client in scope: an activity that hands events to the
 * HR intake (reconciliation) wakes or starts the employees' orchestrations as an HTTP intake does.
 */
export function withDurableClientActivity(handler: (input: unknown) => Promise<unknown>): {
  extraInputs: FunctionInput[];
  handler: (input: unknown, context: InvocationContext) => Promise<unknown>;
} {
  return {
    extraInputs: [df.input.durableClient()],
    handler: (input, context) => scope.run(clientOf(context), () => handler(input)),
  };
}
