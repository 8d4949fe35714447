import path from "node:path";
import { spawnService } from "../../test/support/processes";

/** The emulator's request counters (`GET /emulator/counters`). */
export interface Counters {
  total: number;
  byStatus: Record<string, number>;
  byEndpoint: Record<string, number>;
}

/**
 * The Genesys emulator in a child process of its own on a free port, so its work does not share the app's event
 * loop, driven through its admin API (`/emulator/...`).
 */
export async function spawnGenesysEmulator() {
  const service = await spawnService(
    path.join(__dirname, "../../local/emulators/genesys/main.ts"),
    /emulator on (http\S+)/,
    { env: { GENESYS_EMULATOR_PORT: "0" } },
  );
  const url = service.ready;
  const admin = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/emulator${route}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`emulator admin ${method} ${route}: ${response.status}`);
    return response.status === 204 ? undefined : response.json();
  };
  return {
    url,
    /** The emulator's process, for its CPU time. */
    pid: service.child.pid!,
    admin,
    counters: () => admin("GET", "/counters") as Promise<Counters>,
    stop: () => service.stop(),
  };
}
