/** Azurite's Table service alone, in memory, for benchmarks that keep it out of the app's process. */
import { startAzuriteTables } from "../../local/azurite";

startAzuriteTables()
  .then((azurite) => {
    console.log(`AZURITE ${azurite.connectionString}`);
    process.on("SIGTERM", () => void azurite.close().then(() => process.exit(0)));
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
