/**
 * Intake benchmark: C concurrent Workday outbound notifications against the whole local stack (Azurite, the
 * emulators and the real app, as `npm start` runs it, on free ports). Each notification is authenticated,
 * stored and handed to the employee's orchestration before its 202; the orchestration reads the worker back
 * with Get_Workers afterwards. Prints p50/p99 acknowledgement latency and throughput (target: p99 within
 * 250 ms for 50 at once).
 *
 * By default every notification is about a different worker, as when HR enters a day's changes; `--employees 1`
 * sends them all about one worker, whose employee row then takes every write in turn.
 *
 *   npm run bench:intake [-- --deliveries 50 --concurrency 50 --employees 50]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { buildWorkdayNotification } from "../local/emulators/workday";
import { loadLocalSettings, startLocalStack } from "../local/stack";
import { workdayWorkersDocument } from "../test/support/workday-workers";

const { values } = parseArgs({
  options: {
    deliveries: { type: "string", default: "50" },
    concurrency: { type: "string", default: "50" },
    employees: { type: "string" },
  },
});
const DELIVERIES = Number(values.deliveries);
const CONCURRENCY = Number(values.concurrency);
const EMPLOYEES = Number(values.employees ?? values.deliveries);
const root = path.resolve(__dirname, "..");

async function main() {
  const settings = loadLocalSettings(root, {});
  const stack = await startLocalStack({
    port: 0,
    azuritePorts: { blob: 0, queue: 0, table: 0 },
    emulatorPorts: { genesys: 0, workday: 0, successFactors: 0 },
    settings,
    log: () => undefined,
  });
  try {
    const workday = stack.services.find((s) => s.name.startsWith("Workday"))!.url;
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
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < notifications.length) {
          const body = notifications[next++];
          const t0 = performance.now();
          const response = await fetch(`${stack.host.url}/api/hr/workday`, {
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
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
    console.log(
      `intake: ${DELIVERIES} Workday notifications about ${EMPLOYEES} worker(s), ${CONCURRENCY} at once`,
    );
    console.log(`  answers              ${JSON.stringify(Object.fromEntries(statuses))}`);
    console.log(`  acknowledgement      p50 ${pct(50).toFixed(0)} ms, p99 ${pct(99).toFixed(0)} ms`);
    console.log(`  throughput           ${(DELIVERIES / wallInS).toFixed(1)} deliveries/s`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
