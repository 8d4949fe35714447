import type { HttpHandler, HttpRequest } from "@azure/functions";
import { buildOpenApiDocument, buildSwagger2Document, type DocumentOptions } from "../openapi/document";

/** The API contract's version (not the package's): raised when a route or body changes incompatibly. */
export const API_VERSION = "1.0.0";

type Builder = (options: DocumentOptions) => Record<string, unknown>;

/**
 * Serves an API document for the host the caller reached, so an imported connector calls the same app.
 * Built once per host: the operation list does not change while the app runs.
 */
function documentHandler(build: Builder): HttpHandler {
  const built = new Map<string, Record<string, unknown>>();
  return async (request: HttpRequest) => {
    const origin = new URL(request.url).origin;
    let document = built.get(origin);
    if (!document) {
      document = build({ origin, version: API_VERSION });
      built.set(origin, document);
    }
    return { status: 200, jsonBody: document, headers: { "Cache-Control": "public, max-age=300" } };
  };
}

/** `GET /api/openapi.json` (OpenAPI 3.0) and `GET /api/openapi/v2.json` (Swagger 2.0, for custom connectors). */
export const createOpenApiHandlers = () => ({
  openApi: documentHandler(buildOpenApiDocument),
  swagger2: documentHandler(buildSwagger2Document),
});
