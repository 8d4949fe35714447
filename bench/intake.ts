/**
 * Intake benchmark: C concurrent Workday outbound notifications to the real app in the local host, in a process of
 * its own, with Azurite and the Genesys emulator in theirs (the Workday emulator answers from this process). Each
 * notification is authenticated and stored in the intake journal before its 202; it is taken into the inbox and
 * its employee's queue after the answer, and the employee's orchestration reads the worker back with Get_Workers.
 * After a short warm-up, prints p50/p99 acknowledgement latency, the app's CPU time per notification (Linux /proc),
 * throughput (target: p99 within 250 ms for 50 at once), and how long after the last answer every notification was
 * in the inbox and its employee's queue, with the journal empty.
 *
 * By default every notification is about a different worker, as when HR enters a day's changes; `--employees 1`
 * sends them all about one worker, whose employee row then takes every write in turn. The senders' connections are
 * open before the burst, as between Azure's front end and the Functions host; `--connections new` has each sender
 * open its own during the burst, which the app's process pays for here (in Azure the front end and the host do).
 *
 *   npm run bench:intake [-- --deliveries 50 --concurrency 50 --employees 50 --connections open|new]
 */
import path from "node:path";
import { TableClient } from "@azure/data-tables";
import { parseArgs } from "node:util";
import { buildWorkdayNotification } from "../local/emulators/workday";
import { defaultServices, loadLocalSettings } from "../local/stack";
import { DEV_AUTH_SETTINGS } from "../test/support/dev-auth";
import { spawnService, type ChildService } from "../test/support/processes";
import { workdayWorkersDocument } from "../test/support/workday-workers";
import { benchCaller, importDemoMapping } from "./support/demo-org";
import { spawnGenesysEmulator } from "./support/genesys-emulator";
import { cpuTimeMs } from "./support/process-cpu";

const { values } = parseArgs({
  options: {
    deliveries: { type: "string", default: "50" },
    concurrency: { type: "string", default: "50" },
    employees: { type: "string" },
    connections: { type: "string", default: "open" },
  },
});
const DELIVERIES = Number(values.deliveries);
const CONCURRENCY = Number(values.concurrency);
const EMPLOYEES = Number(values.employees ?? values.deliveries);
const CONNECTIONS = values.connections === "new" ? "new" : "open";
const WARM_UP = 5;
const root = path.resolve(__dirname, "..");

