import { readODataResults, type ODataEntity } from "../../../src/hr/successfactors";
import { ENTITY_KEYS, NAVIGATIONS, type Navigation } from "./odata-model";
import { matches, ODataQueryError, type FilterNode } from "./odata-query";

/**
 * What the emulator serves: every entity in its own entity set, keyed as SuccessFactors keys it, whether it
 * arrived on its own or nested in another entity's expanded navigation. A document such as `PerPerson` with
 * `employmentNav/jobInfoNav` expanded therefore also fills `EmpEmployment` and `EmpJob`, and a query may
 * expand any loaded navigation again, however the data arrived.
 */

interface Ref {
  set: string;
  id: string;
}

/** Children recorded for one navigation of one entity when a document nested them. */
interface Link {
  many: boolean;
  children: Ref[];
}

export interface QueryOptions {
  filter?: FilterNode;
  expand?: string[][];
  select?: string[][];
  top?: number;
  skip?: number;
}

type Tree = Map<string, Tree>;

const asText = (value: unknown): string | undefined =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const typeOf = (entity: Record<string, unknown>): string | undefined => {
  const meta = entity.__metadata;
  return isObject(meta) && typeof meta.type === "string" ? meta.type.replace(/^SFOData\./, "") : undefined;
};

/** An expanded navigation in a loaded document: a collection, or a single entity with metadata. */
const nestedEntities = (value: unknown, declared: boolean): Record<string, unknown>[] | undefined => {
  if (isObject(value) && Array.isArray(value.results)) return value.results.filter(isObject);
  if (isObject(value) && !("__deferred" in value) && (declared || "__metadata" in value)) return [value];
  return undefined;
};

function tree(paths: string[][]): Tree {
  const root: Tree = new Map();
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      if (!node.has(segment)) node.set(segment, new Map());
      node = node.get(segment)!;
    }
  }
  return root;
}

export class ODataStore {
  readonly #sets = new Map<string, Map<string, ODataEntity>>();
  readonly #links = new Map<string, Link>();
  #anonymous = 0;

  /** Loads OData JSON (`{"d":{"results":[…]}}`, `{"d":{…}}`, or an array of those); returns counts per type. */
  load(document: unknown, type?: string): Record<string, number> {
    const documents = Array.isArray(document) ? document : [document];
    const counts: Record<string, number> = {};
    for (const doc of documents) {
      const results = readODataResults(doc);
      if (!results.ok) throw new Error(results.error.message);
      for (const entity of results.value) {
        const entityType = typeOf(entity) ?? type;
        if (!entityType) throw new Error("an entity has no __metadata.type and no ?type= was given");
        this.#put(entityType, entity, counts);
      }
    }
    return counts;
  }

  clear(): void {
    this.#sets.clear();
    this.#links.clear();
  }

