import { spawn, type ChildProcess } from "node:child_process";

export interface ChildService {
  child: ChildProcess;
  /** The first group of the line that said the child was ready (its URL, a connection string). */
  ready: string;
  /** Stops the child: SIGTERM to let it close, SIGKILL to cut it off mid-work. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
}

/**
 * Runs a TypeScript entry in its own Node process and waits for the line that says it is ready. Tests use it to
 * kill a host mid-work; benchmarks to keep Genesys and Azurite out of the app's process, as they are in Azure.
 */
export function spawnService(
  entry: string,
  readyLine: RegExp,
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<ChildService> {
  const child = spawn(process.execPath, ["--require", "tsx/cjs", entry], {
    env: { ...process.env, ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const onExit = (code: number | null) =>
      reject(new Error(`${entry} exited with ${code} before it was ready`));
    child.once("exit", onExit);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = readyLine.exec(out);
      if (!match) return;
      child.off("exit", onExit);
      // Keep draining its output so the child never blocks on a full pipe.
      child.stdout.removeAllListeners("data");
      child.stdout.resume();
      resolve({
        child,
        ready: match[1],
        stop: (signal = "SIGTERM") =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill(signal);
          }),
      });
    });
  });
}
