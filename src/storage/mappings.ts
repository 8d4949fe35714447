import { RestError, TableClient, type TableEntityResult } from "@azure/data-tables";

/**
 * Mapping versions in Table Storage. Every import is a new immutable version (source text, who, when, whether
 * it passed validation against the org); the active version is a separate pointer row, so activating or rolling
 * back never rewrites a version, and an audit record naming "mapping version 7" always finds the same text.
 */

export type MappingFormat = "yaml" | "json";

/** The table the app and `npm run mappings` share. */
export const MAPPINGS_TABLE = "lifecyclemappings";

export interface MappingVersionSummary {
  version: number;
  format: MappingFormat;
  importedBy: string;
  importedAt: string;
  /** Whether it passed validation against the org when imported; only valid versions can be activated. */
  valid: boolean;
  problemCount: number;
}

export interface MappingVersion extends MappingVersionSummary {
  source: string;
}

export interface ActivePointer {
  version: number;
  activatedBy: string;
  activatedAt: string;
}

export interface NewMappingVersion {
  source: string;
  format: MappingFormat;
  importedBy: string;
  valid: boolean;
  problemCount: number;
}

/** Thrown when asked to activate a version that does not exist or did not pass validation. */
export class MappingActivationError extends Error {
  override readonly name = "MappingActivationError";
}

/** The port the HTTP handlers, the CLI and the orchestrations use; Table Storage and in-memory implement it. */
export interface MappingRepository {
  /** Stores a new immutable version with the next number. */
  addVersion(input: NewMappingVersion): Promise<MappingVersion>;
  /** Points the active mapping at `version`; refuses an invalid or unknown version. */
  activate(version: number, activatedBy: string): Promise<ActivePointer>;
  getActivePointer(): Promise<ActivePointer | undefined>;
  getVersion(version: number): Promise<MappingVersion | undefined>;
  /** Oldest first. */
  listVersions(): Promise<MappingVersionSummary[]>;
}

export interface MappingRepositoryOptions {
  /** The clock, for tests; defaults to the system's. */
  now?: () => Date;
}

const VERSION_PARTITION = "version";
const POINTER_PARTITION = "active";
const POINTER_ROW = "pointer";
/** Table Storage caps a string property at 64 KiB (32K UTF-16 code units); the source is split below that. */
const CHUNK_CHARS = 30_000;
/** An entity is at most 1 MiB; leave room for the other properties. */
const MAX_CHUNKS = 15;
const MAX_ALLOCATION_ATTEMPTS = 5;
/** The largest mapping file either implementation stores. */
export const MAX_MAPPING_SOURCE_CHARS = MAX_CHUNKS * CHUNK_CHARS;

function checkSize(source: string): void {
  if (source.length > MAX_MAPPING_SOURCE_CHARS) {
    throw new RangeError(
      `a mapping file may be at most ${MAX_MAPPING_SOURCE_CHARS} characters; this one has ${source.length}`,
    );
  }
}

const rowKeyOf = (version: number) => version.toString().padStart(10, "0");

interface VersionEntity {
  version: number;
  format: string;
  importedBy: string;
  importedAt: string;
  valid: boolean;
  problemCount: number;
  sourceChunks: number;
  [chunk: `source${number}`]: string;
}

/** Mapping versions in one table (`lifecyclemappings`, as the app's composition root names it). */
export class TableMappingRepository implements MappingRepository {
  private tableReady: Promise<void> | undefined;
  private readonly now: () => Date;

  constructor(
    private readonly table: TableClient,
    options: MappingRepositoryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  static fromConnectionString(connectionString: string, tableName = MAPPINGS_TABLE): TableMappingRepository {
    return new TableMappingRepository(
      TableClient.fromConnectionString(connectionString, tableName, {
        allowInsecureConnection: /UseDevelopmentStorage=true|http:\/\//i.test(connectionString),
      }),
    );
  }

  async addVersion(input: NewMappingVersion): Promise<MappingVersion> {
    checkSize(input.source);
    const chunks = Math.max(1, Math.ceil(input.source.length / CHUNK_CHARS));
    await this.ensureTable();
    for (let attempt = 0; ; attempt++) {
      const version = (await this.latestVersion()) + 1;
      const stored: MappingVersion = { ...input, version, importedAt: this.now().toISOString() };
      const entity: Record<string, unknown> = {
        partitionKey: VERSION_PARTITION,
        rowKey: rowKeyOf(version),
        version,
        format: input.format,
        importedBy: input.importedBy,
        importedAt: stored.importedAt,
        valid: input.valid,
        problemCount: input.problemCount,
        sourceChunks: chunks,
      };
      for (let i = 0; i < chunks; i++)
        entity[`source${i}`] = input.source.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS);
      try {
        await this.table.createEntity(entity as { partitionKey: string; rowKey: string });
        return stored;
      } catch (error) {
        // Another import took this number first: take the next one.
        if (!isStatus(error, 409) || attempt + 1 >= MAX_ALLOCATION_ATTEMPTS) throw error;
      }
    }
  }

