/**
 * The alert rules, checked offline: every condition the operators asked to be told about has a rule, each
 * rule's threshold is a described parameter, its query reads only metrics and attributes the app defines
 * (src/telemetry/names.ts) and yields the `measure` the rule compares, and docs/runbook.md has its section.
 */
import fs from "node:fs";
import path from "node:path";
import { ALLOWED_ATTRIBUTES, METRICS } from "../../src/telemetry";
import { readParameters, readResources, stringLiteral, type BicepValue } from "./parsers/bicep";
import { customDimensions, kqlProblems, metricNames, outputColumns } from "./parsers/kql";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
const alertsBicep = read("infra/modules/alerts.bicep");
const runbook = read("docs/runbook.md");

const prop = (value: BicepValue | undefined, key: string) =>
  value?.kind === "object" ? value.properties.get(key) : undefined;
const source = (value: BicepValue | undefined) => (value?.kind === "expression" ? value.text : "");
/** A `'''` verbatim string's content. */
const verbatim = (value: BicepValue | undefined) => /^'''\n?([\s\S]*)'''$/.exec(source(value))?.[1] ?? "";

const rules = readResources(alertsBicep)
  .filter((r) => r.keyword === "module" && r.type === "log-alert.bicep")
  .map((r) => {
    const params = prop(r.body, "params");
    const dimensions = prop(params, "dimensions");
    return {
      displayName: stringLiteral(prop(params, "displayName")) ?? "",
      query: verbatim(prop(params, "query")),
      threshold: source(prop(params, "threshold")),
      anchor: stringLiteral(prop(params, "runbookAnchor")) ?? "",
      dimensions: dimensions?.kind === "array" ? dimensions.items.map((d) => stringLiteral(d) ?? "") : [],
    };
  });

const KNOWN_METRICS = new Set<string>(Object.values(METRICS).map((m) => m.name));

/** GitHub's anchor for a heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");

/** The runbook's `## ` sections, by heading. */
const sections = new Map(
  runbook
    .split(/^## /m)
    .slice(1)
    .map((section) => [section.split("\n")[0].trim(), section] as const),
);

describe("alert rules in infra/modules/alerts.bicep", () => {
  it("cover every condition operators are to be told about", () => {
    expect(rules.map((r) => r.displayName).sort()).toEqual(
      [
        "Quarantine growing",
        "Leaver past the drain deadline",
        "Leaver holding live interactions",
        "Approval pending too long",
        "Genesys rate limits sustained",
        "HR API unreachable",
        "Credential expiring",
        "Inbox sweep finding stuck employees",
      ].sort(),
    );
  });

  it("compare against a threshold parameter with a description, each rule its own", () => {
    const parameters = readParameters(alertsBicep);
    for (const rule of rules) {
      const parameter = parameters.find((p) => p.name === rule.threshold);
      expect({ rule: rule.displayName, threshold: parameter?.type }).toEqual({
        rule: rule.displayName,
        threshold: "int",
      });
      const declaration = alertsBicep.indexOf(`param ${rule.threshold} int`);
      expect(alertsBicep.slice(0, declaration).trimEnd().split("\n").at(-1)).toMatch(
        /^@description\('.+'\)$/,
      );
    }
    expect(new Set(rules.map((r) => r.threshold)).size).toBe(rules.length);
  });

  it("query only the app's metrics and allow-listed attributes, in KQL that reads well", () => {
    for (const rule of rules) {
      const where = rule.displayName;
      expect({ where, problems: kqlProblems(rule.query) }).toEqual({ where, problems: [] });
      const names = metricNames(rule.query);
      expect(names.length).toBeGreaterThan(0);
      expect({ where, unknown: names.filter((n) => !KNOWN_METRICS.has(n)) }).toEqual({ where, unknown: [] });
      const dims = customDimensions(rule.query);
      expect({ where, unknown: dims.filter((d) => !ALLOWED_ATTRIBUTES.has(d)) }).toEqual({
        where,
        unknown: [],
      });
    }
  });

  it("yield the measure they compare and every dimension they split by", () => {
    for (const rule of rules) {
      const columns = outputColumns(rule.query);
      expect({
        rule: rule.displayName,
        columns: columns.filter((c) => ["measure", ...rule.dimensions].includes(c)).sort(),
      }).toEqual({
        rule: rule.displayName,
        columns: ["measure", ...rule.dimensions].sort(),
      });
    }
  });

  it("each have a runbook section: what it means, how to confirm it, what to do, how to close it", () => {
    for (const rule of rules) {
      const section = sections.get(rule.displayName);
      expect({ rule: rule.displayName, documented: section !== undefined }).toEqual({
        rule: rule.displayName,
        documented: true,
      });
      expect(anchorOf(rule.displayName)).toBe(rule.anchor);
      for (const part of ["What it means", "How to confirm", "What to do", "How to close"]) {
        expect({ rule: rule.displayName, part, found: section?.includes(`### ${part}`) }).toEqual({
          rule: rule.displayName,
          part,
          found: true,
        });
      }
    }
  });

  it("notify the action group, whose e-mail and webhook are parameters", () => {
    const group = readResources(alertsBicep).find((r) => r.type === "Microsoft.Insights/actionGroups");
    expect(group).toMatchObject({ keyword: "resource", symbolicName: "actionGroup", existing: false });
    expect(alertsBicep).toMatch(/emailAddress: alertEmail/);
    expect(alertsBicep).toMatch(/serviceUri: alertWebhookUrl/);
    expect(
      readParameters(alertsBicep).filter((p) => ["alertEmail", "alertWebhookUrl"].includes(p.name)),
    ).toHaveLength(2);
    const logAlert = read("infra/modules/log-alert.bicep");
    expect(logAlert).toMatch(/actionGroups: \[actionGroupId\]/);
  });
});

describe("the KQL reader", () => {
  it("finds what is wrong in a query", () => {
    expect(kqlProblems('customMetrics | where name == "a" | summarise x = sum(valueSum')).toEqual([
      "an unclosed '('",
      "uses an unknown operator 'summarise'",
    ]);
    expect(kqlProblems("Perf | take 1")).toEqual(["reads an unknown table 'Perf'"]);
    expect(metricNames('customMetrics | where name in ("a.b", "c") or name == "d"')).toEqual([
      "d",
      "a.b",
      "c",
    ]);
    expect(
      outputColumns("customMetrics | summarize measure = sum(valueSum) by source, bin(timestamp, 5m)"),
    ).toEqual(["measure", "source", "bin"]);
  });
});
