import fs from "node:fs";
import path from "node:path";

/** The parts of host.json the local host honours. */
export interface HostConfig {
  routePrefix: string;
  hubName: string;
  maxConcurrentActivityFunctions: number;
}

interface HostJson {
  extensions?: {
    http?: { routePrefix?: string };
    durableTask?: { hubName?: string; maxConcurrentActivityFunctions?: number };
  };
}

/** Reads host.json from `dir`; every field has the Functions host's default when absent. */
export function readHostConfig(dir: string): HostConfig {
  const file = path.join(dir, "host.json");
  const json: HostJson = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as HostJson) : {};
  const routePrefix = json.extensions?.http?.routePrefix ?? "api";
  return {
    routePrefix: routePrefix.replace(/^\/+|\/+$/g, ""),
    hubName: json.extensions?.durableTask?.hubName ?? "TestHubName",
    maxConcurrentActivityFunctions: json.extensions?.durableTask?.maxConcurrentActivityFunctions ?? 10,
  };
}
