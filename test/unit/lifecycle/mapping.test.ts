import fs from "node:fs";
import path from "node:path";
import {
  formatProblem,
  MAPPING_LIMITS,
  parseIsoDuration,
  parseMapping,
} from "../../../src/lifecycle/mapping";

const demo = fs.readFileSync(path.resolve(__dirname, "../../../local/mappings/demo.yaml"), "utf8");

const ISSUE_EXAMPLE = `version: 1
defaults:
  division: Home                    # division name
  leaver: { transferTo: manager, fallback: queue, retentionDays: 30 }
profiles:
  - match: { title: "Senior Technical Support" }
    division: Support
    roles:
      - { name: Agent }
      - { name: Knowledge Base Editor, division: "*" }
    queues: [Priority_Support_Queue, Tier_2_Escalation]
    skills: [{ name: Network_Troubleshooting, proficiency: 5 }]
    languages: [{ name: English, proficiency: 5 }]
    supervisor: sup.support@example.com
`;

function errorsOf(source: string) {
  const result = parseMapping(source);
  if (result.ok) throw new Error("expected the mapping to be rejected");
  return result.errors.map(formatProblem);
}

describe("parseMapping", () => {
  it("accepts the issue's example exactly as written", () => {
    const result = parseMapping(ISSUE_EXAMPLE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mapping.defaults.leaver).toEqual({
      transferTo: "manager",
      fallback: "queue",
      retentionSeconds: 30 * 86400,
    });
    expect(result.mapping.profiles[0].roles).toEqual([
      { name: "Agent" },
      { name: "Knowledge Base Editor", division: "*" },
    ]);
    expect(result.mapping.owns).toEqual([]);
  });

  it("accepts the demo mapping", () => {
    const result = parseMapping(demo);
    expect(result.ok ? [] : result.errors.map(formatProblem)).toEqual([]);
  });

  it("accepts the same mapping as JSON, with line numbers in its errors too", () => {
    const json = JSON.stringify(
      {
        version: 1,
        defaults: { division: "Home" },
        profiles: [{ match: { title: "Agent" }, skills: [{ name: "X", proficiency: 9 }] }],
      },
      null,
      2,
    );
    expect(errorsOf(json)).toEqual([
      "line 14, column 11: profiles[0].skills[0].proficiency: must be between 0 and 5",
    ]);
    expect(parseMapping(json.replace('"proficiency": 9', '"proficiency": 2')).ok).toBe(true);
  });

  it.each([
    ["no leaver policy", ""],
    ["a leaver policy naming only the target", "\n  leaver: { transferTo: manager }"],
  ])("defaults the leaver policy when given %s", (_what, leaver) => {
    const result = parseMapping(
      `version: 1\ndefaults:\n  division: Home${leaver}\nprofiles: [{ match: { title: A } }]\n`,
    );
    expect(result.ok && result.mapping.defaults.leaver).toEqual({
      transferTo: "manager",
      fallback: "queue",
      retentionSeconds: 30 * 86400,
    });
  });

  it("takes an ISO-8601 retention so demos can delete leavers after seconds", () => {
    const result = parseMapping(ISSUE_EXAMPLE.replace("retentionDays: 30", "retention: PT90S"));
    expect(result.ok && result.mapping.defaults.leaver.retentionSeconds).toBe(90);
  });

  it.each([
    ["P30D", 30 * 86400],
    ["PT60S", 60],
    ["P1DT12H", 1.5 * 86400],
    ["P2W", 14 * 86400],
    ["PT1M30S", 90],
    ["P1Y", undefined],
    ["P", undefined],
    ["PT", undefined],
    ["30 days", undefined],
  ])("reads the duration %s as %s seconds", (text, seconds) => {
    expect(parseIsoDuration(text)).toBe(seconds);
  });

  it.each([
    [
      "a missing required field, at the object that lacks it",
      "version: 1\ndefaults: { division: Home }\nprofiles:\n  - division: Support\n",
      ["line 4, column 5: profiles[0].match: is required"],
    ],
    [
      "a misspelt field, at the field, with the allowed ones",
      "version: 1\ndefaults: { division: Home }\nprofiles:\n  - match: { title: A }\n    queus: [Q]\n",
      [
        "line 5, column 5: profiles[0].queus: unknown field (allowed: match, division, roles, queues, skills, languages, supervisor)",
      ],
    ],
    [
      "a bad enum value",
      "version: 1\ndefaults:\n  division: Home\n  leaver: { transferTo: boss }\nprofiles:\n  - match: { title: A }\n",
      [
        "line 4, column 13: defaults.leaver.transferTo: must be one of manager, supervisor, queue, disconnect",
      ],
    ],
    [
      "both retention forms",
      "version: 1\ndefaults:\n  division: Home\n  leaver: { transferTo: queue, retentionDays: 3, retention: P3D }\nprofiles:\n  - match: { title: A }\n",
      ["line 4, column 50: defaults.leaver.retention: give retentionDays or retention, not both"],
    ],
    [
      "every problem at once",
      "version: 2\ndefaults: {}\nprofiles:\n  - match: { title: '' }\n    skills: [{ name: S, proficiency: -1 }]\n    owns: x\n",
      [
        "line 1, column 1: version: must be 1 (the mapping file format version)",
        "line 2, column 1: defaults.division: is required",
        "line 4, column 14: profiles[0].match.title: must not be empty",
        "line 5, column 25: profiles[0].skills[0].proficiency: must be between 0 and 5",
        "line 6, column 5: profiles[0].owns: unknown field (allowed: match, division, roles, queues, skills, languages, supervisor)",
      ],
    ],
    [
      "a YAML syntax error, at its line",
      "version: 1\ndefaults:\n  division: [Home\nprofiles: []\n",
      [expect.stringMatching(/^line \d+, column \d+: .+/)],
    ],
    [
      "a duplicate key",
      "version: 1\nversion: 1\ndefaults: { division: Home }\nprofiles: [{ match: { title: A } }]\n",
      ["line 2, column 1: Map keys must be unique"],
    ],
    [
      "an unknown ownable attribute",
      "version: 1\ndefaults: { division: Home }\nowns: [roles, division]\nprofiles: [{ match: { title: A } }]\n",
      ["line 3, column 15: owns[1]: must be one of roles, queues, skills, languages"],
    ],
    ["an empty file", "", ["must be a mapping document with version, defaults and profiles"]],
  ])("names the line and field of %s", (_what, source, expected) => {
    const errors = errorsOf(source);
    if (source === "") expect(errors[0]).toContain(expected[0]);
    else expect(errors).toEqual(expected);
  });

  describe("hostile files", () => {
    it("refuses a map with too many keys by counting, without the library's quadratic duplicate check", () => {
      const keys = Array.from({ length: MAPPING_LIMITS.keysPerMap + 1 }, (_, i) => `k${i}: 1`).join("\n");
      expect(errorsOf(`version: 1\nextra:\n${keys.replace(/^/gm, "  ")}\n`)).toEqual([
        "line 3, column 3: a map has more than 1000 keys",
      ]);
    });

    it("refuses an alias bomb with a problem, never an exception", () => {
      const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
      for (let i = 1; i < 9; i++) {
        const previous = String.fromCharCode(96 + i);
        const name = String.fromCharCode(97 + i);
        levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
      }
      const errors = errorsOf(`${levels.join("\n")}\n`);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/aliases|alias count/i);
    });

    it("refuses a file with more keys than any mapping before parsing it", () => {
      const keys = Array.from({ length: MAPPING_LIMITS.keys + 1 }, (_, i) => `k${i}: 1`).join("\n");
      expect(errorsOf(`${keys}\n`)).toEqual([
        'the file has more than 20000 keys (counted as ":" before it is read)',
      ]);
    });

    it("refuses a file over the size limit before parsing it", () => {
      expect(errorsOf(`# ${"x".repeat(MAPPING_LIMITS.characters)}\n`)).toEqual([
        `a mapping file may be at most ${MAPPING_LIMITS.characters} characters; this one has ${MAPPING_LIMITS.characters + 3}`,
      ]);
    });
  });

  describe("ties between profiles", () => {
    const withProfiles = (...matches: string[]) =>
      `version: 1\ndefaults: { division: Home }\nprofiles:\n${matches.map((m) => `  - match: ${m}\n`).join("")}`;

    it.each([
      ["the same title twice (any case and spacing)", ['{ title: "Agent" }', '{ title: " aGent " }'], true],
      [
        "title+department vs title+location",
        ["{ title: A, department: D }", "{ title: A, location: L }"],
        true,
      ],
      [
        "same title, different departments",
        ["{ title: A, department: X }", "{ title: A, department: Y }"],
        false,
      ],
      [
        "title alone vs title+department (precedence, not a tie)",
        ["{ title: A }", "{ title: A, department: D }"],
        false,
      ],
      [
        "title+department vs title+location, resolved by a profile matching both",
        [
          "{ title: A, department: D }",
          "{ title: A, location: L }",
          "{ title: A, department: D, location: L }",
        ],
        false,
      ],
      ["different titles", ["{ title: A }", "{ title: B }"], false],
    ])("%s → tie: %s", (_what, matches, tie) => {
      const result = parseMapping(withProfiles(...matches));
      expect(result.ok).toBe(!tie);
      if (!result.ok) expect(result.errors[0].message).toMatch(/^ties with profiles\[0\]/);
    });

    it("names both profiles and the criteria that overlap, at the later profile's line", () => {
      expect(errorsOf(withProfiles("{ title: A, department: D }", "{ title: A, location: L }"))).toEqual([
        'line 5, column 5: profiles[1].match: ties with profiles[0]: a worker with title "A" and department "D" ' +
          'and location "L" matches both equally; make one more specific, or add a profile matching all of these criteria',
      ]);
    });
  });
});
