/**
 * Azurite's Table service, in-process. Azurite's package entry is its VS Code extension, so the server classes
 * are reached by path; that is an internal contract, which is why azurite is pinned to 3.35.0 (the last
 * release for Node 20) and `test/integration/azurite.test.ts` fails loudly if it changes.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
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
