/**
 * Reconciliation benchmark: N managed users (provisioned through the real app by one bulk batch, at a high
 * limit), then one reconciliation run in report mode through the real app (local host, real clock, the demo
 * mapping) against the Genesys emulator at L requests/min per token. A few users are changed by hand first,
 * so the run has drift to find. Prints Genesys calls per managed user and the Genesys half's wall time ÷ the
 * rate-limit floor (calls ÷ L), from the run's own report and from the emulator's counters.
 *
 *   npm run bench:reconciliation [-- --users 5000 --limit 300 --time-scale 14]
 *
 * The emulator's minute is shortened by the time scale, and the app's budget is set to the same scaled rate.
 * The emulator and Azurite run in their own processes, as Genesys and Table Storage would.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { startLocalHost } from "../local/host";
import { DEV_AUTH_SETTINGS } from "../test/support/dev-auth";
import { spawnService } from "../test/support/processes";
import { benchCaller, demoHiresCsv, importDemoMapping } from "./support/demo-org";
import { spawnGenesysEmulator } from "./support/genesys-emulator";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "5000" },
    limit: { type: "string", default: "300" },
    "time-scale": { type: "string", default: "14" },
    drifted: { type: "string", default: "20" },
  },
});
const USERS = Number(values.users);
const LIMIT = Number(values.limit);
const TIME_SCALE = Number(values["time-scale"]);
const SCALED_LIMIT = LIMIT * TIME_SCALE;
/** Provisioning is not what is measured: it runs at a limit high enough not to matter. */
const PROVISIONING_LIMIT = 1_000_000;
const DRIFTED = Number(values.drifted);

