import fs from "node:fs";
import path from "node:path";
import { SETTINGS } from "../../src/config/settings";

const root = path.resolve(__dirname, "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

describe("project conventions users rely on", () => {
  it("local.settings.example.json lists every setting with a working local value", () => {
    const values = (JSON.parse(read("local.settings.example.json")) as { Values: Record<string, string> })
      .Values;
    expect(Object.keys(values)).toEqual(expect.arrayContaining(Object.keys(SETTINGS)));
  });

  it("README or a page under docs/ documents every setting", () => {
    const docs = fs
      .readdirSync(path.join(root, "docs"))
      .filter((file) => file.endsWith(".md"))
      .map((file) => read(path.join("docs", file)));
    const text = [read("README.md"), ...docs].join("\n");
    const undocumented = Object.keys(SETTINGS).filter((name) => !text.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });

  it("keeps every source file under src/ within 500 lines, so each can be read as one piece", () => {
    const files = fs
      .readdirSync(path.join(root, "src"), { recursive: true, encoding: "utf8" })
      .filter((file) => /\.(ts|js)$/.test(file));
    expect(files.length).toBeGreaterThan(100);
    const tooLong = files
      .map((file) => ({ file, lines: read(path.join("src", file)).split("\n").length }))
      .filter(({ lines }) => lines > 500);
    expect(tooLong).toEqual([]);
  });

  it("README gives the two-command quick start and the test command", () => {
    const readme = read("README.md");
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
  });

  it("never depends on Azure Functions Core Tools, which cannot be installed offline", () => {
    const pkg = JSON.parse(read("package.json")) as Record<string, Record<string, string> | undefined>;
    const all = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
    expect(Object.keys(all)).not.toContain("azure-functions-core-tools");
  });

  it("serves HTTP functions under /api, as the Functions host does", () => {
    const host = JSON.parse(read("host.json")) as { extensions: { http: { routePrefix: string } } };
    expect(host.extensions.http.routePrefix).toBe("api");
  });
});
