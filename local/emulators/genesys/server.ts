/**
 * The HTTP front: one origin serving `POST /oauth/token`, the Platform API under `/api/v2/`, and the admin API
 * under `/emulator/`. Every answer carries `ININ-Correlation-Id`. Order for API calls, as a client meets it:
 * injected latency → dropped connection → token invalidation → authentication (401) → 429 storm → rate limits
 * (429) → injected
 * 5xx → the handler.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { handleAdmin, type GenesysEmulatorAdmin } from "./admin";
import { registerAuditRoutes } from "./audits";
import { registerAuthorizationRoutes } from "./authorization";
import { registerConversationRoutes } from "./conversations";
import { registerLimitRoutes } from "./limits";
import type { Emulator, RequestLogEntry } from "./emulator";
import { GenesysApiError } from "./errors";
import { authenticate, bearerToken, issueToken } from "./oauth";
import { registerPresenceRoutes } from "./presence";
import { registerRoutingRoutes } from "./routing";
import { Router, type Reply } from "./router";
import { registerSearchRoutes } from "./search";
import { registerUserRoutes } from "./users";

/** Genesys's documented `request.bytes.max`. */
const MAX_BODY_BYTES = 512_000;

export function buildRouter(): Router {
  const router = new Router();
  registerUserRoutes(router);
  registerSearchRoutes(router);
  registerAuthorizationRoutes(router);
  registerRoutingRoutes(router);
  registerPresenceRoutes(router);
  registerConversationRoutes(router);
  registerAuditRoutes(router);
  registerLimitRoutes(router);
  return router;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () =>
      size > MAX_BODY_BYTES
        ? reject(
            new GenesysApiError(
              413,
              "request.entity.too.large",
              `The request is over ${MAX_BODY_BYTES} bytes.`,
            ),
          )
        : resolve(Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

function parseJson(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new GenesysApiError(
      400,
      "bad.request",
      "The request could not be understood by the server due to malformed syntax.",
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createServer(emulator: Emulator, admin: GenesysEmulatorAdmin): http.Server {
  const router = buildRouter();

  return http.createServer((req, res) => {
    const started = Date.now();
    const correlationId = randomUUID();
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const method = (req.method ?? "GET").toUpperCase();
    const log: RequestLogEntry = {
      at: new Date(started).toISOString(),
      method,
      path: url.pathname,
      query: url.search,
      endpoint: "unmatched",
      status: 0,
      correlationId,
      durationMs: 0,
    };
    let extraHeaders: Record<string, string> = {};

    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const payload = body === undefined ? "" : JSON.stringify(body);
      res.writeHead(status, {
        "ININ-Correlation-Id": correlationId,
        ...(payload ? { "Content-Type": "application/json; charset=UTF-8" } : {}),
        "Content-Length": String(Buffer.byteLength(payload)),
        ...extraHeaders,
        ...headers,
      });
      res.end(payload);
      return status;
    };
    const sendError = (error: GenesysApiError) =>
      send(error.status, error.toBody(correlationId), error.extra.headers);
    const record = (status: number) => {
      log.status = status;
      log.durationMs = Date.now() - started;
      emulator.logRequest(log);
    };

    const handle = async (): Promise<void> => {
      const rawBody = await readBody(req);
      if (url.pathname.startsWith("/emulator/")) {
        try {
          const reply = handleAdmin(
            admin,
            method,
            url.pathname.slice("/emulator".length),
            url.searchParams,
            /json/.test(req.headers["content-type"] ?? "") ? parseJson(rawBody) : undefined,
            rawBody,
          );
          send(reply.status, reply.body);
        } catch (error) {
          send(400, { message: error instanceof Error ? error.message : String(error) });
        }
        return;
      }

      const faults = emulator.faults;
      const faulted = faults.pathPattern === "" || new RegExp(faults.pathPattern).test(url.pathname);
      if (faulted && faults.latencyMs + faults.latencyJitterMs > 0) {
        await sleep(faults.latencyMs + Math.round(emulator.random() * faults.latencyJitterMs));
        log.fault = "latency";
      }
      if (faulted && faults.dropRate > 0 && emulator.random() < faults.dropRate) {
        log.fault = "drop";
        log.endpoint = "dropped";
        record(0);
        req.socket.destroy();
        return;
      }

      if (url.pathname === "/oauth/token") {
        log.endpoint = `${method} /oauth/token`;
        if (method !== "POST")
          return record(sendError(new GenesysApiError(405, "method.not.allowed", "Use POST.")));
        if (faulted && faults.errorRate > 0 && emulator.random() < faults.errorRate)
          return record(injectedError());
        const reply = issueToken(emulator, req.headers.authorization, rawBody);
        return record(send(reply.status, reply.body));
      }

      const match = router.match(method, url.pathname);
      if (match) log.endpoint = `${method} ${match.route.template}`;
      if (faulted && faults.tokenInvalidationRate > 0 && emulator.random() < faults.tokenInvalidationRate) {
        const presented = emulator.tokens.get(bearerToken(req.headers.authorization));
        if (presented) {
          presented.invalidated = true;
          log.fault = "token";
        }
      }
      const { client, token } = authenticate(emulator, req.headers.authorization);
      log.clientId = client.id;
      // Read afresh: the latency above may have let other requests use up the storm.
      const storm = emulator.faults;
      if (faulted && storm.rateLimitStormRequests > 0) {
        emulator.faults = { ...storm, rateLimitStormRequests: storm.rateLimitStormRequests - 1 };
        log.fault = "storm";
        const retryAfter = storm.rateLimitStormRetryAfterSeconds;
        throw new GenesysApiError(
          429,
          "too.many.requests.retry.after",
          `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
          {
            limit: {
              key: "client.credentials.token.rate.per.minute",
              namespace: "platform.api",
              value: emulator.limiter.settings.perTokenPerMinute,
            },
            headers: { "Retry-After": String(retryAfter) },
          },
        );
      }
      extraHeaders = emulator.limiter.take(token, client.id, Date.now(), url.pathname);
      if (faulted && faults.errorRate > 0 && emulator.random() < faults.errorRate)
        return record(injectedError());
      if (!match) {
        throw router.knows(url.pathname)
          ? new GenesysApiError(405, "method.not.allowed", `${method} is not supported on ${url.pathname}`)
          : new GenesysApiError(404, "not.found", `No resource at ${url.pathname}`);
      }
      const body = parseJson(rawBody);
      if (method !== "GET" && body !== undefined) log.requestBody = body;
      const reply: Reply = await match.route.handler({
        method,
        path: url.pathname,
        params: match.params,
        query: url.searchParams,
        body,
        client,
        token,
        correlationId,
        emulator,
      });
      record(send(reply.status, reply.body, reply.headers));
      emulator.answered(method, url.pathname);
    };

    const injectedError = () => {
      const statuses = emulator.faults.errorStatuses;
      const status = statuses[Math.floor(emulator.random() * statuses.length)];
      log.fault = "error";
      const codes: Record<number, string> = {
        500: "internal.server.error",
        502: "bad.gateway",
        503: "service.unavailable",
        504: "gateway.timeout",
      };
      return sendError(
        new GenesysApiError(
          status,
          codes[status] ?? "server.error",
          "The service is temporarily unavailable (injected fault).",
        ),
      );
    };

    handle().catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof GenesysApiError) return record(sendError(error));
      const message = error instanceof Error ? error.message : String(error);
      record(sendError(new GenesysApiError(500, "internal.server.error", `Emulator failure: ${message}`)));
    });
  });
}

/** Starts listening; resolves with the bound port (useful with port 0). */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
