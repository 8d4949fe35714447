import type { HrWorker } from "./hr-event";
import type { Mapping } from "./mapping";
import { ProfileMatcher } from "./match";
import type { Catalog, CatalogKind, Ref } from "./org";

/** The user fields Genesys holds that come straight from HR. */
export interface DesiredUserFields {
  name: string;
  email: string;
  preferredName?: string;
  title: string;
  department?: string;
  employeeId: string;
}

/** What the mapping says a worker should have, in names (as the mapping file writes them). */
export interface DesiredProfile {
  profileIndex: number;
  user: DesiredUserFields;
  division: string;
  /** Role grants with the division resolved: the role's own, else the profile's, else the default; or "*". */
  roles: { name: string; division: string }[];
  queues: string[];
  skills: { name: string; proficiency: number }[];
  languages: { name: string; proficiency: number }[];
  supervisor?: string;
}

export type DesiredProfileResult =
  | { kind: "DESIRED"; profile: DesiredProfile }
  | { kind: "UNMAPPED_TITLE" | "AMBIGUOUS_MATCH"; reason: string };

/** desired profile = mapping(worker). */
export function desiredProfile(
  worker: HrWorker,
  mapping: Mapping,
  matcher: ProfileMatcher,
): DesiredProfileResult {
  const match = matcher.match(worker);
  if (match.kind !== "MATCHED") return { kind: match.kind, reason: match.reason };
  const { profile, profileIndex } = match;
  const division = profile.division ?? mapping.defaults.division;
  return {
    kind: "DESIRED",
    profile: {
      profileIndex,
      user: {
        name: `${worker.firstName} ${worker.lastName}`,
        email: worker.email,
        preferredName: worker.preferredName,
        title: worker.title,
        department: worker.department,
        employeeId: worker.employeeId,
      },
      division,
      roles: profile.roles.map((r) => ({ name: r.name, division: r.division ?? division })),
      queues: profile.queues,
      skills: profile.skills,
      languages: profile.languages,
      supervisor: profile.supervisor,
    },
  };
}

export interface ResolvedGrant {
  role: Ref;
  division: Ref;
}

export interface LeveledRef extends Ref {
  proficiency: number;
}

/** The desired profile with every name resolved to its Genesys id. */
export interface ResolvedProfile {
  profileIndex: number;
  user: DesiredUserFields;
  division: Ref;
  grants: ResolvedGrant[];
  queues: Ref[];
  skills: LeveledRef[];
  languages: LeveledRef[];
  supervisor?: string;
}

export interface MissingName {
  kind: CatalogKind;
  name: string;
}

export type ResolveResult =
  | { kind: "RESOLVED"; profile: ResolvedProfile }
  | { kind: "UNKNOWN_NAMES"; missing: MissingName[]; reason: string };

/** Resolves names through the catalog; any name the org does not have makes the whole profile unusable. */
export function resolveProfile(desired: DesiredProfile, catalog: Catalog): ResolveResult {
  const missing: MissingName[] = [];
  const find = (kind: CatalogKind, name: string): Ref => {
    const ref = catalog.find(kind, name);
    if (ref === undefined) missing.push({ kind, name });
    return ref ?? { id: "", name };
  };
  const profile: ResolvedProfile = {
    profileIndex: desired.profileIndex,
    user: desired.user,
    division: find("division", desired.division),
    grants: desired.roles.map((r) => ({
      role: find("role", r.name),
      division: find("division", r.division),
    })),
    queues: desired.queues.map((q) => find("queue", q)),
    skills: desired.skills.map((s) => ({ ...find("skill", s.name), proficiency: s.proficiency })),
    languages: desired.languages.map((l) => ({ ...find("language", l.name), proficiency: l.proficiency })),
    supervisor: desired.supervisor,
  };
  if (missing.length > 0) {
    return {
      kind: "UNKNOWN_NAMES",
      missing,
      reason: `the org has no ${missing.map((m) => `${m.kind} "${m.name}"`).join(", ")}`,
    };
  }
  return { kind: "RESOLVED", profile };
}

/** The profile the mapping gives this worker, resolved to the org's ids; undefined when it gives none. */
export function mappedProfile(
  worker: HrWorker,
  mapping: Mapping,
  catalog: Catalog,
): ResolvedProfile | undefined {
  const desired = desiredProfile(worker, mapping, new ProfileMatcher(mapping));
  if (desired.kind !== "DESIRED") return undefined;
  const resolved = resolveProfile(desired.profile, catalog);
  return resolved.kind === "RESOLVED" ? resolved.profile : undefined;
}
