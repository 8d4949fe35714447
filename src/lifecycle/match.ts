import type { HrWorker } from "./hr-event";
import { normalizeMatchValue, specificity, type Mapping, type MappingProfile } from "./mapping";

/** The outcome of looking a worker up in a mapping; never a guess. */
export type MatchResult =
  | { kind: "MATCHED"; profile: MappingProfile; profileIndex: number }
  | { kind: "UNMAPPED_TITLE"; title: string; reason: string }
  | { kind: "AMBIGUOUS_MATCH"; title: string; profileIndexes: number[]; reason: string };

interface IndexedProfile {
  profile: MappingProfile;
  index: number;
  specificity: number;
  department?: string;
  location?: string;
  country?: string;
}

/**
 * A mapping compiled for lookups: profiles indexed by normalized title, most specific first, so matching a
 * worker costs one map lookup and a scan of that title's few profiles.
 */
export class ProfileMatcher {
  private readonly byTitle = new Map<string, IndexedProfile[]>();

  constructor(mapping: Mapping) {
    mapping.profiles.forEach((profile, index) => {
      const { title, department, location, country } = profile.match;
      const key = normalizeMatchValue(title);
      const list = this.byTitle.get(key) ?? [];
      list.push({
        profile,
        index,
        specificity: specificity(profile.match),
        department: department === undefined ? undefined : normalizeMatchValue(department),
        location: location === undefined ? undefined : normalizeMatchValue(location),
        country: country === undefined ? undefined : normalizeMatchValue(country),
      });
      this.byTitle.set(key, list);
    });
    for (const list of this.byTitle.values()) list.sort((a, b) => b.specificity - a.specificity);
  }

  /** The most specific profile matching the worker's title, department, location and country. */
  match(worker: Pick<HrWorker, "title" | "department" | "location" | "country">): MatchResult {
    const candidates = this.byTitle.get(normalizeMatchValue(worker.title));
    if (candidates === undefined) {
      return {
        kind: "UNMAPPED_TITLE",
        title: worker.title,
        reason: `no profile in the mapping matches the title "${worker.title}"`,
      };
    }
    const norm = (v: string | undefined) => (v === undefined ? undefined : normalizeMatchValue(v));
    const attrs = {
      department: norm(worker.department),
      location: norm(worker.location),
      country: norm(worker.country),
    };
    const fits = (c: IndexedProfile) =>
      (c.department === undefined || c.department === attrs.department) &&
      (c.location === undefined || c.location === attrs.location) &&
      (c.country === undefined || c.country === attrs.country);
    const matching = candidates.filter(fits);
    const best = matching[0];
    if (best === undefined) {
      return {
        kind: "UNMAPPED_TITLE",
        title: worker.title,
        reason:
          `profiles exist for the title "${worker.title}" but none for department ` +
          `"${worker.department ?? ""}", location "${worker.location ?? ""}", country "${worker.country ?? ""}"`,
      };
    }
    const tied = matching.filter((c) => c.specificity === best.specificity);
    if (tied.length > 1) {
      const indexes = tied.map((c) => c.index);
      return {
        kind: "AMBIGUOUS_MATCH",
        title: worker.title,
        profileIndexes: indexes,
        reason: `profiles ${indexes.map((i) => `[${i}]`).join(", ")} match "${worker.title}" equally`,
      };
    }
    return { kind: "MATCHED", profile: best.profile, profileIndex: best.index };
  }
}
