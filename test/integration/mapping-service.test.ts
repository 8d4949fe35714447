import fs from "node:fs";
import path from "node:path";
import type { TableClient } from "@azure/data-tables";
import { StaticOrgDirectory } from "../../src/lifecycle/static-org";
import { TableMappingRepository } from "../../src/storage/mappings";
import { MappingService } from "../../src/storage/mappings-service";
import { demoOrg } from "../support/demo-org";
import { useAzuriteTables } from "../support/tables";

const demoSource = fs.readFileSync(path.resolve(__dirname, "../../local/mappings/demo.yaml"), "utf8");

const azurite = useAzuriteTables();

/** The mapping service over real Table Storage, counting how often a version is read from the table. */
function countingService(table: TableClient) {
  const repository = new TableMappingRepository(table);
  const reads: number[] = [];
  const getVersion = repository.getVersion.bind(repository);
  repository.getVersion = (version) => {
    reads.push(version);
    return getVersion(version);
  };
  const service = new MappingService({ repository, org: new StaticOrgDirectory(demoOrg()) });
  return { service, repository, reads };
}

describe("the mapping service's parsed versions", () => {
  it("reads and parses the active version once when many hires ask for it at the same moment", async () => {
    const table = azurite.table("mappings");
    await countingService(table).service.import({ source: demoSource, importedBy: "ops@example.com" });
    // A new instance, as after a restart: nothing parsed yet, and thirty converging hires ask at once.
    const { service, reads } = countingService(table);

    const loaded = await Promise.all(Array.from({ length: 30 }, () => service.getActive()));

    expect(reads).toEqual([1]);
    expect(new Set(loaded).size).toBe(1);
    expect(loaded[0]?.version.version).toBe(1);
    expect(loaded[0]?.mapping.profiles.length).toBeGreaterThan(0);
  });

  it("keeps the version it imported parsed: the first hires after an import read nothing", async () => {
    const { service, reads } = countingService(azurite.table("mappings"));
    await service.import({ source: demoSource, importedBy: "ops@example.com" });
    reads.length = 0;

    const loaded = await service.getActive();

    expect(reads).toEqual([]);
    expect(loaded?.version).toMatchObject({ version: 1, importedBy: "ops@example.com" });
    expect(loaded?.mapping.profiles.length).toBeGreaterThan(0);
  });

  it("asks the table again for a version it did not find, and for one whose read failed", async () => {
    const table = azurite.table("mappings");
    const { service, reads } = countingService(table);
    expect(await service.getVersion(1)).toBeUndefined();
    // Imported by another instance.
    await countingService(table).service.import({ source: demoSource, importedBy: "ops@example.com" });
    reads.length = 0;
    expect((await service.getVersion(1))?.version.version).toBe(1);
    expect(reads).toEqual([1]);

    const fresh = countingService(table);
    const getVersion = fresh.repository.getVersion;
    fresh.repository.getVersion = () => Promise.reject(new Error("storage unavailable"));
    await expect(fresh.service.getVersion(1)).rejects.toThrow("storage unavailable");
    fresh.repository.getVersion = getVersion;
    expect((await fresh.service.getVersion(1))?.version.version).toBe(1);
  });
});
