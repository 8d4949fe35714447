// In src/adapters, not src/activities: Genesys behind the org port, for activities, HTTP routes and the CLI.
import { collect, type GenesysCloudClient } from "../genesys";
import type { OrgDirectory, OrgDivision, OrgQueue, PermittedDivisions, Ref } from "../lifecycle/org";

const ref = (e: { id: string; name?: string }): Ref => ({ id: e.id, name: e.name ?? e.id });

/** The org as the mapping validation and the planner see it, read through the Genesys client. */
export class GenesysOrgDirectory implements OrgDirectory {
  constructor(private readonly genesys: GenesysCloudClient) {}

  async listRoles(): Promise<Ref[]> {
    return (await collect(this.genesys.listRoles())).map(ref);
  }

  async listDivisions(): Promise<OrgDivision[]> {
    return (await collect(this.genesys.listDivisions())).map((d) => ({
      ...ref(d),
      ...(d.homeDivision ? { homeDivision: true } : {}),
    }));
  }

  async listQueues(): Promise<OrgQueue[]> {
    return (await collect(this.genesys.listQueues())).map((q) => ({
      ...ref(q),
      divisionId: q.division?.id ?? "",
    }));
  }

  async listSkills(): Promise<Ref[]> {
    return (await collect(this.genesys.listSkills())).map(ref);
  }

  async listLanguages(): Promise<Ref[]> {
    return (await collect(this.genesys.listLanguages())).map(ref);
  }

  async divisionsPermitted(permission: string): Promise<PermittedDivisions> {
    const permitted = await this.genesys.getDivisionsPermitted(permission);
    return { all: permitted.allDivisionsPermitted, divisionIds: permitted.divisions.map((d) => d.id) };
  }
}
