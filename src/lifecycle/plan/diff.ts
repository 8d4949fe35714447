import type { OwnableAttribute } from "../mapping";
import type { Catalog, CatalogKind, Ref } from "../org";
import type { LeveledRef, ResolvedGrant, ResolvedProfile } from "../profile";
import type { AssignedSnapshot, LeveledAssignment, RoleGrant } from "../state";
import type { LeveledChange } from "./step";

/** A role grant's identity: the same role in another division is another grant. */
export const grantKey = (g: RoleGrant) => `${g.roleId}@${g.divisionId}`;

/**
 * The ownership rule every diff follows: add what is desired and missing; remove what is present and not
 * desired only if this product assigned it last time, or if the mapping owns the attribute outright. A value
 * an administrator added by hand otherwise stays.
 */
export class AssignmentDiff {
  constructor(
    private readonly catalog: Catalog,
    private readonly owns: ReadonlySet<OwnableAttribute>,
  ) {}

  /** `previous`: the keys this product assigned last time (absent: it never provisioned this user). */
  set<T>(
    attribute: OwnableAttribute,
    desired: { key: string; value: T }[],
    current: { key: string; value: T }[],
    previous: string[] | undefined,
  ): { add: T[]; remove: T[] } {
    const currentKeys = new Set(current.map((c) => c.key));
    const desiredKeys = new Set(desired.map((d) => d.key));
    const owned = this.owns.has(attribute);
    const assigned = new Set(previous ?? []);
    const seen = new Set<string>();
    const add = desired
      .filter((d) => !currentKeys.has(d.key) && !seen.has(d.key) && seen.add(d.key))
      .map((d) => d.value);
    const remove = current
      .filter((c) => !desiredKeys.has(c.key) && (owned || assigned.has(c.key)))
      .map((c) => c.value);
    return { add, remove };
  }

  /** Skills and languages: also sets a proficiency that differs, remembering the one before. */
  leveled(
    attribute: OwnableAttribute,
    kind: CatalogKind,
    desired: LeveledRef[],
    current: LeveledAssignment[],
    previous: string[] | undefined,
  ): { set: LeveledChange[]; remove: Ref[] } {
    const currentById = new Map(current.map((c) => [c.id, c.proficiency]));
    const set: LeveledChange[] = [];
    for (const d of desired) {
      const before = currentById.get(d.id);
      if (before === undefined) set.push(d);
      else if (before !== d.proficiency) set.push({ ...d, from: before });
    }
    const { remove } = this.set(
      attribute,
      desired.map((d) => ({ key: d.id, value: d })),
      current.map((c) => ({ key: c.id, value: this.catalog.describe(kind, c.id) })),
      previous,
    );
    return { set, remove };
  }

  /** The user's current role grants, keyed for `set` and named for people. */
  currentGrants(grants: readonly RoleGrant[]): { key: string; value: ResolvedGrant }[] {
    return grants.map((g) => ({ key: grantKey(g), value: this.describeGrant(g) }));
  }

  /** The user's current queues, keyed for `set` and named for people. */
  currentQueues(queueIds: readonly string[]): { key: string; value: Ref }[] {
    return queueIds.map((id) => ({ key: id, value: this.catalog.describe("queue", id) }));
  }

  describeGrant(grant: RoleGrant): ResolvedGrant {
    return {
      role: this.catalog.describe("role", grant.roleId),
      division: this.catalog.describe("division", grant.divisionId),
    };
  }
}

/** The ids a resolved profile assigns: what a later plan may remove from this employee. */
export function assignedSnapshot(profile: ResolvedProfile, mappingVersion?: number): AssignedSnapshot {
  return {
    mappingVersion,
    grants: profile.grants.map((g) => ({ roleId: g.role.id, divisionId: g.division.id })),
    queueIds: profile.queues.map((q) => q.id),
    skillIds: profile.skills.map((s) => s.id),
    languageIds: profile.languages.map((l) => l.id),
  };
}
