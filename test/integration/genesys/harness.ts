import { Secret } from "../../../src/config/secret";
import type { GenesysAuditRecord } from "../../../src/genesys/audit";
import { GenesysCloudClient, type GenesysCloudClientOptions } from "../../../src/genesys/client";
import {
  startGenesysEmulator,
  type GenesysEmulator,
  type GenesysEmulatorOptions,
} from "../../../local/emulators/genesys";

/** Limits high enough that functional tests never meet the rate limiter unless they mean to. */
export const UNLIMITED = { perTokenPerMinute: 1_000_000, perClientPerMinute: 1_000_000 };

export interface Harness {
  emulator: GenesysEmulator;
  audit: GenesysAuditRecord[];
  /** A client of the emulator; options override the test defaults. */
  client(options?: Partial<GenesysCloudClientOptions>): GenesysCloudClient;
  close(): Promise<void>;
}

/** An emulator on a free port and clients for it, each with its own budget so tests do not interfere. */
export async function startHarness(options: GenesysEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startGenesysEmulator({
    port: 0,
    ...options,
    limits: { ...UNLIMITED, ...options.limits },
  });
  const audit: GenesysAuditRecord[] = [];
  return {
    emulator,
    audit,
    client: (overrides = {}) =>
      new GenesysCloudClient({
        apiBaseUrl: emulator.url,
        loginBaseUrl: emulator.url,
        clientId: "lifecycle-local",
        readSecret: async () => new Secret("lifecycle-local-secret"),
        requestsPerMinute: 1_000_000,
        shareBudgetInProcess: false,
        retryDelayInMs: 5,
        maxRetryDelayInMs: 20,
        auditSink: (record) => void audit.push(record),
        ...overrides,
      }),
    close: () => emulator.close(),
  };
}

/** Requests the emulator answered, by endpoint template and status. */
export function answered(emulator: GenesysEmulator, endpoint: string, status?: number): number {
  return emulator.admin.requests({ endpoint }).filter((r) => status === undefined || r.status === status)
    .length;
}
