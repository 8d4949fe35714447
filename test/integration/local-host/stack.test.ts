import path from "node:path";
import { buildSfExternalEvent } from "../../../local/emulators/successfactors";
import { loadLocalSettings, startLocalStack, type LocalService } from "../../../local/stack";

const root = path.resolve(__dirname, "../../..");

describe("the npm start stack", () => {
  it("reads local.settings.example.json when local.settings.json is absent, environment first", () => {
    const settings = loadLocalSettings(root, { GENESYS_CLIENT_ID: "from-env" });
    expect(settings).toMatchObject({ FUNCTIONS_WORKER_RUNTIME: "node", GENESYS_CLIENT_ID: "from-env" });
  });

  it("starts Azurite and extra services before the real app, serves it, and closes everything", async () => {
    const events: string[] = [];
    const fakeEmulator: LocalService = {
      name: "probe service",
      start: async () => {
        events.push("probe started");
        return { url: "http://127.0.0.1:1", close: async () => void events.push("probe closed") };
      },
    };
    const { defaultServices } = await import("../../../local/stack");
    const settings = loadLocalSettings(root, {});
    const azuritePorts = { blob: 0, queue: 0, table: 0 };
    const emulatorPorts = { genesys: 0, workday: 0, successFactors: 0 };
    const stack = await startLocalStack({
      port: 0,
      azuritePorts,
      emulatorPorts,
      settings,
      services: [...defaultServices(settings, { azuritePorts, emulatorPorts }), fakeEmulator],
      log: () => undefined,
    });
    try {
      expect(stack.services.map((s) => s.name)).toEqual([
        "Azurite (blob, queue, table)",
        "Genesys Cloud emulator",
        "Workday emulator (Get_Workers)",
        "SuccessFactors emulator (OData v2, OAuth)",
        "probe service",
      ]);
      const health = (await (await fetch(`${stack.host.url}/api/health/details`)).json()) as {
        checks: Record<string, { ok: boolean }>;
      };
      expect(health.checks.storage.ok).toBe(true); // the app reached the Azurite the stack started
      expect(health.checks.genesys.ok).toBe(true); // …and the Genesys emulator, on its free port
      // The demo mapping was imported, so the demo works from the first request.
      expect((await fetch(`${stack.host.url}/api/mappings`)).status).toBe(200);
      // The API documents are served by the real app, naming the host it was reached at.
      const swagger = (await (await fetch(`${stack.host.url}/api/openapi/v2.json`)).json()) as {
        host: string;
      };
      expect(swagger.host).toBe(new URL(stack.host.url).host);
      // SuccessFactors is reached with OAuth by default: the app's token works (the person is merely unknown).
      const notified = await fetch(`${stack.host.url}/api/hr/successfactors`, {
        method: "POST",
        headers: {
          "content-type": "text/xml",
          authorization: `Basic ${Buffer.from(`${settings.SF_NOTIFICATION_USER}:${settings.SF_NOTIFICATION_PASSWORD}`).toString("base64")}`,
        },
        body: buildSfExternalEvent({
          type: "com.successfactors.Employment.AssignmentInformation.Hire",
          personIdExternal: "nobody-yet",
          effectiveStartDate: "2026-12-01",
        }),
      });
      // Acknowledged first; the employee's orchestration reads the person back and quarantines the unknown one.
      expect(await notified.text()).toContain("accepted 1");
      const reasons = async () =>
        (
          (await (await fetch(`${stack.host.url}/api/hr/quarantine`)).json()) as {
            entries: { reason: string }[];
          }
        ).entries.map((e) => e.reason);
      const deadline = Date.now() + 60_000;
      while ((await reasons()).length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await reasons()).toEqual(["OData has no PerPerson for personIdExternal nobody-yet"]);
    } finally {
      await stack.stop();
    }
    expect(events).toEqual(["probe started", "probe closed"]);
    await expect(fetch(`${stack.host.url}/api/health`)).rejects.toThrow();
  });
});
