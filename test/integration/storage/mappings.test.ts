import {
  InMemoryMappingRepository,
  MappingActivationError,
  MAX_MAPPING_SOURCE_CHARS,
  TableMappingRepository,
  type MappingRepository,
  type MappingRepositoryOptions,
} from "../../../src/storage/mappings";
import { useAzuriteTables } from "../../support/tables";

/** One contract, every implementation: what passes here in memory holds in Table Storage too. */
const azurite = useAzuriteTables();
const implementations: [string, (options: MappingRepositoryOptions) => MappingRepository][] = [
  ["in memory", (options) => new InMemoryMappingRepository(options)],
  ["Table Storage (Azurite)", (options) => new TableMappingRepository(azurite.table("mappings"), options)],
];

describe.each(implementations)("mapping repository: %s", (_name, create) => {
  let clock: Date;
  let repository: MappingRepository;
  beforeEach(() => {
    clock = new Date("2026-11-29T10:00:00.000Z");
    repository = create({ now: () => clock });
  });

  const add = (source: string, valid = true, importedBy = "ops@example.com") =>
    repository.addVersion({ source, format: "yaml", importedBy, valid, problemCount: valid ? 0 : 2 });

  it("starts empty", async () => {
    expect(await repository.getActivePointer()).toBeUndefined();
    expect(await repository.listVersions()).toEqual([]);
    expect(await repository.getVersion(1)).toBeUndefined();
  });

  it("numbers versions from 1 and keeps each one's text, author and time", async () => {
    const first = await add("version: 1 # first\n");
    clock = new Date("2026-11-29T11:00:00.000Z");
    const second = await add("version: 1 # second — é ✓\n", true, "admin@example.com");
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(await repository.getVersion(2)).toEqual({
      version: 2,
      source: "version: 1 # second — é ✓\n",
      format: "yaml",
      importedBy: "admin@example.com",
      importedAt: "2026-11-29T11:00:00.000Z",
      valid: true,
      problemCount: 0,
    });
    expect((await repository.getVersion(1))?.source).toBe("version: 1 # first\n");
    expect(await repository.getVersion(3)).toBeUndefined();
    expect(await repository.getVersion(0)).toBeUndefined();
  });

  it("lists versions oldest first, without their text", async () => {
    await add("a");
    await add("b", false);
    expect(await repository.listVersions()).toEqual([
      {
        version: 1,
        format: "yaml",
        importedBy: "ops@example.com",
        importedAt: clock.toISOString(),
        valid: true,
        problemCount: 0,
      },
      {
        version: 2,
        format: "yaml",
        importedBy: "ops@example.com",
        importedAt: clock.toISOString(),
        valid: false,
        problemCount: 2,
      },
    ]);
  });

  it("points at the active version, and can point back (roll back) without touching versions", async () => {
    await add("one");
    await add("two");
    expect(await repository.activate(2, "ops@example.com")).toEqual({
      version: 2,
      activatedBy: "ops@example.com",
      activatedAt: clock.toISOString(),
    });
    await repository.activate(1, "admin@example.com");
    expect(await repository.getActivePointer()).toMatchObject({
      version: 1,
      activatedBy: "admin@example.com",
    });
    expect((await repository.getVersion(2))?.source).toBe("two");
  });

  it("never activates an invalid or unknown version, and keeps the active one", async () => {
    await add("good");
    await repository.activate(1, "ops@example.com");
    await add("bad", false);
    await expect(repository.activate(2, "ops@example.com")).rejects.toThrow(MappingActivationError);
    await expect(repository.activate(2, "ops@example.com")).rejects.toThrow(
      "mapping version 2 failed validation against the org (2 problems) and cannot be activated",
    );
    await expect(repository.activate(9, "ops@example.com")).rejects.toThrow(
      "mapping version 9 does not exist",
    );
    expect((await repository.getActivePointer())?.version).toBe(1);
  });

  it("keeps a large mapping intact, and refuses one over the size limit", async () => {
    const large = Array.from({ length: 4000 }, (_, i) => `# line ${i} ${"x".repeat(20)} ✓`).join("\n");
    expect(large.length).toBeGreaterThan(100_000);
    const stored = await add(large);
    expect((await repository.getVersion(stored.version))?.source).toBe(large);
    await expect(add("y".repeat(MAX_MAPPING_SOURCE_CHARS + 1))).rejects.toThrow(RangeError);
  });

  it("gives concurrent imports distinct versions", async () => {
    const versions = await Promise.all([add("a"), add("b"), add("c")]);
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3]);
    const sources = await Promise.all([1, 2, 3].map(async (v) => (await repository.getVersion(v))?.source));
    expect(sources.sort()).toEqual(["a", "b", "c"]);
  });
});
