import fs from "node:fs";

/**
 * CPU time (user + system) another process has used so far, in milliseconds, from /proc (Linux): what the
 * benches print for the processes that stand in for Azure's services, to tell a starved app from a slow one.
 */
export function cpuTimeMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
}
