import { z } from "zod";
import {
  OPERATIONS,
  SECURITY_SCHEMES,
  type Content,
  type MediaType,
  type OperationDoc,
  type ParameterDoc,
  type SecurityName,
} from "./operations";

/**
 * Builds the app's API documents from the operation list: OpenAPI 3.0 for most tools, Swagger 2.0 for a Logic
 * Apps (or Power Automate) custom connector. Schemas come from zod (`z.toJSONSchema`, as the request's input).
 */

type JsonObject = Record<string, unknown>;

const TITLE = "genesys-lifecycle";
const DESCRIPTION =
  "HR lifecycle events (Workday, SuccessFactors, normalized JSON, bulk CSV) turned into Genesys Cloud users. " +
  "Every accepted event is stored before the answer; what cannot be processed is quarantined with the reason.";

export interface DocumentOptions {
  /** e.g. https://func-x.azurewebsites.net; the documents put the API under `<origin>/api`. */
  origin: string;
  version: string;
  operations?: OperationDoc[];
}

/** An OpenAPI 3.0 Schema Object from a zod schema. */
export function openApiSchema(schema: z.ZodType): JsonObject {
  const generated = z.toJSONSchema(schema, {
    target: "openapi-3.0",
    io: "input",
    unrepresentable: "any",
  }) as JsonObject;
  delete generated.$schema;
  return generated;
}

/** `{id}` and `{id:int}` path parameters of a route, in order. */
const pathParameters = (route: string) => [...route.matchAll(/\{\*?(\w+)[^}]*\}/g)].map((m) => m[1]);
const openApiPath = (route: string) => `/${route.replace(/\{\*?(\w+)[^}]*\}/g, "{$1}")}`;

function parametersOf(operation: OperationDoc): ParameterDoc[] {
  const declared = operation.parameters ?? [];
  const implicit = pathParameters(operation.route)
    .filter((name) => !declared.some((p) => p.in === "path" && p.name === name))
    .map((name): ParameterDoc => ({
      name,
      in: "path",
      required: true,
      description: `The ${name}.`,
      schema: z.string(),
    }));
  return [...declared, ...implicit];
}

const isOptional = (schema: z.ZodType) => schema.safeParse(undefined).success;

function securityRequirements(alternatives: SecurityName[][]): JsonObject[] {
  return alternatives.map((names) => Object.fromEntries(names.map((name) => [name, []])));
}

function mediaContent(content: Content): JsonObject {
  return {
    schema: openApiSchema(content.schema),
    ...(content.example === undefined ? {} : { example: content.example }),
  };
}

/** The OpenAPI 3.0 document. */
export function buildOpenApiDocument(options: DocumentOptions): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const operation of options.operations ?? OPERATIONS) {
    const parameters = parametersOf(operation).map((p) => ({
      name: p.name,
      in: p.in,
      description: p.description,
      required: p.in === "path" ? true : (p.required ?? !isOptional(p.schema)),
      schema: openApiSchema(p.schema),
    }));
    const responses = Object.fromEntries(
      Object.entries(operation.responses).map(([status, response]) => [
        status,
        {
          description: response.description,
          ...(response.headers
            ? {
                headers: Object.fromEntries(
                  Object.entries(response.headers).map(([name, h]) => [
                    name,
                    { description: h.description, schema: openApiSchema(h.schema) },
                  ]),
                ),
              }
            : {}),
          ...(response.content
            ? {
                content: Object.fromEntries(
                  Object.entries(response.content).map(([type, c]) => [type, mediaContent(c)]),
                ),
              }
            : {}),
        },
      ]),
    );
    paths[openApiPath(operation.route)] ??= {};
    paths[openApiPath(operation.route)][operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: [operation.tag],
      security: securityRequirements(operation.security),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: operation.body.required,
              ...(operation.body.description ? { description: operation.body.description } : {}),
              content: Object.fromEntries(
                Object.entries(operation.body.content).map(([type, c]) => [type, mediaContent(c)]),
              ),
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.0.3",
    info: { title: TITLE, version: options.version, description: DESCRIPTION },
    servers: [{ url: `${options.origin}/api` }],
    tags: [...new Set((options.operations ?? OPERATIONS).map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: { securitySchemes: securitySchemesFor("openapi3") },
  };
}

/** The security schemes as each document version states them. */
function securitySchemesFor(version: "openapi3" | "swagger2"): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(SECURITY_SCHEMES).map(([name, scheme]) => {
      const { description } = scheme;
      switch (scheme.kind) {
        case "basic":
          return [
            name,
            version === "openapi3"
              ? { type: "http", scheme: "basic", description }
              : { type: "basic", description },
          ];
        case "bearer":
          return [
            name,
            version === "openapi3"
              ? { type: "http", scheme: "bearer", bearerFormat: "JWT", description }
              : // Swagger 2.0 has no bearer scheme: the token goes in the Authorization header as `Bearer <token>`.
                { type: "apiKey", in: "header", name: "Authorization", description },
          ];
        default:
          return [
            name,
            {
              type: "apiKey",
              in: scheme.kind === "apiKeyHeader" ? "header" : "query",
              name: scheme.name,
              description,
            },
          ];
      }
    }),
  );
}