  /** The entities of a set, filtered, paged, expanded and selected as OData v2 would answer them. */
  query(set: string, options: QueryOptions, baseUrl: string): ODataEntity[] {
    const expand = tree(options.expand ?? []);
    this.#checkExpand(set, expand);
    const all = [...(this.#sets.get(set)?.values() ?? [])].filter((entity) =>
      matches(options.filter, (path) => this.#valuesAt(set, entity, path.split("/"))),
    );
    const skip = options.skip ?? 0;
    const page = all.slice(skip, options.top && options.top > 0 ? skip + options.top : undefined);
    const select = options.select && options.select.length > 0 ? tree(options.select) : undefined;
    return page.map((entity) => this.#render(set, entity, expand, select, baseUrl));
  }

  /** Stores one entity and, recursively, what it nests; returns its reference. */
  #put(type: string, raw: Record<string, unknown>, counts: Record<string, number>): Ref {
    const declared = NAVIGATIONS[type] ?? {};
    const flat: ODataEntity = {};
    const nested: [string, Record<string, unknown>[], boolean][] = [];
    for (const [name, value] of Object.entries(raw)) {
      const children = nestedEntities(value, name in declared);
      if (children) nested.push([name, children, isObject(value) && Array.isArray(value.results)]);
      else if (!(isObject(value) && "__deferred" in value)) flat[name] = value;
    }
    const id = this.#identity(type, flat);
    const set = this.#sets.get(type) ?? new Map<string, ODataEntity>();
    // The same entity met again (a manager nested under several people, a reloaded person) is updated, not
    // replaced: a nested copy often carries only some of its properties.
    set.set(id, { ...set.get(id), ...flat });
    this.#sets.set(type, set);
    counts[type] = (counts[type] ?? 0) + 1;

    for (const [name, children, many] of nested) {
      const navigation: Navigation | undefined = declared[name];
      const refs: Ref[] = [];
      for (const child of children) {
        const childType = typeOf(child) ?? navigation?.target;
        if (!childType) continue;
        // A nested entity may leave out what it shares with its parent; SuccessFactors' keys need it.
        const withKeys = { ...child };
        for (const [from, to] of navigation?.on ?? []) {
          if (withKeys[to] === undefined && flat[from] !== undefined) withKeys[to] = flat[from];
        }
        refs.push(this.#put(childType, withKeys, counts));
      }
      this.#links.set(`${type}|${id}|${name}`, { many: navigation?.many ?? many, children: refs });
    }
    return { set: type, id };
  }

  #identity(type: string, entity: ODataEntity): string {
    const keys = ENTITY_KEYS[type];
    const values = keys?.map((key) => asText(entity[key]));
    if (values && values.every((v) => v !== undefined)) return values.join("\u0000");
    const meta = entity.__metadata;
    if (isObject(meta) && typeof meta.uri === "string") return meta.uri;
    return `#${++this.#anonymous}`;
  }

  #find = (set: string, where: Record<string, string>): ODataEntity[] =>
    [...(this.#sets.get(set)?.values() ?? [])].filter((e) =>
      Object.entries(where).every(([k, v]) => asText(e[k]) === v),
    );

  /** The entities a navigation leads to: recorded links, joins on property values, derived links. */
  #related(
    type: string,
    entity: ODataEntity,
    name: string,
  ): { type: string; many: boolean; entities: ODataEntity[] } {
    const navigation = NAVIGATIONS[type]?.[name];
    const link = this.#links.get(`${type}|${this.#identity(type, entity)}|${name}`);
    const found = new Map<string, ODataEntity>();
    let target = navigation?.target;
    for (const ref of link?.children ?? []) {
      const child = this.#sets.get(ref.set)?.get(ref.id);
      target ??= ref.set;
      if (child) found.set(ref.id, child);
    }
    if (target && navigation?.on) {
      const where: Record<string, string> = {};
      const complete = navigation.on.every(([from, to]) => {
        const value = asText(entity[from]);
        if (value !== undefined) where[to] = value;
        return value !== undefined;
      });
      if (complete)
        for (const child of this.#find(target, where)) found.set(this.#identity(target, child), child);
    }
    if (target && navigation?.derive) {
      for (const child of navigation.derive(entity, this.#find))
        found.set(this.#identity(target, child), child);
    }
    return {
      type: target ?? "",
      many: navigation?.many ?? link?.many ?? false,
      entities: [...found.values()],
    };
  }

  #valuesAt(type: string, entity: ODataEntity, path: string[]): unknown[] {
    if (path.length === 1) return [entity[path[0]]];
    const related = this.#related(type, entity, path[0]);
    return related.entities.flatMap((child) => this.#valuesAt(related.type, child, path.slice(1)));
  }

  #navigationNames(type: string, entity: ODataEntity): string[] {
    const id = this.#identity(type, entity);
    const recorded = [...this.#links.keys()]
      .filter((key) => key.startsWith(`${type}|${id}|`))
      .map((key) => key.slice(`${type}|${id}|`.length));
    return [...new Set([...Object.keys(NAVIGATIONS[type] ?? {}), ...recorded])];
  }

  #checkExpand(type: string, expand: Tree): void {
    for (const [name, below] of expand) {
      const navigation = NAVIGATIONS[type]?.[name];
      const recorded = [...this.#links.keys()].find(
        (key) => key.startsWith(`${type}|`) && key.endsWith(`|${name}`),
      );
      if (!navigation && !recorded)
        throw new ODataQueryError(`navigation property '${name}' not found in entity type '${type}'`);
      const target = navigation?.target ?? this.#links.get(recorded!)?.children[0]?.set;
      if (target) this.#checkExpand(target, below);
    }
  }

  #render(
    type: string,
    entity: ODataEntity,
    expand: Tree,
    select: Tree | undefined,
    baseUrl: string,
  ): ODataEntity {
    const uri = this.#uri(type, entity, baseUrl);
    const out: ODataEntity = { __metadata: { uri, type: `SFOData.${type}` } };
    const wanted = (name: string) => !select || select.has("*") || select.has(name);
    for (const [name, value] of Object.entries(entity)) {
      if (name !== "__metadata" && wanted(name)) out[name] = value;
    }
    for (const name of this.#navigationNames(type, entity)) {
      if (!wanted(name)) continue;
      const below = expand.get(name);
      if (!below) {
        out[name] = { __deferred: { uri: `${uri}/${name}` } };
        continue;
      }
      const selectedBelow = select?.get(name);
      const nestedSelect = selectedBelow && selectedBelow.size > 0 ? selectedBelow : undefined;
      const related = this.#related(type, entity, name);
      const rendered = related.entities.map((child) =>
        this.#render(related.type, child, below, nestedSelect, baseUrl),
      );
      out[name] = related.many ? { results: rendered } : (rendered[0] ?? null);
    }
    return out;
  }

  #uri(type: string, entity: ODataEntity, baseUrl: string): string {
    const meta = entity.__metadata;
    if (isObject(meta) && typeof meta.uri === "string") return meta.uri;
    const keys = ENTITY_KEYS[type] ?? [];
    const quote = (v: unknown) => `'${String(asText(v) ?? "").replace(/'/g, "''")}'`;
    const key =
      keys.length === 1 ? quote(entity[keys[0]]) : keys.map((k) => `${k}=${quote(entity[k])}`).join(",");
    return `${baseUrl}/odata/v2/${type}(${key})`;
  }
}
