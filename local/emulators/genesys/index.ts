/**
 * Genesys Cloud emulator: a local, in-memory stand-in for the parts of the Platform API this product uses,
 * close enough that the official SDK cannot tell the difference. See docs/emulators.md.
 *
 * @example
 * const genesys = await startGenesysEmulator({ port: 0 });
 * // GENESYS_API_BASE_URL = GENESYS_LOGIN_BASE_URL = genesys.url
 * genesys.admin.setFaults({ errorRate: 0.1 });
 * await genesys.close();
 */
import { GenesysEmulatorAdmin } from "./admin";
import { Emulator } from "./emulator";
import type { FaultSettings } from "./faults";
import type { RateLimitSettings } from "./rate-limit";
import { readSeedFile, parseSeed, type SeedDocument } from "./seed";
import { createServer, listen } from "./server";

export interface GenesysEmulatorOptions {
  /** 8085 by default; 0 picks a free port (tests). */
  port?: number;
  /** 127.0.0.1 by default. */
  host?: string;
  /** A seed document, or the path of a YAML/JSON seed file; the bundled demo contact centre by default. */
  seed?: SeedDocument | string;
  /** Rate limits; defaults 300/min per token, 3,000/min per OAuth client, time scale 1, no legacy headers. */
  limits?: Partial<RateLimitSettings>;
  /** Fault injection and search-index lag; all off by default. */
  faults?: Partial<FaultSettings>;
  /** Lifetime of issued access tokens (default 86,400 s, Genesys's default). */
  tokenLifetimeSeconds?: number;
}

export interface GenesysEmulator {
  /** e.g. http://127.0.0.1:8085 — both the login and the API base URL. */
  url: string;
  port: number;
  /** Inspect and change state, faults and limits; read the request log and counters. */
  admin: GenesysEmulatorAdmin;
  close(): Promise<void>;
}

export const DEFAULT_GENESYS_EMULATOR_PORT = 8085;

export async function startGenesysEmulator(options: GenesysEmulatorOptions = {}): Promise<GenesysEmulator> {
  const seed =
    options.seed === undefined
      ? readSeedFile()
      : typeof options.seed === "string"
        ? readSeedFile(options.seed)
        : options.seed;
  const emulator = new Emulator({
    seed,
    limits: options.limits,
    faults: options.faults,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
  });
  const admin = new GenesysEmulatorAdmin(emulator);
  const server = createServer(emulator, admin);
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port ?? DEFAULT_GENESYS_EMULATOR_PORT, host);
  return {
    url: `http://${host}:${port}`,
    port,
    admin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export { GenesysEmulatorAdmin, parseSeed };
export type { FaultSettings, RateLimitSettings, SeedDocument };
export type { UserFullState, AddInteractionInput, EndpointCounters } from "./admin";
export type { RequestLogEntry } from "./emulator";
