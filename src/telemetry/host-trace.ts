import type { app as functionsApp, PreInvocationContext } from "@azure/functions";
import type { Telemetry } from "./telemetry";

type Hooks = Pick<typeof functionsApp.hook, "preInvocation" | "appTerminate">;

/**
 * Makes the Functions host's trace context (each invocation's `traceparent`) the parent of the spans a
 * function starts, so in Application Insights the app's spans sit under the host's request. This is what
 * `@azure/functions-opentelemetry-instrumentation` does for the global context; the port keeps its own.
 * The local host runs no hooks and sends no trace context: there, each HTTP call starts a trace.
 * When the worker shuts down, what is still buffered is exported.
 */
export function followHostTraceContext(hooks: Hooks, telemetry: Telemetry): void {
  if (!telemetry.enabled) return;
  hooks.preInvocation((context: PreInvocationContext) => {
    const host = context.invocationContext.traceContext;
    if (!host?.traceParent) return;
    const parent = {
      traceparent: host.traceParent,
      ...(host.traceState ? { tracestate: host.traceState } : {}),
    };
    const handler = context.functionHandler as (...args: unknown[]) => unknown;
    context.functionHandler = (...args: unknown[]) => telemetry.withParent(parent, () => handler(...args));
  });
  hooks.appTerminate(() => telemetry.shutdown());
}
