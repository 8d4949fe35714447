/**
 * The operators' workbook, validated offline as the Logic App is: its structure against the project's schema
 * of the workbook format (ajv), its queries by the KQL reader, every metric and attribute it reads against the
 * app's telemetry names, and every parameter it uses against the ones it declares.
 */
import fs from "node:fs";
import path from "node:path";
import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import { ALLOWED_ATTRIBUTES, METRICS } from "../../src/telemetry";
import { readResources } from "./parsers/bicep";
import { customDimensions, kqlProblems, metricNames } from "./parsers/kql";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

interface WorkbookItem {
  type: number;
  name: string;
  content: {
    query?: string;
    timeContextFromParameter?: string;
    parameters?: { name: string }[];
  };
}
const workbook = JSON.parse(read("infra/monitoring/lifecycle.workbook.json")) as { items: WorkbookItem[] };
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(read("infra/monitoring/workbook.schema.json")) as object);
const schemaErrors = (definition: unknown) =>
  validate(definition)
    ? []
    : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message}`);

const queries = workbook.items.filter((i) => i.type === 3);
const declared = workbook.items.flatMap((i) => i.content.parameters ?? []).map((p) => p.name);

describe("infra/monitoring/lifecycle.workbook.json", () => {
  it("follows the workbook format (project schema, ajv)", () => {
    expect(schemaErrors(workbook)).toEqual([]);
  });

  it("is what the workbook module deploys, for the Application Insights component", () => {
    const bicep = read("infra/modules/workbook.bicep");
    const [resource] = readResources(bicep).filter((r) => r.type === "Microsoft.Insights/workbooks");
    expect(resource).toMatchObject({ keyword: "resource", symbolicName: "workbook", existing: false });
    expect(bicep).toContain("serializedData: loadTextContent('../monitoring/lifecycle.workbook.json')");
    expect(bicep).toContain("sourceId: applicationInsightsId");
  });

  it("has unique item names and queries that read well", () => {
    const names = workbook.items.map((i) => i.name);
    expect(new Set(names).size).toBe(names.length);
    for (const item of queries) {
      expect({ item: item.name, problems: kqlProblems(item.content.query ?? "") }).toEqual({
        item: item.name,
        problems: [],
      });
    }
  });

  it("reads only the app's metrics and allow-listed attributes", () => {
    const known = new Set<string>(Object.values(METRICS).map((m) => m.name));
    for (const item of queries) {
      const query = item.content.query ?? "";
      expect({ item: item.name, unknown: metricNames(query).filter((n) => !known.has(n)) }).toEqual({
        item: item.name,
        unknown: [],
      });
      expect({
        item: item.name,
        unknown: customDimensions(query).filter((d) => !ALLOWED_ATTRIBUTES.has(d)),
      }).toEqual({ item: item.name, unknown: [] });
    }
  });

  it("uses only the parameters it declares, and takes each query's time range from one", () => {
    for (const item of queries) {
      const used = [...(item.content.query ?? "").matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]);
      expect({ item: item.name, undeclared: used.filter((p) => !declared.includes(p)) }).toEqual({
        item: item.name,
        undeclared: [],
      });
      expect(declared).toContain(item.content.timeContextFromParameter);
    }
  });

  it("shows every metric the app emits, here or in an alert rule", () => {
    const alerts = read("infra/modules/alerts.bicep");
    const shown = new Set([
      ...queries.flatMap((i) => metricNames(i.content.query ?? "")),
      ...metricNames(alerts),
    ]);
    expect(
      Object.values(METRICS)
        .map((m) => m.name)
        .filter((name) => !shown.has(name)),
    ).toEqual([]);
  });
});

describe("the workbook schema", () => {
  it("refuses an item it does not know and a query without a title", () => {
    const broken = JSON.parse(JSON.stringify(workbook)) as { items: Record<string, unknown>[] };
    broken.items.push({ type: 12, name: "group", content: {} });
    const query = broken.items.find((i) => i.type === 3) as { content: Record<string, unknown> };
    delete query.content.title;
    expect(schemaErrors(broken).length).toBeGreaterThan(0);
  });
});
