import { ALL_DIVISIONS, type Mapping } from "../mapping";
import type { Catalog } from "../org";
import type { AssignedSnapshot } from "../state";

/**
 * What the Genesys half of a run reads, chosen for cost. Users always come from the paged user listing with
 * expansions (every user is needed anyway, to find orphans); queue memberships and role grants come either
 * from one listing per queue and per division, shared by everyone, or from one read per managed user,
 * whichever costs fewer calls. Only the queues and divisions that can show drift are read: those the mapping
 * assigns or this product assigned, and every one of a kind the mapping owns outright.
 */

/** One shared listing, read a page at a time. */
export type ReadUnit = { kind: "users" } | { kind: "queue"; id: string } | { kind: "division"; id: string };

export interface ReadPlan {
  units: ReadUnit[];
  /** Queue memberships from queue listings (for `listedQueueIds`), or one read per user. */
  queues: "listed" | "per-user";
  listedQueueIds: string[];
  /** Role grants from division listings (for `listedDivisionIds`), or one read per user. */
  grants: "listed" | "per-user";
  listedDivisionIds: string[];
  /** The calls the plan expects, and what reading everyone one by one would have cost instead. */
  estimate: { calls: number; perUserCalls: number };
}

/** Users per page of `GET /api/v2/users`, queue members per page, and grants per page of a division. */
export const PAGE_SIZES = { users: 500, queueMembers: 100, divisionGrants: 500 } as const;

export interface ReadPlanInput {
  mapping: Mapping;
  catalog: Catalog;
  /** What this product assigned to each managed employee last time. */
  assigned: readonly (AssignedSnapshot | null)[];
  /** Users in the org, as far as known (the first page of the listing tells); the managed count otherwise. */
  orgUsers: number;
  /** Members per queue, from the queue listing. */
  queueMembers: ReadonlyMap<string, number>;
}

const pages = (items: number, perPage: number) => Math.max(1, Math.ceil(items / perPage));

export function planReads({ mapping, catalog, assigned, orgUsers, queueMembers }: ReadPlanInput): ReadPlan {
  const managed = assigned.length;
  const owns = new Set(mapping.owns);
  const mappedQueues = new Set<string>();
  const mappedDivisions = new Set<string>();
  for (const profile of mapping.profiles) {
    const division = profile.division ?? mapping.defaults.division;
    for (const name of profile.queues) {
      const queue = catalog.find("queue", name);
      if (queue) mappedQueues.add(queue.id);
    }
    for (const role of profile.roles) {
      const ref = catalog.find("division", role.division ?? division);
      if (ref && ref.id !== ALL_DIVISIONS) mappedDivisions.add(ref.id);
    }
  }
  for (const snapshot of assigned) {
    for (const id of snapshot?.queueIds ?? []) mappedQueues.add(id);
    for (const g of snapshot?.grants ?? [])
      if (g.divisionId !== ALL_DIVISIONS) mappedDivisions.add(g.divisionId);
  }
  const queueIds = owns.has("queues") ? [...queueMembers.keys()] : [...mappedQueues];
  const divisionIds = owns.has("roles") ? catalog.allDivisionIds() : [...mappedDivisions];

  const queueCalls = queueIds.reduce(
    (sum, id) => sum + pages(queueMembers.get(id) ?? 0, PAGE_SIZES.queueMembers),
    0,
  );
  // A division's grant count is not known before reading it: every managed user holds a few grants in it.
  const grantCalls = divisionIds.length * pages(managed * 3, PAGE_SIZES.divisionGrants);
  const queues = queueCalls <= managed ? "listed" : "per-user";
  const grants = grantCalls <= managed ? "listed" : "per-user";
  const userCalls = pages(orgUsers, PAGE_SIZES.users);
  const units: ReadUnit[] = [
    { kind: "users" },
    ...(queues === "listed" ? queueIds.map((id): ReadUnit => ({ kind: "queue", id })) : []),
    ...(grants === "listed" ? divisionIds.map((id): ReadUnit => ({ kind: "division", id })) : []),
  ];
  return {
    units,
    queues,
    listedQueueIds: queues === "listed" ? queueIds : [],
    grants,
    listedDivisionIds: grants === "listed" ? divisionIds : [],
    estimate: {
      calls:
        userCalls +
        (queues === "listed" ? queueCalls : managed) +
        (grants === "listed" ? grantCalls : managed),
      // One read per user for the profile with its expansions, one for grants, one for queues.
      perUserCalls: managed * 3,
    },
  };
}
