import { z } from "zod";
import type { OrgDirectory, OrgDivision, OrgQueue, PermittedDivisions, Ref } from "./org";

const ref = z.object({ id: z.string().min(1), name: z.string().min(1) });

/**
 * A snapshot of an org's directory as JSON: what `validate --org FILE` reads offline, and what tests use in
 * place of Genesys. `permissions` maps a permission to the division names it is held in, or "*" for all.
 */
export const OrgSnapshotSchema = z.object({
  roles: z.array(ref),
  divisions: z.array(ref.extend({ homeDivision: z.boolean().optional() })),
  queues: z.array(ref.extend({ division: z.string().min(1) })),
  skills: z.array(ref),
  languages: z.array(ref),
  permissions: z.record(z.string(), z.union([z.literal("*"), z.array(z.string())])),
});
export type OrgSnapshot = z.infer<typeof OrgSnapshotSchema>;

/** An OrgDirectory over a fixed snapshot; divisions in `permissions` and queues are named, not ids. */
export class StaticOrgDirectory implements OrgDirectory {
  private readonly divisionIdByName: Map<string, string>;

  constructor(private readonly snapshot: OrgSnapshot) {
    this.divisionIdByName = new Map(snapshot.divisions.map((d) => [d.name, d.id]));
  }

  async listRoles(): Promise<Ref[]> {
    return this.snapshot.roles;
  }
  async listDivisions(): Promise<OrgDivision[]> {
    return this.snapshot.divisions;
  }
  /** Like Genesys: only the queues in divisions where the client holds routing:queue:view. */
  async listQueues(): Promise<OrgQueue[]> {
    const visible = await this.divisionsPermitted("routing:queue:view");
    return this.snapshot.queues
      .map((q) => ({
        id: q.id,
        name: q.name,
        divisionId: this.divisionIdByName.get(q.division) ?? q.division,
      }))
      .filter((q) => visible.all || visible.divisionIds.includes(q.divisionId));
  }
  async listSkills(): Promise<Ref[]> {
    return this.snapshot.skills;
  }
  async listLanguages(): Promise<Ref[]> {
    return this.snapshot.languages;
  }
  async divisionsPermitted(permission: string): Promise<PermittedDivisions> {
    const held = this.snapshot.permissions[permission];
    if (held === "*") return { all: true, divisionIds: [] };
    return {
      all: false,
      divisionIds: (held ?? []).map((name) => this.divisionIdByName.get(name) ?? name),
    };
  }
}
