import type { TableClient } from "@azure/data-tables";
import type { MappingDependencies } from "./app";
import {
  createCurrentStateReader,
  type AssignedSnapshotSource,
  type CurrentStateClient,
} from "./genesys/current-state";
import { createOrgDirectory, type OrgDirectoryClient } from "./genesys/org-directory";
import type { HrWorker } from "./lifecycle/hr-event";
import { TableMappingRepository } from "./storage/mappings";
import { MappingService } from "./storage/mappings-service";

export interface MappingWiringOptions {
  /** The `mappings` table. */
  table: TableClient;
  /** The Genesys Cloud client (`GenesysCloudClient` fits as is). */
  client: OrgDirectoryClient & CurrentStateClient;
  /** What this product assigned last time, from the audit trail; without it movers lose nothing. */
  assigned?: AssignedSnapshotSource;
  /** The managed workforce, for mapping-change dry runs. */
  listWorkers?: () => Promise<HrWorker[]>;
}

/**
 * Everything the mapping and dry-run routes need, for the composition root:
 * `mappings: composeMappingDependencies({ table: new TableClient(url, "mappings", credential), client })`.
 */
export function composeMappingDependencies(options: MappingWiringOptions): MappingDependencies {
  const org = createOrgDirectory(options.client);
  return {
    service: new MappingService({ repository: new TableMappingRepository(options.table), org }),
    org,
    state: createCurrentStateReader(options.client, {
      assigned: options.assigned,
      listWorkers: options.listWorkers,
    }),
  };
}