interface RunReport {
  status: string;
  genesys: Record<string, unknown>;
  cost: {
    genesysCalls: number;
    byPhase: Record<string, number>;
    callsPerManagedUser: number;
    floorSeconds: number;
    genesysSeconds: number;
    wallPerFloor: number;
    backOffs: number;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const azurite = await spawnService(path.join(__dirname, "support/azurite-main.ts"), /AZURITE (\S+)/);
  const storage = azurite.ready;
  const emulator = await spawnGenesysEmulator();
  const { admin, url: genesysUrl } = emulator;
  const setLimit = (perToken: number) =>
    admin("PUT", "/limits", {
      perTokenPerMinute: perToken,
      perClientPerMinute: perToken * 10,
      timeScale: TIME_SCALE,
    });
  // Provisioning is set up, not measured: it runs in a process of its own with a budget high enough not to
  // matter (a host composes the app once per process), then the app is started here on the same storage with
  // the budget the run is measured against.
  await setLimit(PROVISIONING_LIMIT);
  const provisioning = performance.now();
  const provisioner = await spawnService(__filename, /PROVISIONED (\d+)/, {
    env: {
      BENCH_PROVISION: "1",
      BENCH_STORAGE: storage,
      BENCH_GENESYS: genesysUrl,
      BENCH_USERS: String(USERS),
    },
  });
  await provisioner.stop();
  console.log(
    `provisioned ${provisioner.ready} users in ${((performance.now() - provisioning) / 1000).toFixed(0)} s (not measured)`,
  );
  await setLimit(LIMIT);
  const host = await startApp(storage, genesysUrl, SCALED_LIMIT);
  const call = benchCaller(host.url);
  try {
    // Drift to find: a few users lose their queues by hand.
    const emulatorUser = async (email: string) =>
      (await (await fetch(`${genesysUrl}/emulator/users/${encodeURIComponent(email)}`)).json()) as {
        id: string;
        queues: { id: string }[];
      };
    const token = (await (
      await fetch(`${genesysUrl}/oauth/token`, {
        method: "POST",
        headers: {
          Authorization: `Basic ${Buffer.from("lifecycle-local:lifecycle-local-secret").toString("base64")}`,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      })
    ).json()) as { access_token: string };
    for (let i = 0; i < DRIFTED; i++) {
      const user = await emulatorUser(`managed.${900000 + i}@example.com`);
      for (const queue of user.queues)
        await fetch(`${genesysUrl}/api/v2/routing/queues/${queue.id}/members/${user.id}`, {
          method: "DELETE",
          headers: { Authorization: `Bearer ${token.access_token}` },
        });
    }

    await admin("DELETE", "/requests");
    const started = performance.now();
    const accepted = await call("POST", "/api/reconciliation/runs", JSON.stringify({ mode: "report" }));
    if (accepted.status !== 202) throw new Error(`the run was refused: ${accepted.status}`);
    const location = accepted.headers.get("location")!;
    let report: RunReport | undefined;
    while (!report) {
      await sleep(500);
      const status = await call("GET", location);
      if (status.status === 200) report = (await status.json()) as RunReport;
    }
    const wallInS = (performance.now() - started) / 1000;
    const counters = await emulator.counters();
    const calls = counters.total - (counters.byEndpoint["POST /oauth/token"] ?? 0);
    const floorInS = (calls / SCALED_LIMIT) * 60;
    console.log(
      `reconciliation: ${USERS} managed users, demo mapping, L = ${LIMIT}/min per token on a ${TIME_SCALE}× clock`,
    );
    console.log(`  run                  ${report.status}; ${JSON.stringify(report.genesys)}`);
    console.log(
      `  calls per user       ${report.cost.callsPerManagedUser}  (${report.cost.genesysCalls} calls: ${JSON.stringify(report.cost.byPhase)})`,
    );
    console.log(
      `  wall ÷ floor         ${report.cost.wallPerFloor}  (Genesys half ${report.cost.genesysSeconds} s, floor ${report.cost.floorSeconds} s, ${report.cost.backOffs} back-offs)`,
    );
    console.log(
      `  emulator's count     ${calls} calls, ${(calls / USERS).toFixed(3)} per user; whole run ${wallInS.toFixed(1)} s ÷ floor ${floorInS.toFixed(1)} s = ${(wallInS / floorInS).toFixed(2)}`,
    );
    console.log(`  429s                 ${counters.byStatus["429"] ?? 0}`);
    const byEndpoint = Object.entries(counters.byEndpoint)
      .sort(([, a], [, b]) => b - a)
      .map(([endpoint, n]) => `${n} ${endpoint}`);
    console.log(`  calls by endpoint:\n    ${byEndpoint.join("\n    ")}`);
  } finally {
    await host.stop();
    await emulator.stop();
    await azurite.stop();
  }
}

/** The app, with its budget at this many requests per (real) minute per token. */
function startApp(storage: string, genesysUrl: string, requestsPerMinute: number) {
  return startLocalHost({
    port: 0,
    clock: "real",
    storageConnection: storage,
    log: () => undefined,
    env: {
      TABLES_CONNECTION: storage,
      AzureWebJobsStorage: storage,
      GENESYS_API_BASE_URL: genesysUrl,
      GENESYS_LOGIN_BASE_URL: genesysUrl,
      GENESYS_REGION: "",
      GENESYS_CLIENT_ID: "lifecycle-local",
      GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
      GENESYS_REQUESTS_PER_MINUTE: String(requestsPerMinute),
      GENESYS_CLIENT_REQUESTS_PER_MINUTE: String(requestsPerMinute * 10),
      HR_EVENTS_FUNCTION_KEY: "bench",
      ...DEV_AUTH_SETTINGS,
      ONBOARDING_BATCH_INTERVAL_MS: "0",
      RECONCILIATION_SCHEDULE: "off",
      RECONCILIATION_GENESYS_MODE: "report",
      RECONCILIATION_SLICE_PAUSE_MS: "0",
    },
  });
}

/** The provisioning process: the demo mapping and one bulk batch of N hires; prints PROVISIONED when done. */
async function provision() {
  const users = Number(process.env.BENCH_USERS);
  const host = await startApp(process.env.BENCH_STORAGE!, process.env.BENCH_GENESYS!, PROVISIONING_LIMIT);
  const call = benchCaller(host.url);
  try {
    await importDemoMapping(call);
    const csv = demoHiresCsv(users, 900000, "managed", "Mia");
    const batch = (await (await call("POST", "/api/onboarding/batches", csv, "text/csv")).json()) as {
      id: string;
    };
    for (;;) {
      await sleep(1000);
      if ((await call("GET", `/api/onboarding/batches/${batch.id}`)).status === 200) break;
    }
    console.log(`PROVISIONED ${users}`);
  } finally {
    await host.stop();
  }
}

(process.env.BENCH_PROVISION ? provision() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
