import type { SubjectDivisionGrants } from "../genesys";
import type { ResolvedGrant } from "../lifecycle/profile";

/**
 * A batch's role grants, gathered so each role is granted with one call per set of divisions for all the users
 * who get it there (`POST /api/v2/authorization/roles/{roleId}`), instead of one call per user.
 */
export class RoleGrantsByDivisions {
  /** Role → user → the divisions it gets that role in. */
  readonly #divisions = new Map<string, Map<string, Set<string>>>();

  add(userId: string, grants: readonly ResolvedGrant[]): void {
    for (const { role, division } of grants) {
      const users = this.#divisions.get(role.id) ?? new Map<string, Set<string>>();
      this.#divisions.set(role.id, users.set(userId, (users.get(userId) ?? new Set()).add(division.id)));
    }
  }

  /** One call per role and set of divisions, listing the users who get that role in exactly those divisions. */
  calls(): Array<{ roleId: string; divisionIds: string[]; userIds: string[] }> {
    const calls = new Map<string, { roleId: string; divisionIds: string[]; userIds: string[] }>();
    for (const [roleId, users] of this.#divisions) {
      for (const [userId, divisions] of users) {
        const divisionIds = [...divisions].sort();
        const key = JSON.stringify([roleId, divisionIds]);
        const call = calls.get(key) ?? { roleId, divisionIds, userIds: [] };
        call.userIds.push(userId);
        calls.set(key, call);
      }
    }
    return [...calls.values()];
  }
}

/** A role's subject-grants listing as (user, division) pairs, to confirm each user's divisions one by one. */
export async function* divisionsHeld(
  listing: AsyncIterable<SubjectDivisionGrants>,
): AsyncIterable<[userId: string, divisionId: string]> {
  for await (const subject of listing)
    for (const division of subject.divisions ?? []) yield [subject.id, division.id];
}
