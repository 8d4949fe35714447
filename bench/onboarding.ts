/**
 * Bulk onboarding benchmark: N hires through the real app (local host, real clock, the demo mapping) against the
 * Genesys emulator at a limit of L requests/min per token. Prints API calls per hire, wall time ÷ the rate-limit
 * floor (calls ÷ L), the number of 429s, and the latency from an accepted HR event to the invitation for single
 * hires.
 *
 *   npm run bench:onboarding [-- --hires 500 --limit 300 --time-scale 14 --singles 20 --latency 50]
 *   npm run bench:onboarding -- --hires 5000 --singles 0      (a batch of 5,000)
 *
 * It also prints the app process's peak memory (resident set; the app, its local host and the bench driver
 * share this process, the emulator and Azurite do not), the most history events any one orchestration
 * instance of the batch held (sampled while it runs, and at the end for every slice), and how many times the
 * batch's progress moved while it ran, and the app process's CPU time over the batch's wall time, with the
 * machine's load: on a busy machine a ratio near one core says the app was starved of CPU, not held back by
 * the rate budget.
 *
 * The emulator's minute is shortened by the time scale (14: a minute lasts about 4.3 s), so 500 hires at the
 * default 300/min take about a minute; the app's budget is set to the same scaled rate. The emulator and
 * Azurite run in their own processes, as Genesys and Table Storage would, so their work does not slow the
 * app down.
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startLocalHost, type LocalHost } from "../local/host";
import { batchInstanceId } from "../src/functions/batch-status";
import { DEV_AUTH_SETTINGS } from "../test/support/dev-auth";
import { spawnService } from "../test/support/processes";
import { benchCaller, DEMO_TITLES, demoHiresCsv, importDemoMapping } from "./support/demo-org";
import { spawnGenesysEmulator } from "./support/genesys-emulator";
import { cpuTimeMs } from "./support/process-cpu";

const { values } = parseArgs({
  options: {
    hires: { type: "string", default: "500" },
    limit: { type: "string", default: "300" },
    "time-scale": { type: "string", default: "14" },
    singles: { type: "string", default: "20" },
    latency: { type: "string", default: "50" },
  },
});
const HIRES = Number(values.hires);
const LIMIT = Number(values.limit);
const TIME_SCALE = Number(values["time-scale"]);
/** What the app's budget sees: L per emulator minute is L × scale per real minute. */
const SCALED_LIMIT = LIMIT * TIME_SCALE;
const SINGLES = Number(values.singles);
const LATENCY_MS = Number(values.latency);

/** The Genesys emulator in a child process, with the admin calls this bench uses. */
async function spawnBenchEmulator() {
  const { url, pid, admin, counters, stop } = await spawnGenesysEmulator();
  return {
    url,
    pid,
    admin: {
      setLimits: (limits: Record<string, number>) => admin("PUT", "/limits", limits),
      setFaults: (faults: Record<string, number>) => admin("PUT", "/faults", faults),
      clearRequests: () => admin("DELETE", "/requests"),
      counters,
      invited: async (email: string) => {
        const response = await fetch(`${url}/emulator/users/${encodeURIComponent(email)}`);
        if (!response.ok) return false;
        return typeof ((await response.json()) as { dateWelcomeSent?: string }).dateWelcomeSent === "string";
      },
    },
    close: stop,
  };
}

