import type { Mapping } from "../../../src/lifecycle/mapping";
import { ProfileMatcher } from "../../../src/lifecycle/match";
import { aMapping as mapping } from "../../support/builders";

const matcher = new ProfileMatcher(
  mapping(`
version: 1
defaults: { division: Home }
profiles:
  - match: { title: "Senior Technical Support" }                                  # 0
  - match: { title: "Senior Technical Support", department: "Support" }           # 1
  - match: { title: "Senior Technical Support", department: "Support", location: "Dublin" }  # 2
  - match: { title: "Field Engineer", country: "DE" }                             # 3
  - match: { title: "Sales Representative", department: "Sales" }                 # 4
  - match: { title: "Sales Representative", department: "Sales", country: "FR" }  # 5
  - match: { title: "Sales Representative", department: "Sales", location: "Paris" }  # 6
  - match: { title: "Sales Representative", department: "Sales", location: "Paris", country: "FR" }  # 7
`),
);

describe("matching a worker to a profile", () => {
  it.each([
    ["title alone", { title: "Senior Technical Support" }, 0],
    ["case and spacing are ignored", { title: "  senior   TECHNICAL support" }, 0],
    ["title + department beats title", { title: "Senior Technical Support", department: "support" }, 1],
    [
      "title + department + location beats title + department",
      { title: "Senior Technical Support", department: "Support", location: "DUBLIN" },
      2,
    ],
    [
      "a location without its department falls back to the title",
      { title: "Senior Technical Support", location: "Dublin" },
      0,
    ],
    ["title + country", { title: "field engineer", country: "de" }, 3],
    [
      "all four criteria beat any three",
      { title: "Sales Representative", department: "Sales", location: "Paris", country: "FR" },
      7,
    ],
    [
      "department-only profile for another country",
      { title: "Sales Representative", department: "Sales", country: "IT" },
      4,
    ],
  ])("%s", (_what, worker, expected) => {
    expect(matcher.match(worker)).toMatchObject({ kind: "MATCHED", profileIndex: expected });
  });

  it.each([
    [
      "a title nobody mapped",
      { title: "Chief Happiness Officer" },
      /no profile in the mapping matches the title "Chief Happiness Officer"/,
    ],
    [
      "a mapped title whose only profile needs another country",
      { title: "Field Engineer", country: "FR" },
      /profiles exist for the title "Field Engineer" but none for .*country "FR"/,
    ],
    [
      "a mapped title whose profiles all need another department",
      { title: "Sales Representative", department: "Marketing" },
      /profiles exist for the title "Sales Representative" but none for department "Marketing"/,
    ],
  ])("never guesses for %s: UNMAPPED_TITLE with the reason", (_what, worker, reason) => {
    const result = matcher.match(worker);
    expect(result.kind).toBe("UNMAPPED_TITLE");
    expect(result.kind === "UNMAPPED_TITLE" && result.reason).toMatch(reason);
  });

  it("reports a runtime tie as AMBIGUOUS_MATCH when handed a mapping that skipped validation", () => {
    const unchecked: Mapping = {
      ...mapping(
        "version: 1\ndefaults: { division: Home }\nprofiles: [{ match: { title: A, department: D } }]",
      ),
    };
    unchecked.profiles = [
      { ...unchecked.profiles[0], match: { title: "A", department: "D" } },
      { ...unchecked.profiles[0], match: { title: "A", location: "L" } },
    ];
    expect(new ProfileMatcher(unchecked).match({ title: "A", department: "D", location: "L" })).toMatchObject(
      {
        kind: "AMBIGUOUS_MATCH",
        profileIndexes: [0, 1],
      },
    );
  });
});
