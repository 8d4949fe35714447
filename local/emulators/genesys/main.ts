/**
 * `npm run emulator`: the Genesys Cloud emulator alone, on http://localhost:8085 (or GENESYS_EMULATOR_PORT),
 * seeded from the bundled demo contact centre (or the file named by GENESYS_EMULATOR_SEED).
 */
import { startGenesysEmulator } from "./index";

async function main(): Promise<void> {
  const port = Number(process.env.GENESYS_EMULATOR_PORT ?? 8085);
  const seed = process.env.GENESYS_EMULATOR_SEED;
  const emulator = await startGenesysEmulator({ port, host: "127.0.0.1", ...(seed ? { seed } : {}) });
  console.log(`Genesys Cloud emulator on ${emulator.url} (admin: ${emulator.url}/emulator/users)`);
  console.log(
    "OAuth clients: lifecycle-local / lifecycle-local-secret (all divisions), lifecycle-limited / lifecycle-limited-secret (Home)",
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
