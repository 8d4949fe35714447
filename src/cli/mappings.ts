/**
 * `npm run mappings -- validate|import|export|versions …`: the same import, validation and export as
 * `PUT/GET /api/mappings`, for administrators who keep the mapping in a repository or a spreadsheet export.
 */
import fs from "node:fs/promises";
import { parseArgs } from "node:util";
import { SETTINGS } from "../config/settings";
import { orgDirectoryFromSettings } from "./genesys-org";
import { formatProblem, parseMapping } from "../lifecycle/mapping";
import type { OrgDirectory } from "../lifecycle/org";
import { OrgSnapshotSchema, StaticOrgDirectory } from "../lifecycle/static-org";
import { validateMapping, type ValidationReport } from "../lifecycle/validate";
import { TableMappingRepository, type MappingFormat, type MappingRepository } from "../storage/mappings";
import { convertMapping, detectFormat, MappingService } from "../storage/mappings-service";

export const USAGE = `usage:
  npm run mappings -- validate FILE [--org ORG.json]     check a mapping file (and, with an org, against the org)
  npm run mappings -- import FILE [--org ORG.json] [--by NAME]
                                                         store a new version; activate it if it validates
  npm run mappings -- export [FILE] [--version N] [--format yaml|json]
                                                         write the active (or a given) version to FILE or stdout
  npm run mappings -- versions                           list every version

ORG.json is an org snapshot (divisions, roles, queues, skills, languages, and the OAuth client's permissions per
division), as in local/mappings/demo-org.json. Without --org, the org is read from Genesys with the app's settings
(GENESYS_*). import, export and versions use TABLES_CONNECTION.`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Builds the org directory when --org is not given: the Genesys client from the app's settings. */
  orgFromEnv?: (env: NodeJS.ProcessEnv) => OrgDirectory | undefined;
  /** The mapping store; Table Storage from TABLES_CONNECTION when omitted. */
  repository?: MappingRepository;
}

