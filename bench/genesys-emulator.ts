/**
 * How fast the Genesys emulator answers, and whether its rate limiter holds the line under load.
 * Run: `npx tsx bench/genesys-emulator.ts`. Prints figures; asserts nothing.
 *
 * With `timeScale` 60 a Genesys "minute" lasts one second, so a client that honours `Retry-After` should get
 * about `perTokenPerMinute` requests through per second, whatever its concurrency.
 */
import { startGenesysEmulator } from "../local/emulators/genesys";

const SECONDS = 5;
const CONCURRENCY = 20;

async function token(url: string): Promise<string> {
  const response = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from("lifecycle-local:lifecycle-local-secret").toString("base64")}`,
    },
    body: "grant_type=client_credentials",
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function main(): Promise<void> {
  const emulator = await startGenesysEmulator({ port: 0, limits: { perTokenPerMinute: 300, timeScale: 60 } });
  try {
    const bearer = await token(emulator.url);
    let ok = 0;
    let limited = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const worker = async () => {
      while (Date.now() < deadline) {
        const response = await fetch(`${emulator.url}/api/v2/users?pageSize=25`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        await response.arrayBuffer();
        if (response.status === 200) ok += 1;
        else if (response.status === 429) {
          limited += 1;
          // Retry-After is whole seconds; with a scaled minute the window reopens sooner, so poll gently.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = (Date.now() - started) / 1000;
    console.log(`scaled minutes elapsed:          ${elapsed.toFixed(2)}`);
    console.log(
      `200 answers:                     ${ok} (${(ok / elapsed).toFixed(0)} per scaled minute; limit 300)`,
    );
    console.log(`429 answers:                     ${limited}`);
    console.log(`API calls counted by the admin:  ${emulator.admin.counters().total}`);
  } finally {
    await emulator.close();
  }
}

void main();
