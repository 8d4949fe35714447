/**
 * OTLP export for real: the app's telemetry, configured by OTEL_EXPORTER_OTLP_ENDPOINT, sends its traces and
 * metrics to a collector on this machine (a plain HTTP server recording what any OTLP/HTTP collector receives).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { spawnService } from "../../support/processes";

const EMIT = path.join(__dirname, "../../fixtures/telemetry-app/emit-otlp.ts");

let server: http.Server;
let url: string;
const received: { path: string; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", body: Buffer.concat(chunks).toString() });
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("telemetry over OTLP", () => {
  it("sends the spans and metrics to the configured collector", async () => {
    const emitter = await spawnService(EMIT, /EXPORTED (\w+)/, {
      env: {
        TABLES_CONNECTION: "UseDevelopmentStorage=true",
        GENESYS_API_BASE_URL: "http://127.0.0.1:1",
        GENESYS_LOGIN_BASE_URL: "http://127.0.0.1:1",
        GENESYS_CLIENT_ID: "c",
        GENESYS_CLIENT_SECRET: "s",
        OTEL_EXPORTER_OTLP_ENDPOINT: url,
        APPLICATIONINSIGHTS_CONNECTION_STRING: "",
        TELEMETRY_CONSOLE: "false",
      },
    });
    await emitter.stop();
    const traces = received.find((r) => r.path === "/v1/traces");
    const metrics = received.find((r) => r.path === "/v1/metrics");
    expect(traces?.body).toContain('"name":"lifecycle.activity"');
    expect(traces?.body).toContain("PATCH /api/v2/users/{id}");
    expect(traces?.body).toContain('"stringValue":"genesys-lifecycle"'); // service.name
    expect(metrics?.body).toContain('"name":"lifecycle.leavers.completed"');
  });
});
