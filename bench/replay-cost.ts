/**
 * Replay cost of the local host: the host CPU time per activity for orchestrations of N = 100, 1,000 and
 * 5,000 activities, run one after another (each completion replays the whole history, so cost per activity
 * grows with N) and in batches of 10 (one replay per batch). Virtual clock, in-memory state.
 *
 *   npm run bench:replay            (add "-- 100 1000" to choose the sizes)
 */
import path from "node:path";
import { startLocalHost } from "../local/host";

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  const host = await startLocalHost({
    entry: path.resolve(__dirname, "../test/fixtures/host-app/index.ts"),
    port: 0,
    clock: "virtual",
    log: () => undefined,
  });
  const rows: string[][] = [["N", "shape", "host CPU ms", "CPU µs / activity", "wall ms"]];
  try {
    for (const n of sizes.length > 0 ? sizes : [100, 1000, 5000]) {
      for (const shape of ["sequential", "batches of 10"] as const) {
        const cpu = process.cpuUsage();
        const wall = performance.now();
        const id =
          shape === "sequential"
            ? host.durable.start("chain", { input: n })
            : host.durable.start("fanOut", { input: { count: n, batchSize: 10 } });
        const status = await host.durable.waitForStatus(id);
        if (status.runtimeStatus !== "Completed") throw new Error(`${shape} N=${n}: ${status.runtimeStatus}`);
        const used = process.cpuUsage(cpu);
        const cpuMs = (used.user + used.system) / 1000;
        rows.push([
          String(n),
          shape,
          cpuMs.toFixed(0),
          ((cpuMs * 1000) / n).toFixed(0),
          (performance.now() - wall).toFixed(0),
        ]);
        await host.durable.purge(id);
      }
    }
  } finally {
    await host.stop();
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i])).join("  "));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
