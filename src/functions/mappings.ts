import type { HttpHandler, HttpResponseInit } from "@azure/functions";
import { mappingSizeProblem } from "../lifecycle/mapping";
import { convertMapping, detectFormat, type MappingService } from "../storage/mappings-service";
import type { MappingFormat } from "../storage/mappings";
import type { AuthorizedHandler } from "./access";

export interface MappingsHandlerDependencies {
  mappings: MappingService;
}

const CONTENT_TYPES: Record<MappingFormat, string> = {
  yaml: "application/yaml; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/**
 * `GET /api/mappings`: the active mapping (or `?version=N`) as it was imported, in YAML or JSON by `Accept`
 * (the stored format when Accept names neither). `X-Mapping-Version` names the version served.
 */
export function createGetMappingHandler({ mappings }: MappingsHandlerDependencies): HttpHandler {
  return async (request) => {
    const requested = request.query.get("version");
    let versionNumber: number | undefined;
    if (requested !== null) {
      versionNumber = Number(requested);
      if (!Number.isInteger(versionNumber) || versionNumber < 1) {
        return problem(400, `version must be a positive whole number, not "${requested}"`);
      }
    }
    const loaded =
      versionNumber === undefined ? await mappings.getActive() : await mappings.getVersion(versionNumber);
    if (loaded === undefined) {
      return problem(
        404,
        versionNumber === undefined
          ? "no mapping is active yet: import one with PUT /api/mappings"
          : `mapping version ${versionNumber} does not exist`,
      );
    }
    const accept = request.headers.get("accept") ?? "";
    const format: MappingFormat = /json/i.test(accept)
      ? "json"
      : /yaml/i.test(accept)
        ? "yaml"
        : loaded.version.format;
    return {
      status: 200,
      body: convertMapping(loaded.version.source, loaded.version.format, format),
      headers: {
        "Content-Type": CONTENT_TYPES[format],
        "X-Mapping-Version": String(loaded.version.version),
        "Cache-Control": "no-store",
      },
    };
  };
}

/** `GET /api/mappings/versions`: every version, oldest first, with who imported it, when, and whether it is valid. */
export function createListMappingVersionsHandler({ mappings }: MappingsHandlerDependencies): HttpHandler {
  return async () => {
    const [versions, active] = await Promise.all([mappings.listVersions(), mappings.getActivePointer()]);
    return { status: 200, jsonBody: { active: active ?? null, versions } };
  };
}

/**
 * `PUT /api/mappings`: imports a YAML or JSON mapping. 400 with every schema error (line and field); 422 with
 * the org validation report (the version is kept, not activated); 201 with the new, active version.
 */
export function createPutMappingHandler({ mappings }: MappingsHandlerDependencies): AuthorizedHandler {
  return async (request, _context, caller) => {
    const source = await request.text();
    if (source.trim() === "")
      return problem(400, "the request body is empty: send the mapping file (YAML or JSON)");
    const tooBig = mappingSizeProblem(source);
    if (tooBig !== undefined) return problem(413, tooBig);
    let outcome;
    try {
      outcome = await mappings.import({
        source,
        importedBy: caller.name,
        format: detectFormat(source, request.headers.get("content-type") ?? undefined),
      });
    } catch (error) {
      if (error instanceof RangeError) return problem(413, error.message);
      throw error;
    }
    switch (outcome.kind) {
      case "INVALID_SCHEMA":
        return {
          status: 400,
          jsonBody: {
            error: `the mapping file has ${outcome.errors.length} problem(s); nothing was stored`,
            errors: outcome.errors,
          },
        };
      case "INVALID_FOR_ORG":
        return {
          status: 422,
          jsonBody: {
            error:
              `mapping version ${outcome.version.version} does not fit the org ` +
              `(${outcome.report.problems.length} problem(s)); it was stored but not activated`,
            version: outcome.version,
            report: outcome.report,
          },
        };
      case "ACTIVATED":
        return {
          status: 201,
          jsonBody: { version: outcome.version, active: outcome.active },
          headers: { Location: `/api/mappings?version=${outcome.version.version}` },
        };
    }
  };
}

export function problem(status: number, error: string): HttpResponseInit {
  return { status, jsonBody: { error } };
}
