import { startAzuriteTables, type AzuriteTables } from "../../local/azurite";
import { startGenesysEmulator, type GenesysEmulator } from "../../local/emulators/genesys";
import { startLocalHost, type LocalHost } from "../../local/host";
import { DEV_AUTH_SETTINGS, E2E_MAPPING, FUNCTION_KEY, hireEvent } from "../support/lifecycle-stack";

/** The OAuth client's cap in the emulator: low, so a few hires per instance would cross it at full pace. */
const CLIENT_CAP = 60;
const HIRES_PER_INSTANCE = 6;
const MINUTE = 60_000;

/**
 * Two app processes on one storage account against one Genesys emulator, each told that at most two instances
 * run: each spends half the client's cap, so together they never cross it. Real time throughout, because the
 * emulator counts requests per real minute.
 */
describe("one Genesys rate limit across two app instances", () => {
  let azurite: AzuriteTables;
  let genesys: GenesysEmulator;
  const hosts: LocalHost[] = [];

  beforeAll(async () => {
    azurite = await startAzuriteTables();
    genesys = await startGenesysEmulator({
      port: 0,
      limits: { perTokenPerMinute: 300, perClientPerMinute: CLIENT_CAP },
    });
    for (const hubName of ["instanceone", "instancetwo"]) {
      hosts.push(
        await startLocalHost({
          port: 0,
          clock: "real",
          storageConnection: azurite.connectionString,
          hubName,
          log: () => undefined,
          env: {
            TABLES_CONNECTION: azurite.connectionString,
            AzureWebJobsStorage: azurite.connectionString,
            GENESYS_API_BASE_URL: genesys.url,
            GENESYS_LOGIN_BASE_URL: genesys.url,
            GENESYS_REGION: "",
            GENESYS_CLIENT_ID: "lifecycle-local",
            GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
            HR_EVENTS_FUNCTION_KEY: FUNCTION_KEY,
            ...DEV_AUTH_SETTINGS,
            GENESYS_REQUESTS_PER_MINUTE: "300",
            GENESYS_CLIENT_REQUESTS_PER_MINUTE: String(CLIENT_CAP),
            GENESYS_MAX_INSTANCES: "2",
            // Half of a low cap is one call every two seconds: the mapping check may wait for its turn.
            GENESYS_MAX_WAIT_IN_ACTIVITY_SECONDS: "60",
          },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const host of hosts) await host.stop();
    await genesys?.close();
    await azurite?.close();
  });

  const call = (host: LocalHost, method: string, path: string, body: unknown) =>
    fetch(`${host.url}${path}`, {
      method,
      headers: {
        "x-functions-key": FUNCTION_KEY,
        "content-type": typeof body === "string" ? "application/yaml" : "application/json",
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it(
    "provisions hires on both instances with zero 429s and the combined rate within the client's cap",
    async () => {
      // One storage account: the mapping saved through one instance is the one both apply.
      expect((await call(hosts[0], "PUT", "/api/mappings", E2E_MAPPING)).status).toBe(201);
      const ids = hosts.map((_, h) =>
        Array.from({ length: HIRES_PER_INSTANCE }, (_, i) => String(810_000 + h * 100 + i)),
      );
      await Promise.all(
        hosts.flatMap((host, h) =>
          ids[h].map(async (id) =>
            expect((await call(host, "POST", "/api/hr/events", hireEvent(id))).status).toBe(202),
          ),
        ),
      );

      const all = ids.flat();
      const provisioned = () =>
        all.filter((id) => genesys.admin.users().some((u) => u.employerInfo?.employeeId === id)).length;
      const deadline = Date.now() + 8 * MINUTE;
      while (provisioned() < all.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 1000));

      const requests = genesys.admin.requests().filter((r) => r.path.startsWith("/api/"));
      expect(requests.filter((r) => r.status === 429)).toEqual([]);
      // Both instances spent from the client's cap, and no sixty seconds held more than the cap.
      const times = requests.map((r) => Date.parse(r.at)).sort((a, b) => a - b);
      let busiestMinute = 0;
      for (let first = 0, last = 0; last < times.length; last++) {
        while (times[last] - times[first] >= MINUTE) first++;
        busiestMinute = Math.max(busiestMinute, last - first + 1);
      }
      expect(busiestMinute).toBeLessThanOrEqual(CLIENT_CAP);
      expect(requests.length).toBeGreaterThan(CLIENT_CAP);
      expect(provisioned()).toBe(all.length);
    },
    12 * MINUTE,
  );
});
