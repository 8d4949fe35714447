import fs from "node:fs";
import path from "node:path";
import { parseMapping } from "../../../src/lifecycle/mapping";
import { StaticOrgDirectory } from "../../../src/lifecycle/static-org";
import { validateMapping } from "../../../src/lifecycle/validate";
import { allPermissions, demoOrg, homeOnlyPermissions, LIFECYCLE_PERMISSIONS } from "../../support/demo-org";

const demoSource = fs.readFileSync(path.resolve(__dirname, "../../../local/mappings/demo.yaml"), "utf8");

async function validate(source: string, org = new StaticOrgDirectory(demoOrg())) {
  const parsed = parseMapping(source);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return validateMapping(parsed.mapping, org, parsed.locate);
}

describe("validating a mapping against the org", () => {
  it("passes the demo mapping for a client with every permission everywhere", async () => {
    expect(await validate(demoSource)).toEqual({ ok: true, problems: [] });
  });

  it("lists every unknown name at once, each with its line and field", async () => {
    const source = `version: 1
defaults: { division: Headquarters }
profiles:
  - match: { title: Agent }
    division: Support
    roles: [{ name: Agnet }, { name: Employee, division: Marketing }]
    queues: [Priority_Support_Queue, Billing_Queue]
    skills: [{ name: Cobol, proficiency: 2 }]
    languages: [{ name: Klingon, proficiency: 1 }]
`;
    const report = await validate(source);
    expect(report.ok).toBe(false);
    expect(
      report.problems.map(
        (p) => p.kind === "UNKNOWN_NAME" && `${p.line}:${p.column} ${p.path}: ${p.message}`,
      ),
    ).toEqual([
      '2:13 defaults.division: the org has no division named "Headquarters"',
      '6:15 profiles[0].roles[0].name: the org has no role named "Agnet"',
      '6:48 profiles[0].roles[1].division: the org has no division named "Marketing"',
      '7:38 profiles[0].queues[1]: the org has no queue named "Billing_Queue"',
      '8:16 profiles[0].skills[0].name: the org has no skill named "Cobol"',
      '9:19 profiles[0].languages[0].name: the org has no language named "Klingon"',
    ]);
  });

  it("matches org names regardless of case", async () => {
    const source = demoSource.replace("[Priority_Support_Queue]", "[priority_support_queue]");
    expect((await validate(source)).ok).toBe(true);
  });

  it("names the division and permission the limited client lacks, once per pair, with who needs it", async () => {
    const report = await validate(demoSource, new StaticOrgDirectory(demoOrg(homeOnlyPermissions())));
    expect(report.ok).toBe(false);
    const missing = report.problems.flatMap((p) => (p.kind === "MISSING_PERMISSION" ? [p] : []));
    const pairs = missing.map((p) => `${p.permission} @ ${p.division.name}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs).toEqual(
      expect.arrayContaining([
        "directory:user:add @ Support",
        "directory:user:edit @ EMEA",
        "authorization:grant:add @ Sales",
        "authorization:grant:add @ *",
        "routing:skill:assign @ Sales",
        "routing:language:assign or routing:skill:assign @ EMEA",
      ]),
    );
    expect(pairs.some((p) => p.endsWith("@ Home"))).toBe(false);
    expect(missing[0]?.message).toBe(
      "OAuth client lacks directory:user:add in division 'Support' " +
        "(needed by profiles[0].division, profiles[1].division, profiles[3].division)",
    );
    expect(missing[0]?.line).toBe(11);
  });

  it("says a queue it cannot find may sit in a division the client cannot read", async () => {
    const report = await validate(demoSource, new StaticOrgDirectory(demoOrg(homeOnlyPermissions())));
    const queues = report.problems.filter((p) => p.kind === "UNKNOWN_NAME" && p.entity === "queue");
    expect(queues.map((p) => p.kind === "UNKNOWN_NAME" && p.name)).toContain("EMEA_Sales");
    expect(queues[0]?.message).toBe(
      'the org has no queue named "Priority_Support_Queue", or none this OAuth client can see: ' +
        "it holds routing:queue:view only in division(s) 'Home'",
    );
  });

  it("names the queue's division when the client sees the queue but may not manage its members", async () => {
    const permissions = { ...allPermissions(), "routing:queue:edit": ["Home", "Support", "Sales"] };
    const report = await validate(demoSource, new StaticOrgDirectory(demoOrg(permissions)));
    expect(report.problems.map((p) => p.message)).toEqual([
      "OAuth client lacks routing:queue:edit or routing:queueMember:manage in division 'EMEA' " +
        "(needed by profiles[2].queues[0], profiles[5].queues[0])",
    ]);
  });

  it("accepts either of two alternative permissions", async () => {
    const permissions = Object.fromEntries(LIFECYCLE_PERMISSIONS.map((p) => [p, "*" as const]));
    delete (permissions as Record<string, unknown>)["routing:queue:edit"];
    const report = await validate(
      demoSource,
      new StaticOrgDirectory(
        demoOrg({ ...permissions, "routing:queueMember:manage": ["Support", "Sales", "EMEA"] }),
      ),
    );
    expect(report).toEqual({ ok: true, problems: [] });
  });

  it("needs the permission in every division for a '*' grant", async () => {
    const permissions = Object.fromEntries(LIFECYCLE_PERMISSIONS.map((p) => [p, "*" as const]));
    const everyDivisionButSales = ["Home", "Support", "EMEA"];
    const report = await validate(
      demoSource,
      new StaticOrgDirectory(demoOrg({ ...permissions, "authorization:grant:add": everyDivisionButSales })),
    );
    expect(report.problems.map((p) => p.message)).toEqual([
      "OAuth client lacks authorization:grant:add in every division (needed by profiles[1].roles[2], profiles[2].roles[2])",
      "OAuth client lacks authorization:grant:add in division 'Sales' (needed by profiles[4].roles[0], profiles[4].roles[1])",
    ]);
  });
});