/**
 * An OpenAPI 3.0 schema as a Swagger 2.0 one: `nullable` becomes `x-nullable`, and a union (which Swagger 2.0
 * cannot state) becomes its common type with the alternatives listed in `x-anyOf` for a reader.
 */
export function swagger2Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(swagger2Schema);
  if (typeof schema !== "object" || schema === null) return schema;
  const source = schema as JsonObject;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === "nullable") {
      if (value === true) out["x-nullable"] = true;
    } else if (key === "anyOf" || key === "oneOf") {
      const variants = (value as unknown[]).map(swagger2Schema) as JsonObject[];
      const types = new Set(variants.map((v) => v.type));
      if (types.size === 1 && typeof variants[0].type === "string") out.type = variants[0].type;
      out["x-anyOf"] = variants;
    } else if (key === "properties" || key === "patternProperties") {
      out[key] = Object.fromEntries(
        Object.entries(value as JsonObject).map(([k, v]) => [k, swagger2Schema(v)]),
      );
    } else if (key === "propertyNames") {
      continue;
    } else {
      out[key] = swagger2Schema(value);
    }
  }
  return out;
}

/** The Swagger 2.0 document: one body schema per operation (the first content type's). */
export function buildSwagger2Document(options: DocumentOptions): JsonObject {
  const origin = new URL(options.origin);
  const paths: Record<string, JsonObject> = {};
  for (const operation of options.operations ?? OPERATIONS) {
    const parameters: JsonObject[] = parametersOf(operation).map((p) => {
      const schema = swagger2Schema(openApiSchema(p.schema)) as JsonObject;
      delete schema["x-anyOf"];
      return {
        name: p.name,
        in: p.in,
        description: p.description,
        required: p.in === "path" ? true : (p.required ?? !isOptional(p.schema)),
        ...schema,
      };
    });
    const bodyTypes = Object.keys(operation.body?.content ?? {}) as MediaType[];
    const primary = bodyTypes[0] === undefined ? undefined : operation.body!.content[bodyTypes[0]];
    if (primary) {
      parameters.push({
        name: "body",
        in: "body",
        required: operation.body!.required,
        description: operation.body!.description ?? `As ${bodyTypes.join(" or ")}.`,
        schema: swagger2Schema(openApiSchema(primary.schema)),
      });
    }
    const produces = new Set<string>();
    const responses = Object.fromEntries(
      Object.entries(operation.responses).map(([status, response]) => {
        const types = Object.keys(response.content ?? {}) as MediaType[];
        types.forEach((t) => produces.add(t));
        const first = types[0] === undefined ? undefined : response.content![types[0]];
        return [
          status,
          {
            description: response.description,
            ...(first ? { schema: swagger2Schema(openApiSchema(first.schema)) } : {}),
            ...(response.headers
              ? {
                  headers: Object.fromEntries(
                    Object.entries(response.headers).map(([name, h]) => [
                      name,
                      { description: h.description, type: "string" },
                    ]),
                  ),
                }
              : {}),
          },
        ];
      }),
    );
    const examples = primary?.example === undefined ? {} : { "x-example": primary.example };
    const path = openApiPath(operation.route);
    paths[path] ??= {};
    paths[path][operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      description: operation.description ?? operation.summary,
      tags: [operation.tag],
      security: securityRequirements(operation.security),
      ...(bodyTypes.length > 0 ? { consumes: bodyTypes } : {}),
      ...(produces.size > 0 ? { produces: [...produces] } : {}),
      parameters,
      responses,
      ...examples,
    };
  }
  return {
    swagger: "2.0",
    info: { title: TITLE, version: options.version, description: DESCRIPTION },
    host: origin.host,
    basePath: "/api",
    schemes: [origin.protocol.replace(":", "")],
    paths,
    securityDefinitions: securitySchemesFor("swagger2"),
  };
}
