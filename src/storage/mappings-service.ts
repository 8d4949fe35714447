import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { parseMapping, type Mapping, type MappingProblem } from "../lifecycle/mapping";
import type { OrgDirectory } from "../lifecycle/org";
import { validateMapping, type ValidationReport } from "../lifecycle/validate";
import type {
  ActivePointer,
  MappingFormat,
  MappingRepository,
  MappingVersion,
  MappingVersionSummary,
} from "./mappings";

/**
 * Import, validation and export of mappings, shared by `PUT/GET /api/mappings` and `npm run mappings`:
 * parse (400-class problems, each naming line and field) → validate against the org (every problem at once) →
 * store a new immutable version → activate it only if it is valid.
 */

export type CheckOutcome =
  | { kind: "INVALID_SCHEMA"; errors: MappingProblem[] }
  | { kind: "CHECKED"; mapping: Mapping; report: ValidationReport };

export type ImportOutcome =
  | { kind: "INVALID_SCHEMA"; errors: MappingProblem[] }
  | { kind: "INVALID_FOR_ORG"; version: MappingVersionSummary; report: ValidationReport }
  | { kind: "ACTIVATED"; version: MappingVersionSummary; active: ActivePointer };

export interface LoadedMapping {
  version: MappingVersion;
  mapping: Mapping;
}

export interface MappingServiceDependencies {
  repository: MappingRepository;
  org: OrgDirectory;
}

/** Parsed versions kept in memory: versions never change, and reading a large one costs real CPU. */
const PARSED_VERSIONS_KEPT = 8;

export class MappingService {
  /**
   * Each version's load, kept from its start: the hires of a batch's first slices all ask for the active version
   * at once, and keeping only finished loads had each of them read and parse it again.
   */
  readonly #loads = new Map<number, Promise<LoadedMapping | undefined>>();

  constructor(private readonly deps: MappingServiceDependencies) {}

  /** Parses and validates without storing anything. */
  async check(source: string): Promise<CheckOutcome> {
    const parsed = parseMapping(source);
    if (!parsed.ok) return { kind: "INVALID_SCHEMA", errors: parsed.errors };
    const report = await validateMapping(parsed.mapping, this.deps.org, parsed.locate);
    return { kind: "CHECKED", mapping: parsed.mapping, report };
  }

  /**
   * Stores `source` as a new version and activates it when it validates. A version that fails validation is
   * kept (who tried what, and why it was refused) but never activated; a file that does not parse is not kept.
   */
  async import(input: {
    source: string;
    importedBy: string;
    format?: MappingFormat;
  }): Promise<ImportOutcome> {
    const checked = await this.check(input.source);
    if (checked.kind === "INVALID_SCHEMA") return checked;
    const { report } = checked;
    const stored = await this.deps.repository.addVersion({
      source: input.source,
      format: input.format ?? detectFormat(input.source),
      importedBy: input.importedBy,
      valid: report.ok,
      problemCount: report.problems.length,
    });
    // Versions never change: the version just parsed is kept, so the first hires after an import read nothing.
    this.#keep(stored.version, Promise.resolve({ version: stored, mapping: checked.mapping }));
    const { source: _source, ...version } = stored;
    if (!report.ok) return { kind: "INVALID_FOR_ORG", version, report };
    const active = await this.deps.repository.activate(stored.version, input.importedBy);
    return { kind: "ACTIVATED", version, active };
  }

  /** The active mapping, parsed; undefined before the first successful import. */
  async getActive(): Promise<LoadedMapping | undefined> {
    const pointer = await this.deps.repository.getActivePointer();
    return pointer === undefined ? undefined : this.getVersion(pointer.version);
  }

  getVersion(versionNumber: number): Promise<LoadedMapping | undefined> {
    const kept = this.#loads.get(versionNumber);
    if (kept) return kept;
    const load = this.#load(versionNumber);
    this.#keep(versionNumber, load);
    // A version not found (yet) or not read is asked for again next time, not remembered as missing.
    const forget = () => this.#loads.get(versionNumber) === load && this.#loads.delete(versionNumber);
    load.then((loaded) => loaded === undefined && forget(), forget);
    return load;
  }

  #keep(versionNumber: number, load: Promise<LoadedMapping | undefined>): void {
    if (this.#loads.size >= PARSED_VERSIONS_KEPT) this.#loads.delete(this.#loads.keys().next().value!);
    this.#loads.set(versionNumber, load);
  }

  async #load(versionNumber: number): Promise<LoadedMapping | undefined> {
    const version = await this.deps.repository.getVersion(versionNumber);
    if (version === undefined) return undefined;
    const parsed = parseMapping(version.source);
    // Stored versions parsed when imported; failing now means the schema changed incompatibly.
    if (!parsed.ok) {
      throw new Error(
        `stored mapping version ${versionNumber} no longer parses: ${parsed.errors.map((e) => e.message).join("; ")}`,
      );
    }
    return { version, mapping: parsed.mapping };
  }

  listVersions(): Promise<MappingVersionSummary[]> {
    return this.deps.repository.listVersions();
  }

  getActivePointer(): Promise<ActivePointer | undefined> {
    return this.deps.repository.getActivePointer();
  }
}

/** JSON when the text is a JSON object, else YAML (JSON is YAML too; this only decides how it is exported). */
export function detectFormat(source: string, contentType?: string): MappingFormat {
  if (contentType !== undefined && /json/i.test(contentType)) return "json";
  if (contentType !== undefined && /yaml/i.test(contentType)) return "yaml";
  return source.trimStart().startsWith("{") ? "json" : "yaml";
}

/** The file in the other format: YAML comments do not survive a conversion to JSON. */
export function convertMapping(source: string, from: MappingFormat, to: MappingFormat): string {
  if (from === to) return source;
  const data: unknown = parseYaml(source);
  return to === "json" ? `${JSON.stringify(data, null, 2)}\n` : stringifyYaml(data);
}
