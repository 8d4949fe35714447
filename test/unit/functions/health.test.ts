import { HttpRequest, InvocationContext } from "@azure/functions";
import { createHealthHandler } from "../../../src/functions/health";

const request = new HttpRequest({ method: "GET", url: "http://localhost:7071/api/health" });

describe("GET /api/health", () => {
  it("answers anonymous probes with the status alone: no part names, no error texts", async () => {
    const handler = createHealthHandler({
      detailed: false,
      checks: {
        genesys: async () => {
          throw new Error("Genesys refused the OAuth client 'x' (invalid_client)");
        },
      },
    });
    expect(await handler(request, new InvocationContext())).toEqual({
      status: 503,
      jsonBody: { status: "unhealthy" },
      headers: { "Cache-Control": "no-store" },
    });
  });

  it("answers 200 when every check passes", async () => {
    const handler = createHealthHandler({
      checks: { storage: async () => undefined, genesys: async () => undefined },
    });
    const response = await handler(request, new InvocationContext());
    expect(response).toMatchObject({
      status: 200,
      jsonBody: { status: "healthy", failing: [], checks: { storage: { ok: true }, genesys: { ok: true } } },
    });
  });

  it("answers 503 naming the failing part and its reason", async () => {
    const handler = createHealthHandler({
      checks: {
        storage: async () => undefined,
        genesys: async () => {
          throw new Error("Genesys refused the OAuth client 'x' (invalid_client)");
        },
      },
    });
    const response = await handler(request, new InvocationContext());
    expect(response).toMatchObject({
      status: 503,
      jsonBody: {
        status: "unhealthy",
        failing: ["genesys"],
        checks: { genesys: { ok: false, error: "Genesys refused the OAuth client 'x' (invalid_client)" } },
      },
    });
  });

  it("reports a check that hangs as failed instead of hanging itself", async () => {
    const handler = createHealthHandler({
      checks: { storage: () => new Promise<void>(() => undefined) },
      timeoutInMs: 20,
    });
    const response = await handler(request, new InvocationContext());
    expect(response).toMatchObject({
      status: 503,
      jsonBody: { checks: { storage: { ok: false, error: "no answer within 20 ms" } } },
    });
  });
});
