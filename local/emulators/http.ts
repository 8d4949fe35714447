import http from "node:http";
import type { AddressInfo } from "node:net";

/** The small HTTP toolkit the HR emulators share (plain Node `http`, loopback by default). */

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:8086 */
  url: string;
  close(): Promise<void>;
}

export interface EmulatorResponse {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

export type EmulatorHandler = (request: {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}) => Promise<EmulatorResponse> | EmulatorResponse;

/** Emulators accept documents up to this size on their admin routes (a real export can be large). */
const MAX_BODY = 32 * 1024 * 1024;

export async function listen(handler: EmulatorHandler, port: number, host: string): Promise<RunningEmulator> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      const respond = (r: EmulatorResponse) => {
        res.writeHead(r.status, {
          ...(r.contentType ? { "Content-Type": r.contentType } : {}),
          ...r.headers,
        });
        res.end(r.body ?? "");
      };
      if (size > MAX_BODY) return respond({ status: 413, body: "body too large" });
      Promise.resolve()
        .then(() =>
          handler({
            method: req.method ?? "GET",
            url: new URL(req.url ?? "/", "http://emulator"),
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        )
        .then(respond, (error: unknown) =>
          respond({
            status: 500,
            contentType: "text/plain",
            body: error instanceof Error ? error.message : String(error),
          }),
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export const json = (status: number, value: unknown): EmulatorResponse => ({
  status,
  contentType: "application/json",
  body: JSON.stringify(value),
});
