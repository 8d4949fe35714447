// In src/adapters, not src/activities: the org cache that activities and the HTTP routes share.
import type { OrgDirectory, OrgDivision, OrgQueue, PermittedDivisions, Ref } from "../lifecycle/org";

/**
 * The org directory with each answer kept for a while: every employee's plan and pre-flight reads the same
 * roles, queues and permitted divisions, and those change rarely, so rate budget goes to the employees instead.
 */
export class CachedOrgDirectory implements OrgDirectory {
  readonly #entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly org: OrgDirectory,
    private readonly ttlInMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  listRoles = () => this.#cached<Ref[]>("roles", () => this.org.listRoles());
  listDivisions = () => this.#cached<OrgDivision[]>("divisions", () => this.org.listDivisions());
  listQueues = () => this.#cached<OrgQueue[]>("queues", () => this.org.listQueues());
  listSkills = () => this.#cached<Ref[]>("skills", () => this.org.listSkills());
  listLanguages = () => this.#cached<Ref[]>("languages", () => this.org.listLanguages());
  divisionsPermitted = (permission: string) =>
    this.#cached<PermittedDivisions>(`permitted:${permission}`, () =>
      this.org.divisionsPermitted(permission),
    );

  /** Forgets everything, e.g. after a mapping import named something new. */
  clear(): void {
    this.#entries.clear();
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry && this.now() - entry.at < this.ttlInMs) return entry.value as Promise<T>;
    const value = load();
    this.#entries.set(key, { at: this.now(), value });
    // A failed read is not remembered: the next caller tries again.
    value.catch(() => this.#entries.delete(key));
    return value;
  }
}
