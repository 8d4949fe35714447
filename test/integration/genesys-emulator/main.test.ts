import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../../..");

describe("npm run emulator", () => {
  it("runs the Genesys emulator alone, seeded with the demo contact centre, and stops on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [path.join(root, "node_modules/tsx/dist/cli.mjs"), "local/emulators/genesys/main.ts"],
      {
        cwd: root,
        env: { ...process.env, GENESYS_EMULATOR_PORT: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /emulator on (http:\/\/[\d.]+:\d+)/.exec(output);
          if (match) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      const response = await fetch(`${url}/emulator/users?email=sup.support@example.com`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { division: { name: string } }[])[0].division.name).toBe("Support");
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });
});
