import { spawn } from "node:child_process";

export interface ChildService {
  /** What the child printed on the line that said it was ready, from the pattern's first group. */
  ready: string;
  close(): Promise<void>;
}

/**
 * Runs a TypeScript entry in its own Node process and waits for the line that says it is ready. Benchmarks
 * keep Genesys and Azurite out of the app's process, as they are in Azure, so their work is not counted
 * against the app's.
 */
export function spawnService(
  entry: string,
  readyLine: RegExp,
  env: Record<string, string> = {},
): Promise<ChildService> {
  const child = spawn(process.execPath, ["--require", "tsx/cjs", entry], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = readyLine.exec(out);
      if (!match) return;
      child.stdout.removeAllListeners("data");
      child.stdout.resume();
      resolve({
        ready: match[1],
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
    child.once("exit", (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
  });
}
