// Who changed a drifted attribute, and when, as far as Genesys's realtime audit shows it.
import { isGenesysCloudError, type AuditLogMessage, type GenesysCloudClient } from "../genesys";
import type { DriftAttribute, DriftItem } from "../lifecycle/reconcile/drift";

/** Who made a change and when, from Genesys's audit. */
export interface ChangeAuthor {
  by: string;
  at: string;
  action?: string;
}

export interface DriftToExplain {
  userId: string;
  items: readonly DriftItem[];
}

/** Genesys keeps realtime audits this long. */
export const AUDIT_REACH_IN_MS = 14 * 86_400_000;

/** The audit service each attribute's changes are logged under, and the property names they carry. */
const AUDITED: Record<DriftAttribute, { service: string; properties: string[] }> = {
  state: { service: "Directory", properties: ["state"] },
  identity: { service: "Directory", properties: ["employerInfo", "employeeId"] },
  division: { service: "Directory", properties: ["division", "divisionId"] },
  profile: { service: "Directory", properties: [] },
  manager: { service: "Directory", properties: ["manager"] },
  roles: { service: "PeoplePermissions", properties: ["roles", "grants", "roleDivisionGrants"] },
  queues: { service: "Routing", properties: ["members", "memberships"] },
  skills: { service: "Routing", properties: ["skills", "routingSkills"] },
  languages: { service: "Routing", properties: ["languages", "routingLanguages"] },
};

export interface AuditLookupResult {
  /** By `userId|index of the item` in its list. */
  authors: Map<string, ChangeAuthor>;
  calls: number;
  /** Why nobody is named at all (the OAuth client may not read audits). */
  unavailable?: string;
}

const authorOf = (entry: AuditLogMessage): ChangeAuthor => ({
  by:
    entry.user?.name ??
    entry.user?.id ??
    (entry.client ? `OAuth client ${entry.client.name ?? entry.client.id}` : "someone Genesys does not name"),
  at: entry.eventDate ?? "",
  ...(entry.action ? { action: entry.action } : {}),
});

/** Whether an audit message names this id anywhere: as its entity, in a property change, or in its context. */
const mentions = (entry: AuditLogMessage, id: string): boolean =>
  entry.entity?.id === id ||
  (entry.propertyChanges ?? []).some((c) => [...(c.oldValues ?? []), ...(c.newValues ?? [])].includes(id)) ||
  Object.values(entry.context ?? {}).includes(id);

/**
 * Names who made each drift, with one audit query per service and user (per queue for queue membership,
 * which Genesys logs on the queue), shared by every item it explains, and at most `maxQueries` in a run.
 * The product's own changes (its OAuth client) are never the answer: they are what drift departs from.
 */
export async function whoChanged(
  genesys: GenesysCloudClient,
  drift: readonly DriftToExplain[],
  options: { ownClientId: string; now: Date; maxQueries: number },
): Promise<AuditLookupResult> {
  const interval = `${new Date(options.now.getTime() - AUDIT_REACH_IN_MS).toISOString()}/${options.now.toISOString()}`;
  const queries = new Map<string, { service: string; entityId: string }>();
  const wanted: { key: string; query: string; userId: string; item: DriftItem }[] = [];
  for (const { userId, items } of drift) {
    items.forEach((item, index) => {
      const { service } = AUDITED[item.attribute];
      const entityId = item.attribute === "queues" && item.itemId ? item.itemId : userId;
      const query = `${service}|${entityId}`;
      if (!queries.has(query) && queries.size >= options.maxQueries) return;
      queries.set(query, { service, entityId });
      wanted.push({ key: `${userId}|${index}`, query, userId, item });
    });
  }
  const results = new Map<string, AuditLogMessage[]>();
  let calls = 0;
  for (const [key, { service, entityId }] of queries) {
    try {
      calls++;
      const page = await genesys.queryRealtimeAudits({
        interval,
        serviceName: service,
        filters: [{ property: "EntityId", value: entityId }],
        sort: [{ name: "Timestamp", sortOrder: "descending" }],
        pageNumber: 1,
        pageSize: 100,
      });
      results.set(
        key,
        page.entities.filter((e) => e.client?.id !== options.ownClientId),
      );
    } catch (error) {
      if (isGenesysCloudError(error) && (error.statusCode === 403 || error.statusCode === 404)) {
        return {
          authors: new Map(),
          calls,
          unavailable:
            `Genesys's audit could not be read (HTTP ${error.statusCode}): grant the OAuth client ` +
            "audits:audit:view to see who changed what",
        };
      }
      throw error;
    }
  }
  const authors = new Map<string, ChangeAuthor>();
  for (const { key, query, userId, item } of wanted) {
    const entries = (results.get(query) ?? []).filter(
      (e) => item.attribute !== "queues" || mentions(e, userId),
    );
    const { properties } = AUDITED[item.attribute];
    const about = (e: AuditLogMessage) =>
      (e.propertyChanges ?? []).some((c) =>
        [...properties, ...(item.item ? [item.item] : [])].includes(c.property ?? ""),
      );
    // Newest first: the change that left the attribute as it is now. A message that says what it changed, and
    // it is something else (another skill's user, a language), never names the author of this item; one that
    // names no property might be it.
    const entry = entries.find(about) ?? entries.find((e) => (e.propertyChanges ?? []).length === 0);
    if (entry) authors.set(key, authorOf(entry));
  }
  return { authors, calls };
}