  async activate(version: number, activatedBy: string): Promise<ActivePointer> {
    const target = await this.getVersion(version);
    if (target === undefined) throw new MappingActivationError(`mapping version ${version} does not exist`);
    if (!target.valid) {
      throw new MappingActivationError(
        `mapping version ${version} failed validation against the org (${target.problemCount} problems) and cannot be activated`,
      );
    }
    const pointer: ActivePointer = { version, activatedBy, activatedAt: this.now().toISOString() };
    await this.table.upsertEntity(
      { partitionKey: POINTER_PARTITION, rowKey: POINTER_ROW, ...pointer },
      "Replace",
    );
    return pointer;
  }

  async getActivePointer(): Promise<ActivePointer | undefined> {
    await this.ensureTable();
    const entity = await this.getEntity<ActivePointer>(POINTER_PARTITION, POINTER_ROW);
    if (entity === undefined) return undefined;
    return { version: entity.version, activatedBy: entity.activatedBy, activatedAt: entity.activatedAt };
  }

  async getVersion(version: number): Promise<MappingVersion | undefined> {
    if (!Number.isInteger(version) || version < 1) return undefined;
    await this.ensureTable();
    const entity = await this.getEntity<VersionEntity>(VERSION_PARTITION, rowKeyOf(version));
    if (entity === undefined) return undefined;
    let source = "";
    for (let i = 0; i < entity.sourceChunks; i++) source += entity[`source${i}`] ?? "";
    return { ...summaryOf(entity), source };
  }

  async listVersions(): Promise<MappingVersionSummary[]> {
    await this.ensureTable();
    const versions: MappingVersionSummary[] = [];
    const entities = this.table.listEntities<VersionEntity>({
      queryOptions: {
        filter: `PartitionKey eq '${VERSION_PARTITION}'`,
        select: ["version", "format", "importedBy", "importedAt", "valid", "problemCount"],
      },
    });
    for await (const entity of entities) versions.push(summaryOf(entity));
    return versions.sort((a, b) => a.version - b.version);
  }

  private async latestVersion(): Promise<number> {
    let latest = 0;
    const entities = this.table.listEntities<{ version: number }>({
      queryOptions: { filter: `PartitionKey eq '${VERSION_PARTITION}'`, select: ["version"] },
    });
    for await (const entity of entities) latest = Math.max(latest, entity.version);
    return latest;
  }

  private async getEntity<T extends object>(partitionKey: string, rowKey: string) {
    try {
      return await this.table.getEntity<T>(partitionKey, rowKey);
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  private ensureTable(): Promise<void> {
    // Created on first use, not at import time or start-up: a cold start never fails on storage.
    this.tableReady ??= this.table.createTable().catch((error: unknown) => {
      this.tableReady = undefined;
      if (!isStatus(error, 409)) throw error;
    });
    return this.tableReady;
  }
}

function summaryOf(entity: TableEntityResult<VersionEntity> | VersionEntity): MappingVersionSummary {
  return {
    version: entity.version,
    format: entity.format === "json" ? "json" : "yaml",
    importedBy: entity.importedBy,
    importedAt: entity.importedAt,
    valid: entity.valid,
    problemCount: entity.problemCount,
  };
}

function isStatus(error: unknown, status: number): boolean {
  return error instanceof RestError && error.statusCode === status;
}

/** The same contract in memory: for tests of everything that uses mappings, and for the CLI's dry runs. */
export class InMemoryMappingRepository implements MappingRepository {
  private readonly versions: MappingVersion[] = [];
  private pointer: ActivePointer | undefined;
  private readonly now: () => Date;

  constructor(options: MappingRepositoryOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async addVersion(input: NewMappingVersion): Promise<MappingVersion> {
    checkSize(input.source);
    const stored: MappingVersion = {
      ...input,
      version: this.versions.length + 1,
      importedAt: this.now().toISOString(),
    };
    this.versions.push(stored);
    return { ...stored };
  }

  async activate(version: number, activatedBy: string): Promise<ActivePointer> {
    const target = this.versions[version - 1];
    if (target === undefined) throw new MappingActivationError(`mapping version ${version} does not exist`);
    if (!target.valid) {
      throw new MappingActivationError(
        `mapping version ${version} failed validation against the org (${target.problemCount} problems) and cannot be activated`,
      );
    }
    this.pointer = { version, activatedBy, activatedAt: this.now().toISOString() };
    return { ...this.pointer };
  }

  async getActivePointer(): Promise<ActivePointer | undefined> {
    return this.pointer === undefined ? undefined : { ...this.pointer };
  }

  async getVersion(version: number): Promise<MappingVersion | undefined> {
    const found = Number.isInteger(version) && version >= 1 ? this.versions[version - 1] : undefined;
    return found === undefined ? undefined : { ...found };
  }

  async listVersions(): Promise<MappingVersionSummary[]> {
    return this.versions.map(({ source: _source, ...summary }) => summary);
  }
}
