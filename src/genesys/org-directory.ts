import type { OrgDirectory, OrgDivision, OrgQueue, PermittedDivisions, Ref } from "../lifecycle/org";

interface Named {
  id: string;
  name?: string;
}

/**
 * The part of the Genesys Cloud client the org directory reads. Structural, so `GenesysCloudClient` fits as is
 * (its `list*` methods return paged async iterators, which are async iterables).
 */
export interface OrgDirectoryClient {
  listRoles(): AsyncIterable<Named>;
  listDivisions(): AsyncIterable<Named & { homeDivision?: boolean }>;
  listQueues(): AsyncIterable<Named & { division?: { id: string } }>;
  listSkills(): AsyncIterable<Named>;
  listLanguages(): AsyncIterable<Named>;
  getDivisionsPermitted(
    permission: string,
  ): Promise<{ allDivisionsPermitted: boolean; divisions: readonly { id: string }[] }>;
}

/** The `OrgDirectory` port over the Genesys client: every list read to the end, nameless entries skipped. */
export function createOrgDirectory(client: OrgDirectoryClient): OrgDirectory {
  return {
    listRoles: () => collectNamed(client.listRoles()),
    listSkills: () => collectNamed(client.listSkills()),
    listLanguages: () => collectNamed(client.listLanguages()),
    async listDivisions(): Promise<OrgDivision[]> {
      const divisions: OrgDivision[] = [];
      for await (const d of client.listDivisions()) {
        if (d.name !== undefined)
          divisions.push({ id: d.id, name: d.name, homeDivision: d.homeDivision === true });
      }
      return divisions;
    },
    async listQueues(): Promise<OrgQueue[]> {
      const queues: OrgQueue[] = [];
      for await (const q of client.listQueues()) {
        // A queue always belongs to a division in Genesys; an empty id only skips its permission check.
        if (q.name !== undefined) queues.push({ id: q.id, name: q.name, divisionId: q.division?.id ?? "" });
      }
      return queues;
    },
    async divisionsPermitted(permission: string): Promise<PermittedDivisions> {
      const permitted = await client.getDivisionsPermitted(permission);
      return { all: permitted.allDivisionsPermitted, divisionIds: permitted.divisions.map((d) => d.id) };
    },
  };
}

async function collectNamed(items: AsyncIterable<Named>): Promise<Ref[]> {
  const refs: Ref[] = [];
  for await (const item of items) if (item.name !== undefined) refs.push({ id: item.id, name: item.name });
  return refs;
}
