import { ALL_DIVISIONS } from "./mapping";

/** A Genesys object as the plan needs it: its id for the API and its name for people. */
export interface Ref {
  id: string;
  name: string;
}

export interface OrgDivision extends Ref {
  homeDivision?: boolean;
}

export interface OrgQueue extends Ref {
  /** The queue's division: queue membership is checked there. */
  divisionId: string;
}

/** Where the OAuth client holds one permission: every division, or the listed ones. */
export interface PermittedDivisions {
  all: boolean;
  divisionIds: string[];
}

/**
 * What validation and planning read from the Genesys org. The Genesys client implements it over
 * `/api/v2/authorization/roles|divisions|divisionspermitted`, `/api/v2/routing/queues|skills|languages`;
 * tests use an in-memory one. Each list is complete (the implementation pages through everything).
 */
export interface OrgDirectory {
  listRoles(): Promise<Ref[]>;
  listDivisions(): Promise<OrgDivision[]>;
  listQueues(): Promise<OrgQueue[]>;
  listSkills(): Promise<Ref[]>;
  listLanguages(): Promise<Ref[]>;
  /** `GET /api/v2/authorization/divisionspermitted/paged/me?permission=…` for the client's own token. */
  divisionsPermitted(permission: string): Promise<PermittedDivisions>;
}

export type CatalogKind = "role" | "division" | "queue" | "skill" | "language";

/** Genesys names are unique per kind regardless of case; so is the lookup. */
const nameKey = (name: string) => name.trim().toLowerCase();

/**
 * Name → id (and back) for everything a mapping names. The mapping is written in names; the plan diffs ids
 * (what Genesys returns for a user) and keeps names beside them for audit and dry-run readability.
 */
export class Catalog {
  private readonly byName: Record<CatalogKind, Map<string, Ref>>;
  private readonly byId: Record<CatalogKind, Map<string, Ref>>;
  private readonly queueDivision = new Map<string, string>();
  readonly homeDivision: Ref;

  constructor(snapshot: {
    roles: readonly Ref[];
    divisions: readonly OrgDivision[];
    queues: readonly OrgQueue[];
    skills: readonly Ref[];
    languages: readonly Ref[];
  }) {
    const index = (refs: readonly Ref[]) => ({
      byName: new Map(refs.map((r) => [nameKey(r.name), { id: r.id, name: r.name }])),
      byId: new Map(refs.map((r) => [r.id, { id: r.id, name: r.name }])),
    });
    const kinds = {
      role: index(snapshot.roles),
      division: index(snapshot.divisions),
      queue: index(snapshot.queues),
      skill: index(snapshot.skills),
      language: index(snapshot.languages),
    };
    this.byName = {
      role: kinds.role.byName,
      division: kinds.division.byName,
      queue: kinds.queue.byName,
      skill: kinds.skill.byName,
      language: kinds.language.byName,
    };
    this.byId = {
      role: kinds.role.byId,
      division: kinds.division.byId,
      queue: kinds.queue.byId,
      skill: kinds.skill.byId,
      language: kinds.language.byId,
    };
    for (const q of snapshot.queues) this.queueDivision.set(q.id, q.divisionId);
    const home =
      snapshot.divisions.find((d) => d.homeDivision === true) ??
      snapshot.divisions.find((d) => nameKey(d.name) === "home");
    this.homeDivision = home === undefined ? { id: "", name: "Home" } : { id: home.id, name: home.name };
  }

  /** Reads the whole directory once; a plan over many employees reuses the result. */
  static async load(org: OrgDirectory): Promise<Catalog> {
    const [roles, divisions, queues, skills, languages] = await Promise.all([
      org.listRoles(),
      org.listDivisions(),
      org.listQueues(),
      org.listSkills(),
      org.listLanguages(),
    ]);
    return new Catalog({ roles, divisions, queues, skills, languages });
  }

  find(kind: CatalogKind, name: string): Ref | undefined {
    if (kind === "division" && name === ALL_DIVISIONS) return { id: ALL_DIVISIONS, name: ALL_DIVISIONS };
    return this.byName[kind].get(nameKey(name));
  }

  /** The name for an id read from Genesys; the id itself when the catalog does not know it. */
  describe(kind: CatalogKind, id: string): Ref {
    if (kind === "division" && id === ALL_DIVISIONS) return { id, name: ALL_DIVISIONS };
    return this.byId[kind].get(id) ?? { id, name: id };
  }

  /** Whether the org still has this id (a role, queue or division removed since it was saved does not). */
  knows(kind: CatalogKind, id: string): boolean {
    return (kind === "division" && id === ALL_DIVISIONS) || this.byId[kind].has(id);
  }

  divisionOfQueue(queueId: string): string | undefined {
    return this.queueDivision.get(queueId);
  }

  allDivisionIds(): string[] {
    return [...this.byId.division.keys()];
  }
}