async function main() {
  const settings = loadLocalSettings(root, {});
  const stops: (() => Promise<void>)[] = [];
  try {
    // The app runs in a process of its own, as in Azure; so do storage and Genesys. HR's side (the Workday and
    // SuccessFactors emulators, and the notifications' sender) is this process.
    const azurite = await spawnService(path.join(__dirname, "support/azurite-main.ts"), /AZURITE (\S+)/);
    stops.push(() => azurite.stop());
    const genesys = await spawnGenesysEmulator();
    stops.push(genesys.stop);
    const emulatorPorts = { genesys: 0, workday: 0, successFactors: 0 };
    let workday = "";
    for (const service of defaultServices(settings, { emulatorPorts })) {
      if (!/^(Workday|SuccessFactors)/.test(service.name)) continue;
      const running = await service.start();
      stops.push(running.close);
      Object.assign(settings, running.settings);
      if (service.name.startsWith("Workday")) workday = running.url;
    }
    const app: ChildService = await spawnService(
      path.join(root, "test/fixtures/real-app/serve.ts"),
      /LISTENING (\S+)/,
      {
        cwd: root,
        env: {
          ...settings,
          ...DEV_AUTH_SETTINGS,
          AzureWebJobsStorage: azurite.ready,
          TABLES_CONNECTION: azurite.ready,
          GENESYS_API_BASE_URL: genesys.url,
          GENESYS_LOGIN_BASE_URL: genesys.url,
          HR_EVENTS_FUNCTION_KEY: "bench",
        },
      },
    );
    stops.push(() => app.stop());
    await importDemoMapping(benchCaller(app.ready));

    const employeeIds = Array.from({ length: EMPLOYEES }, (_, i) => String(880000 + i));
    await fetch(`${workday}/emulator/workers`, {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: workdayWorkersDocument(
        employeeIds.map((employeeId) => ({
          employeeId,
          email: `intake.${employeeId}@example.com`,
          firstName: "Ines",
          lastName: `Intake${employeeId}`,
          title: "Technical Support",
          department: "Support",
          hireDate: "2026-01-05",
        })),
      ),
    });

    const notifications = Array.from({ length: DELIVERIES }, (_, i) =>
      buildWorkdayNotification({
        employeeId: employeeIds[i % EMPLOYEES],
        businessProcessType: "Change Job",
        effectiveDate: new Date().toISOString().slice(0, 10),
        user: settings.WORKDAY_NOTIFICATION_USER,
        password: settings.WORKDAY_NOTIFICATION_PASSWORD,
      }),
    );
    // Warm-up, not measured: the app's first requests load code and create tables, once per process.
    for (let i = 0; i < WARM_UP; i++) {
      const warmUp = await fetch(`${app.ready}/api/hr/workday`, {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8" },
        body: buildWorkdayNotification({
          employeeId: String(870000 + i),
          businessProcessType: "Change Job",
          effectiveDate: new Date().toISOString().slice(0, 10),
          user: settings.WORKDAY_NOTIFICATION_USER,
          password: settings.WORKDAY_NOTIFICATION_PASSWORD,
        }),
      });
      await warmUp.arrayBuffer();
    }
    if (CONNECTIONS === "open") {
      // As between Azure's front end and the Functions host, the connections are open before the burst: here one
      // per sender, kept alive by fetch. With `--connections new`, each sender opens its own during the burst.
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () =>
          (await fetch(`${app.ready}/api/health`)).arrayBuffer(),
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const cpuBefore = cpuTimeMs(app.child.pid!);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < notifications.length) {
          const body = notifications[next++];
          const t0 = performance.now();
          const response = await fetch(`${app.ready}/api/hr/workday`, {
            method: "POST",
            headers: { "content-type": "text/xml; charset=utf-8" },
            body,
          });
          await response.arrayBuffer();
          latencies.push(performance.now() - t0);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    );
    const wallInS = (performance.now() - started) / 1000;
    const cpuPerDelivery = (cpuTimeMs(app.child.pid!) - cpuBefore) / DELIVERIES;
    const answered = performance.now();
    const takenIn = await waitUntilTakenIn(azurite.ready, WARM_UP + DELIVERIES);
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    console.log(
      `intake: ${DELIVERIES} Workday notifications about ${EMPLOYEES} worker(s), ${CONCURRENCY} at once, on ${CONNECTIONS} connections`,
    );
    console.log(`  answers              ${JSON.stringify(Object.fromEntries(statuses))}`);
    console.log(`  acknowledgement      p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms`);
    console.log(
      `  app CPU              ${cpuPerDelivery.toFixed(1)} ms per notification until the last answer (work started by earlier ones included)`,
    );
    console.log(`  throughput           ${(DELIVERIES / wallInS).toFixed(1)} deliveries/s`);
    console.log(
      `  taken in             all ${takenIn} in the inbox and their employees' queues, the journal empty, ${(performance.now() - answered).toFixed(0)} ms after the last answer`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  }
}

/**
 * Waits until the inbox holds `count` Workday items past `received` (each in its employee's queue, awaiting its
 * read-back or read back already) and the intake journal is empty: nothing answered was lost.
 */
async function waitUntilTakenIn(storage: string, count: number): Promise<number> {
  const table = (name: string) =>
    TableClient.fromConnectionString(storage, name, { allowInsecureConnection: true });
  const inbox = table("hrinbox");
  const journal = table("hrjournal");
  for (const deadline = performance.now() + 60_000; performance.now() < deadline;) {
    let queued = 0;
    for await (const row of inbox.listEntities<{ status: string }>({
      queryOptions: { filter: "PartitionKey eq 'workday'", select: ["status"] },
    }))
      if (row.status !== "received") queued += 1;
    let journaled = 0;
    for await (const _ of journal.listEntities({ queryOptions: { select: ["RowKey"] } })) journaled += 1;
    if (queued >= count && journaled === 0) return queued;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not every answered notification reached the inbox within a minute`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