/** Runs one command; resolves to the process exit code (0 ok, 1 problems found, 2 usage). */
export async function runMappingsCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        org: { type: "string" },
        by: { type: "string" },
        version: { type: "string" },
        format: { type: "string" },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, file] = parsed.positionals;
  const options = parsed.values;
  try {
    switch (command) {
      case "validate":
        if (file === undefined) return usage(io);
        return await validate(file, options.org, io);
      case "import":
        if (file === undefined) return usage(io);
        return await importFile(file, options.org, options.by, io);
      case "export":
        return await exportVersion(file, options.version, options.format, io);
      case "versions":
        return await listVersions(io);
      default:
        return usage(io);
    }
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function usage(io: CliIo): number {
  io.stderr(`${USAGE}\n`);
  return 2;
}

async function loadOrg(orgFile: string | undefined, io: CliIo): Promise<OrgDirectory | undefined> {
  if (orgFile !== undefined) {
    const snapshot = OrgSnapshotSchema.safeParse(JSON.parse(await fs.readFile(orgFile, "utf8")));
    if (!snapshot.success) throw new Error(`${orgFile} is not an org snapshot: ${snapshot.error.message}`);
    return new StaticOrgDirectory(snapshot.data);
  }
  return io.orgFromEnv?.(io.env);
}

function repositoryOf(io: CliIo): MappingRepository {
  if (io.repository !== undefined) return io.repository;
  const connection = SETTINGS.TABLES_CONNECTION.schema.safeParse(io.env.TABLES_CONNECTION);
  if (!connection.success)
    throw new Error("TABLES_CONNECTION is required: the Table Storage the mappings live in");
  return TableMappingRepository.fromConnectionString(connection.data);
}

function printReport(report: ValidationReport, io: CliIo): void {
  for (const p of report.problems) {
    io.stdout(`${p.line > 0 ? `line ${p.line}, column ${p.column}: ` : ""}${p.message}\n`);
  }
}

async function validate(file: string, orgFile: string | undefined, io: CliIo): Promise<number> {
  const source = await fs.readFile(file, "utf8");
  const parsed = parseMapping(source);
  if (!parsed.ok) {
    for (const error of parsed.errors) io.stdout(`${file}: ${formatProblem(error)}\n`);
    io.stderr(`${parsed.errors.length} problem(s) in ${file}\n`);
    return 1;
  }
  const profiles = parsed.mapping.profiles.length;
  const org = await loadOrg(orgFile, io);
  if (org === undefined) {
    io.stdout(
      `${file}: the file is valid (${profiles} profiles); pass --org, or set GENESYS_CLIENT_ID, to check it against an org\n`,
    );
    return 0;
  }
  const report = await validateMapping(parsed.mapping, org, parsed.locate);
  printReport(report, io);
  if (!report.ok) {
    io.stderr(`${report.problems.length} problem(s) against the org\n`);
    return 1;
  }
  io.stdout(`${file}: valid for the org (${profiles} profiles)\n`);
  return 0;
}

async function importFile(
  file: string,
  orgFile: string | undefined,
  by: string | undefined,
  io: CliIo,
): Promise<number> {
  const source = await fs.readFile(file, "utf8");
  const org = await loadOrg(orgFile, io);
  if (org === undefined) {
    io.stderr(
      "import validates against the org before activating: pass --org ORG.json, or configure Genesys\n",
    );
    return 2;
  }
  const service = new MappingService({ repository: repositoryOf(io), org });
  const outcome = await service.import({
    source,
    importedBy: by ?? io.env.USER ?? "cli",
    format: detectFormat(source, file.endsWith(".json") ? "json" : undefined),
  });
  switch (outcome.kind) {
    case "INVALID_SCHEMA":
      for (const error of outcome.errors) io.stdout(`${file}: ${formatProblem(error)}\n`);
      io.stderr(`${outcome.errors.length} problem(s) in ${file}; nothing was stored\n`);
      return 1;
    case "INVALID_FOR_ORG":
      printReport(outcome.report, io);
      io.stderr(`stored as version ${outcome.version.version} but NOT activated: it does not fit the org\n`);
      return 1;
    case "ACTIVATED":
      io.stdout(`imported ${file} as version ${outcome.version.version}; it is now active\n`);
      return 0;
  }
}

async function exportVersion(
  file: string | undefined,
  versionText: string | undefined,
  formatText: string | undefined,
  io: CliIo,
): Promise<number> {
  if (formatText !== undefined && formatText !== "yaml" && formatText !== "json") {
    io.stderr(`--format must be yaml or json, not "${formatText}"\n`);
    return 2;
  }
  const repository = repositoryOf(io);
  const version =
    versionText === undefined ? (await repository.getActivePointer())?.version : Number(versionText);
  if (version === undefined) {
    io.stderr("no mapping is active yet\n");
    return 1;
  }
  const stored = await repository.getVersion(version);
  if (stored === undefined) {
    io.stderr(`mapping version ${versionText} does not exist\n`);
    return 1;
  }
  const format: MappingFormat =
    formatText ?? (file?.endsWith(".json") ? "json" : file === undefined ? stored.format : "yaml");
  const text = convertMapping(stored.source, stored.format, format);
  if (file === undefined) io.stdout(text);
  else {
    await fs.writeFile(file, text);
    io.stderr(`wrote version ${stored.version} to ${file}\n`);
  }
  return 0;
}

async function listVersions(io: CliIo): Promise<number> {
  const repository = repositoryOf(io);
  const [versions, active] = await Promise.all([repository.listVersions(), repository.getActivePointer()]);
  for (const v of versions) {
    const marks = [
      v.version === active?.version ? "active" : "",
      v.valid ? "" : `invalid (${v.problemCount})`,
    ];
    io.stdout(
      `${v.version}\t${v.importedAt}\t${v.importedBy}\t${v.format}\t${marks.filter(Boolean).join(", ")}\n`,
    );
  }
  return 0;
}

if (require.main === module) {
  void runMappingsCli(process.argv.slice(2), {
    env: process.env,
    orgFromEnv: orgDirectoryFromSettings,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
