/**
 * Reconciliation benchmark: N managed users, then one reconciliation run in report mode through the real app
 * (local host, real clock, the demo mapping) against the Genesys emulator at L requests/min per token. A few
 * users are changed by hand first, so the run has drift to find. Prints Genesys calls per managed user and the
 * Genesys half's wall time ÷ the rate-limit floor (calls ÷ L), from the run's own report and from the
 * emulator's counters, and checks that the run found exactly the drift made by hand.
 *
 *   npm run bench:reconciliation [-- --users 5000 --drifted 20 --limit 300 --time-scale 14 --provision copy]
 *
 * How the managed users come to exist is not what is measured. With `--provision copy` (the default), the app
 * provisions one hire per demo title (one bulk batch), and the rest are copies of those three: Genesys users
 * added through the emulator's admin API (`POST /emulator/users`) with the same division, roles, queues, skills
 * and languages, and employee rows written through the app's own repository as the lifecycle leaves them
 * after a hire, each with an employee id, email and name of its own (bench/support/managed-users.ts). With
 * `--provision app`, every user is provisioned through the app in one bulk batch (about 40 minutes for 5,000 on
 * a shared 2-core machine). Both give the same calls per user: a run over copies compares them exactly as it
 * compares hires (docs/reconciliation.md, Measured).
 *
 * The emulator's minute is shortened by the time scale, and the app's budget is set to the same scaled rate.
 * The emulator and Azurite run in their own processes, as Genesys and Table Storage would.
 */
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startLocalHost } from "../local/host";
import { DEV_AUTH_SETTINGS } from "../test/support/dev-auth";
import { spawnService } from "../test/support/processes";
import { benchCaller, DEMO_TITLES, demoHiresCsv, importDemoMapping } from "./support/demo-org";
import { spawnGenesysEmulator } from "./support/genesys-emulator";
import { copyManagedUsers } from "./support/managed-users";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "5000" },
    limit: { type: "string", default: "300" },
    "time-scale": { type: "string", default: "14" },
    drifted: { type: "string", default: "20" },
    provision: { type: "string", default: "copy" },
  },
});
const USERS = Number(values.users);
const LIMIT = Number(values.limit);
const TIME_SCALE = Number(values["time-scale"]);
const SCALED_LIMIT = LIMIT * TIME_SCALE;
/** Provisioning is not what is measured: it runs at a limit high enough not to matter. */
const PROVISIONING_LIMIT = 1_000_000;
const DRIFTED = Number(values.drifted);
if (values.provision !== "copy" && values.provision !== "app")
  throw new Error(`--provision must be "copy" or "app", not ${values.provision}`);
/** Users the app provisions: every one, or one per demo title to copy from. */
const PROVISIONED = values.provision === "app" ? USERS : Math.min(USERS, DEMO_TITLES.length);
const FIRST_ID = 900000;
const emailOf = (id: number) => `managed.${id}@example.com`;

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
      BENCH_USERS: String(PROVISIONED),
    },
  });
  await provisioner.stop();
  // The rest copy the provisioned ones in turn, as the bulk CSV gives the demo titles in turn.
  await copyManagedUsers({
    storage,
    genesysUrl,
    templates: Array.from({ length: PROVISIONED }, (_, i) => ({
      employeeKey: String(FIRST_ID + i),
      email: emailOf(FIRST_ID + i),
    })),
    copies: Array.from({ length: USERS - PROVISIONED }, (_, k) => {
      const i = PROVISIONED + k;
      return {
        employeeId: String(FIRST_ID + i),
        email: emailOf(FIRST_ID + i),
        lastName: `Managed${i}`,
        template: i % PROVISIONED,
      };
    }),
  });
  console.log(
    `${PROVISIONED} users provisioned through the app, ${USERS - PROVISIONED} copied, in ${((performance.now() - provisioning) / 1000).toFixed(0)} s (not measured)`,
  );
  await setLimit(LIMIT);
  const host = await startApp(storage, genesysUrl, SCALED_LIMIT);
  const call = benchCaller(host.url);
  try {
    // Drift to find: an administrator (not the product's OAuth client) takes a few users out of their queues, so
    // the run also asks Genesys's audit who did it, as it would in an organisation.
    const emulatorUser = async (email: string) =>
      (await (await fetch(`${genesysUrl}/emulator/users/${encodeURIComponent(email)}`)).json()) as {
        id: string;
        queues: { id: string }[];
      };
    const token = (await (
      await fetch(`${genesysUrl}/oauth/token`, {
        method: "POST",
        headers: {
          Authorization: `Basic ${Buffer.from("org-admin:org-admin-secret").toString("base64")}`,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      })
    ).json()) as { access_token: string };
    for (let i = 0; i < DRIFTED; i++) {
      const user = await emulatorUser(emailOf(FIRST_ID + i));
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
    console.log(
      `  load average         ${loadavg()
        .map((l) => l.toFixed(2))
        .join(", ")} (1, 5, 15 min)`,
    );
    const byEndpoint = Object.entries(counters.byEndpoint)
      .sort(([, a], [, b]) => b - a)
      .map(([endpoint, n]) => `${n} ${endpoint}`);
    console.log(`  calls by endpoint:\n    ${byEndpoint.join("\n    ")}`);
    // The managed users are as provisioned but for the drift made by hand: the run must find exactly that.
    const found = report.genesys as { managed?: number; inSync?: number; drifted?: number };
    if (found.managed !== USERS || found.drifted !== DRIFTED || found.inSync !== USERS - DRIFTED)
      throw new Error(
        `expected ${USERS} managed, ${DRIFTED} drifted and the rest in sync; the run found ${JSON.stringify(report.genesys)}`,
      );
    console.log(`  check                the run found exactly the ${DRIFTED} users drifted by hand`);
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
    const csv = demoHiresCsv(users, FIRST_ID, "managed", "Mia");
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
