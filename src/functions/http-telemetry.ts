import type { HttpFunctionOptions } from "@azure/functions";
import { ATTR, SPANS, type Telemetry } from "../telemetry";

type HttpApp = { http(name: string, options: HttpFunctionOptions): void };

/**
 * Registers HTTP functions so each invocation is a span with the function, route template, method and status
 * code: never the URL, the query or a header, which may carry a key or an email address. Spans of the work
 * the handler does (an HR event's intake) are its children.
 */
export function withHttpTelemetry<A extends HttpApp>(app: A, telemetry: Telemetry): A {
  if (!telemetry.enabled) return app;
  return {
    ...app,
    http(name: string, options: HttpFunctionOptions) {
      app.http(name, {
        ...options,
        handler: (request, context) =>
          telemetry.inSpan(
            SPANS.http,
            {
              [ATTR.functionName]: name,
              [ATTR.httpMethod]: request.method,
              [ATTR.httpRoute]: options.route ?? name,
            },
            async (span) => {
              const response = await options.handler(request, context);
              span.set({ [ATTR.statusCode]: response.status ?? 200 });
              return response;
            },
          ),
      });
    },
  };
}