async function main() {
  const azurite = await spawnService(path.join(__dirname, "support/azurite-main.ts"), /AZURITE (\S+)/);
  const storage = azurite.ready;
  const genesys = await spawnBenchEmulator();
  await genesys.admin.setLimits({
    perTokenPerMinute: LIMIT,
    perClientPerMinute: LIMIT * 10,
    timeScale: TIME_SCALE,
  });
  const host = await startLocalHost({
    port: 0,
    clock: "real",
    storageConnection: storage,
    log: () => undefined,
    env: {
      TABLES_CONNECTION: storage,
      AzureWebJobsStorage: storage,
      GENESYS_API_BASE_URL: genesys.url,
      GENESYS_LOGIN_BASE_URL: genesys.url,
      GENESYS_REGION: "",
      GENESYS_CLIENT_ID: "lifecycle-local",
      GENESYS_CLIENT_SECRET: "lifecycle-local-secret",
      GENESYS_REQUESTS_PER_MINUTE: String(SCALED_LIMIT),
      GENESYS_CLIENT_REQUESTS_PER_MINUTE: String(SCALED_LIMIT * 10),
      HR_EVENTS_FUNCTION_KEY: "bench",
      ...DEV_AUTH_SETTINGS,
      ONBOARDING_BATCH_INTERVAL_MS: "0",
    },
  });
  const call = benchCaller(host.url);
  try {
    await importDemoMapping(call);

    // Bulk: N hires in one CSV.
    const csv = demoHiresCsv(HIRES, 800000, "bulk", "Bea");
    await genesys.admin.clearRequests();
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const servicesAtStart = [cpuTimeMs(azurite.child.pid!), cpuTimeMs(genesys.pid)];
    const accepted = await call("POST", "/api/onboarding/batches", csv, "text/csv");
    const { id } = (await accepted.json()) as { id: string };
    let report: { totals: Record<string, number> } | undefined;
    const progressSeen = new Set<string>();
    let mostBatchHistory = 0;
    while (!report) {
      // Polled often enough that the wall time is the batch's, not the poll's.
      await new Promise((r) => setTimeout(r, 100));
      const status = await fetch(`${host.url}/api/onboarding/batches/${id}`);
      if (status.status === 200) report = (await status.json()) as { totals: Record<string, number> };
      else progressSeen.add(JSON.stringify(((await status.json()) as { progress?: unknown }).progress));
      mostBatchHistory = Math.max(mostBatchHistory, historyLength(host, batchInstanceId(id)));
    }
    const wallInS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    const cpuInS = (cpu.user + cpu.system) / 1e6;
    const [azuriteCpuInS, genesysCpuInS] = [cpuTimeMs(azurite.child.pid!), cpuTimeMs(genesys.pid)].map(
      (ms, i) => (ms - servicesAtStart[i]) / 1000,
    );
    const counters = await genesys.admin.counters();
    const floorInS = (counters.total / SCALED_LIMIT) * 60;
    console.log(
      `bulk onboarding: ${HIRES} hires, demo mapping, L = ${LIMIT}/min per token on a ${TIME_SCALE}× clock`,
    );
    console.log(`  totals               ${JSON.stringify(report.totals)}`);
    console.log(`  API calls per hire   ${(counters.total / HIRES).toFixed(2)}  (${counters.total} calls)`);
    console.log(
      `  wall ÷ floor         ${(wallInS / floorInS).toFixed(2)}  (wall ${wallInS.toFixed(1)} s, floor ${floorInS.toFixed(1)} s)`,
    );
    console.log(`  429s                 ${counters.byStatus["429"] ?? 0}`);
    // The app's CPU over the wall time: near one core, the app (single-threaded) was busy all along and the
    // machine, not the rate budget, set the pace.
    console.log(
      `  app CPU              ${cpuInS.toFixed(1)} s over ${wallInS.toFixed(1)} s wall (${(cpuInS / wallInS).toFixed(2)} of a core; load ${os.loadavg()[0].toFixed(1)})`,
    );
    // Azurite and the emulator each run on one thread too: one near a core is what the app waited on.
    console.log(
      `  services CPU         Azurite ${azuriteCpuInS.toFixed(1)} s (${(azuriteCpuInS / wallInS).toFixed(2)} of a core), Genesys emulator ${genesysCpuInS.toFixed(1)} s (${(genesysCpuInS / wallInS).toFixed(2)})`,
    );
    const batch = batchInstanceId(id);
    const children = Array.from({ length: Math.ceil(HIRES / 10) }, (_, i) => [
      `${batch}:slice-${i * 10}`,
      `${batch}:finish-${i * 10}`,
    ]).flat();
    const mostChildHistory = Math.max(0, ...children.map((child) => historyLength(host, child)));
    console.log(
      `  peak memory          ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB resident (app process)`,
    );
    console.log(
      `  history per instance batch ≤ ${mostBatchHistory} events (sampled), slices ≤ ${mostChildHistory} events`,
    );
    console.log(`  progress updates     ${progressSeen.size} distinct while running`);
    const perHire = Object.entries(counters.byEndpoint)
      .map(([endpoint, n]) => `${(n / HIRES).toFixed(2)} ${endpoint}`)
      .sort((a, b) => parseFloat(b) - parseFloat(a));
    console.log(`  calls per hire by endpoint:\n    ${perHire.join("\n    ")}`);

    // Latency: single hires, one at a time, with the emulator answering in LATENCY_MS per call.
    await genesys.admin.setFaults({ latencyMs: LATENCY_MS });
    const latencies: number[] = [];
    for (let i = 0; i < SINGLES; i++) {
      const employeeId = String(810000 + i);
      const email = `single.${employeeId}@example.com`;
      const event = {
        eventId: `single-${employeeId}`,
        type: "hire",
        effectiveDate: "2026-11-01",
        worker: { employeeId, email, firstName: "Sol", lastName: `Single${i}`, title: DEMO_TITLES[i % 3] },
      };
      const t0 = performance.now();
      await call("POST", "/api/hr/events", JSON.stringify(event), "application/json");
      while (!(await genesys.admin.invited(email))) await new Promise((r) => setTimeout(r, 20));
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    // With --singles 0 (the batch alone) there is no latency to print.
    if (SINGLES > 0) {
      console.log(`single hires: ${SINGLES}, emulator latency ${LATENCY_MS} ms per call`);
      console.log(
        `  accepted → invited   p50 ${(pct(50) / 1000).toFixed(2)} s, p90 ${(pct(90) / 1000).toFixed(2)} s`,
      );
    }
  } finally {
    await host.stop();
    await genesys.close();
    await azurite.stop();
  }
}

/** History events of an orchestration instance's current execution (0 when it does not exist). */
function historyLength(host: LocalHost, instanceId: string): number {
  const events = host.durable.status(instanceId, { showHistory: true })?.historyEvents;
  return Array.isArray(events) ? events.length : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
