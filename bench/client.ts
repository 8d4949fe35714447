/**
 * Client benchmark: 8 concurrent workers share one GenesysCloudClient (one rate budget) against the Genesys
 * emulator configured at a limit L, on the emulator's fast clock so a Genesys "minute" lasts a few seconds.
 * Prints achieved requests per (scaled) minute ÷ the limit the client may reach, and how many 429s Genesys
 * sent. Targets: ratio ≥ 0.95 and zero 429s.
 *
 *   npm run bench:client
 */
import { Secret } from "../src/config/secret";
import { GenesysCloudClient } from "../src/genesys/client";
import { startGenesysEmulator } from "../local/emulators/genesys";

const WORKERS = 8;
const TIME_SCALE = 8; // one Genesys minute = 7.5 s
const WINDOW_MS = 60_000 / TIME_SCALE;
const DURATION_MS = 10_000;

interface Scenario {
  name: string;
  perTokenPerMinute: number;
  tokenPoolSize: number;
  perClientPerMinute: number;
}

const scenarios: Scenario[] = [
  { name: "one token", perTokenPerMinute: 300, tokenPoolSize: 1, perClientPerMinute: 3000 },
  { name: "pool of 3 tokens", perTokenPerMinute: 300, tokenPoolSize: 3, perClientPerMinute: 3000 },
  { name: "pool of 4, client cap 1000", perTokenPerMinute: 300, tokenPoolSize: 4, perClientPerMinute: 1000 },
];

async function run(scenario: Scenario) {
  const emulator = await startGenesysEmulator({
    port: 0,
    limits: {
      perTokenPerMinute: scenario.perTokenPerMinute,
      perClientPerMinute: scenario.perClientPerMinute,
      timeScale: TIME_SCALE,
    },
  });
  try {
    const genesys = new GenesysCloudClient({
      apiBaseUrl: emulator.url,
      loginBaseUrl: emulator.url,
      clientId: "lifecycle-local",
      readSecret: async () => new Secret("lifecycle-local-secret"),
      requestsPerMinute: scenario.perTokenPerMinute,
      tokenPoolSize: scenario.tokenPoolSize,
      clientRequestsPerMinute: scenario.perClientPerMinute,
      rateWindowInMs: WINDOW_MS,
      shareBudgetInProcess: false,
    });
    const started = Date.now();
    let failures = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (Date.now() - started < DURATION_MS) {
          try {
            await genesys.getHomeDivision();
          } catch {
            failures++;
          }
        }
      }),
    );
    const elapsed = Date.now() - started;
    const api = emulator.admin.requests().filter((r) => r.path.startsWith("/api/"));
    const ok = api.filter((r) => r.status === 200).length;
    const tooMany = api.filter((r) => r.status === 429).length;
    const target = Math.min(scenario.perTokenPerMinute * scenario.tokenPoolSize, scenario.perClientPerMinute);
    const perMinute = ok / (elapsed / WINDOW_MS);
    return { ...scenario, target, ok, perMinute, ratio: perMinute / target, tooMany, failures, elapsed };
  } finally {
    await emulator.close();
  }
}

async function main() {
  console.log(
    `${WORKERS} workers, one shared client; emulator time scale ${TIME_SCALE} (a Genesys minute = ${WINDOW_MS / 1000} s), ${DURATION_MS / 1000} s per scenario\n`,
  );
  const rows = [];
  for (const scenario of scenarios) {
    const r = await run(scenario);
    rows.push(r);
    console.log(
      `${r.name.padEnd(28)} limit ${String(r.target).padStart(5)}/min  achieved ${r.perMinute.toFixed(0).padStart(5)}/min  ` +
        `ratio ${r.ratio.toFixed(3)}  429s ${r.tooMany}  failed calls ${r.failures}  (${r.ok} requests)`,
    );
  }
  const pass = rows.every((r) => r.ratio >= 0.95 && r.tooMany === 0 && r.failures === 0);
  console.log(`\n${pass ? "PASS" : "MISS"}: target ratio ≥ 0.95 with zero 429s`);
  if (!pass) process.exitCode = 1;
}

void main();
