import { CLIENT_ERROR_CODES, GenesysCloudError } from "./errors";

export type NamedKind = "role" | "division" | "queue" | "skill" | "language";

/** Listing paths that accept a `name` filter, per kind. */
export const NAMED_LISTING_PATHS: Record<NamedKind, string> = {
  role: "/api/v2/authorization/roles",
  division: "/api/v2/authorization/divisions",
  queue: "/api/v2/routing/queues",
  skill: "/api/v2/routing/skills",
  language: "/api/v2/routing/languages",
};

const PLURAL: Record<NamedKind, string> = {
  role: "roles",
  division: "divisions",
  queue: "queues",
  skill: "skills",
  language: "languages",
};

/** Fetches the candidates for one name (Genesys filters are prefix or wildcard matches; we pick exactly). */
export type NameLookup = (kind: NamedKind, name: string) => Promise<{ id: string; name?: string }[]>;

/**
 * Name → id for roles, divisions, queues, skills and languages, cached for `ttlInMs` (ids never change, but a
 * renamed or deleted object should be noticed within the hour). Matching is exact first, then case-insensitive
 * when that is unambiguous, because mappings are typed by people.
 */
export class NameResolver {
  readonly #cache = new Map<string, { id: string; at: number }>();

  constructor(
    private readonly lookup: NameLookup,
    private readonly ttlInMs: number = 30 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Resolves every name or throws one `GenesysCloudError` (`isNotFound`) listing all the unknown ones, so an
   * operator fixes the mapping in one pass.
   */
  async resolve(kind: NamedKind, names: readonly string[]): Promise<Map<string, string>> {
    const resolved = new Map<string, string>();
    const unknown: string[] = [];
    for (const name of new Set(names)) {
      const id = await this.#one(kind, name);
      if (id === undefined) unknown.push(name);
      else resolved.set(name, id);
    }
    if (unknown.length > 0) throw unknownNamesError(kind, unknown);
    return resolved;
  }

  /** Forgets cached ids, e.g. after an operator renamed a queue. */
  clear(): void {
    this.#cache.clear();
  }

  async #one(kind: NamedKind, name: string): Promise<string | undefined> {
    const key = `${kind}\u0000${name}`;
    const cached = this.#cache.get(key);
    if (cached && this.now() - cached.at < this.ttlInMs) return cached.id;
    const candidates = await this.lookup(kind, name.trim());
    const exact = candidates.filter((c) => c.name === name.trim());
    const folded = candidates.filter((c) => c.name?.toLowerCase() === name.trim().toLowerCase());
    const match = exact.length === 1 ? exact[0] : folded.length === 1 ? folded[0] : undefined;
    if (match) this.#cache.set(key, { id: match.id, at: this.now() });
    return match?.id;
  }
}

export function unknownNamesError(kind: NamedKind, names: string[]): GenesysCloudError {
  const list = names.map((n) => `"${n}"`).join(", ");
  return new GenesysCloudError({
    statusCode: 404,
    code: CLIENT_ERROR_CODES.unknownName,
    method: "GET",
    path: NAMED_LISTING_PATHS[kind],
    message:
      `Genesys Cloud has no ${names.length === 1 ? kind : PLURAL[kind]} named ${list}. ` +
      `Create ${names.length === 1 ? "it" : "them"} in Genesys Cloud, or correct the name in the mapping.`,
    body: { details: names.map((entityName) => ({ entityName, errorCode: CLIENT_ERROR_CODES.unknownName })) },
  });
}
