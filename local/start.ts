/**
 * `npm start`: Azurite, the local emulators, and the local Functions host on http://localhost:7071 with the
 * real app. Flags: `--location DIR` keeps Azurite's data in DIR (in memory otherwise); `--port N`;
 * `--entry FILE` loads another app entry (e.g. the host's test app).
 * Ctrl-C (SIGINT) or SIGTERM stops everything; nothing is left running.
 */
import { parseArgs } from "node:util";
import { consoleUrl, startLocalStack } from "./stack";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { location: { type: "string" }, port: { type: "string" }, entry: { type: "string" } },
    allowPositionals: false,
  });
  const stack = await startLocalStack({
    location: values.location,
    entry: values.entry,
    port: values.port === undefined ? 7071 : Number(values.port),
  });
  const { host } = stack;
  const lines = ["", "Local services:"];
  for (const service of stack.services) lines.push(`  ${service.name}: ${service.url}`);
  lines.push("", `Functions host: ${host.url}`);
  const consoleAt = consoleUrl(host);
  if (consoleAt) lines.push(`Operations console: ${consoleAt}  (open it in a browser)`);
  lines.push("");
  for (const fn of host.functions) {
    const type = fn.trigger.type;
    if (type.toLowerCase() === "httptrigger") {
      const methods = Array.isArray(fn.trigger.methods) ? (fn.trigger.methods as string[]).join(",") : "ALL";
      const route = typeof fn.trigger.route === "string" ? fn.trigger.route : fn.name;
      lines.push(
        `  ${fn.name}: [${methods}] ${host.url}/${[host.routePrefix, route].filter(Boolean).join("/")}`,
      );
    } else lines.push(`  ${fn.name}: ${type}`);
  }
  lines.push(
    "",
    `Admin API: ${host.url}/admin/functions    Durable API: ${host.url}/runtime/webhooks/durabletask/`,
    "Press Ctrl-C to stop.",
  );
  console.log(lines.join("\n"));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1); // a second Ctrl-C: stop waiting
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
