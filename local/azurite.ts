/**
 * Azurite's Table service, in-process. Azurite's package entry is its VS Code extension, so the server classes
 * are reached by path; that is an internal contract, which is why azurite is pinned to 3.35.0 (the last
 * release for Node 20) and `test/integration/azurite.test.ts` fails loudly if it changes.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import fs from "node:fs";
import path from "node:path";

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}

type TableServerModule = { default: new (config: unknown) => AzuriteServer };
type TableConfigurationModule = { default: new (...args: unknown[]) => unknown };

/** The well-known development account every Azurite instance serves. */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteTables {
  /** e.g. http://127.0.0.1:10002 */
  url: string;
  connectionString: string;
  close(): Promise<void>;
}

export interface StartAzuriteOptions {
  host?: string;
  /** 0 picks a free port (tests); 10002 is the standard one. */
  port?: number;
  /** A folder to keep data in across restarts; in memory when omitted. */
  location?: string;
}

export async function startAzuriteTables(options: StartAzuriteOptions = {}): Promise<AzuriteTables> {
  const { default: TableServer } = require("azurite/dist/src/table/TableServer") as TableServerModule;
  const { default: TableConfiguration } =
    require("azurite/dist/src/table/TableConfiguration") as TableConfigurationModule;
  const inMemory = options.location === undefined;
  const config = new TableConfiguration(
    options.host ?? "127.0.0.1",
    options.port ?? 0,
    undefined, // keepAliveTimeout: default
    inMemory ? "__azurite_db_table__.json" : path.join(options.location!, "__azurite_db_table__.json"),
    false, // debug log
    false, // access log
    undefined,
    undefined,
    false, // loose
    true, // skipApiVersionCheck: the Node 20 SDKs send newer API versions than Azurite 3.35 knows
    "",
    "",
    "",
    undefined,
    false,
    inMemory,
  );
  const server = new TableServer(config);
  await server.start();
  const url = server.getHttpServerAddress().replace("0.0.0.0", "127.0.0.1");
  return {
    url,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `TableEndpoint=${url}/${AZURITE_ACCOUNT};`,
    close: () => server.close(),
  };
}

export interface AzuriteServices {
  blobUrl: string;
  queueUrl: string;
  tableUrl: string;
  /** A connection string naming all three endpoints. */
  connectionString: string;
  close(): Promise<void>;
}

export interface StartAzuriteServicesOptions {
  host?: string;
  /** Standard ports are 10000, 10001 and 10002; 0 picks free ones. */
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  /** A folder to keep data in across restarts; in memory when omitted. */
  location?: string;
}

type ServerModule = { default: new (config: unknown) => AzuriteServer };

/**
 * Azurite's Blob, Queue and Table services in this process, as `npm start` needs them (the Functions
 * runtime's own storage is blob and queue; the app uses tables). Same internal contract as above.
 */
export async function startAzurite(options: StartAzuriteServicesOptions = {}): Promise<AzuriteServices> {
  const host = options.host ?? "127.0.0.1";
  const inMemory = options.location === undefined;
  if (options.location !== undefined) fs.mkdirSync(options.location, { recursive: true });
  const at = (file: string) => (inMemory ? file : path.join(options.location!, file));
  const started: AzuriteServer[] = [];
  const startExtentService = async (kind: "blob" | "queue", port: number) => {
    const { default: Server } = require(
      `azurite/dist/src/${kind}/${kind === "blob" ? "Blob" : "Queue"}Server`,
    ) as ServerModule;
    const { default: Configuration } = require(
      `azurite/dist/src/${kind}/${kind === "blob" ? "Blob" : "Queue"}Configuration`,
    ) as TableConfigurationModule;
    const config = new Configuration(
      host,
      port,
      undefined,
      at(`__azurite_db_${kind}__.json`),
      at(`__azurite_db_${kind}_extent__.json`),
      [{ locationId: "Default", locationPath: at(`__${kind}storage__`), maxConcurrency: 10 }],
      false, // access log
      undefined,
      false, // debug log
      undefined,
      false, // loose
      true, // skipApiVersionCheck, as for tables
      "",
      "",
      "",
      undefined,
      false,
      inMemory,
    );
    const server = new Server(config);
    await server.start();
    started.push(server);
    return server.getHttpServerAddress().replace("0.0.0.0", "127.0.0.1");
  };
  try {
    const blobUrl = await startExtentService("blob", options.blobPort ?? 10000);
    const queueUrl = await startExtentService("queue", options.queuePort ?? 10001);
    const tables = await startAzuriteTables({
      host,
      port: options.tablePort ?? 10002,
      location: options.location,
    });
    started.push({
      start: async () => undefined,
      close: tables.close,
      getHttpServerAddress: () => tables.url,
    });
    return {
      blobUrl,
      queueUrl,
      tableUrl: tables.url,
      connectionString:
        `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
        `BlobEndpoint=${blobUrl}/${AZURITE_ACCOUNT};QueueEndpoint=${queueUrl}/${AZURITE_ACCOUNT};` +
        `TableEndpoint=${tables.url}/${AZURITE_ACCOUNT};`,
      close: async () => {
        await Promise.all(started.map((server) => server.close()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((server) => server.close()));
    throw error;
  }
}
