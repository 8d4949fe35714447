import fs from "node:fs";
import path from "node:path";

/** The demo mapping's titles, one of which (Senior Technical Support) has a role in all divisions. */
export const DEMO_TITLES = ["Technical Support", "Senior Technical Support", "Sales Representative"];

/** A caller of the app's routes with the bench's key. */
export const benchCaller =
  (url: string) =>
  (method: string, route: string, body?: string, type = "application/json") =>
    fetch(`${url}${route}`, {
      method,
      headers: { "content-type": type, "x-functions-key": "bench" },
      ...(body === undefined ? {} : { body }),
    });

/** Imports the demo mapping through `PUT /api/mappings`. */
export async function importDemoMapping(call: ReturnType<typeof benchCaller>): Promise<void> {
  const mapping = fs.readFileSync(path.join(__dirname, "../../local/mappings/demo.yaml"), "utf8");
  if ((await call("PUT", "/api/mappings", mapping, "application/yaml")).status !== 201)
    throw new Error("the demo mapping was refused");
}

/** A bulk CSV of `count` hires with the demo titles in turn, ids from `firstId`, emails `<prefix>.<id>@…`. */
export function demoHiresCsv(count: number, firstId: number, prefix: string, firstName: string): string {
  const rows = Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    const lastName = `${prefix[0].toUpperCase()}${prefix.slice(1)}${i}`;
    return `${id},${prefix}.${id}@example.com,${firstName},${lastName},${DEMO_TITLES[i % 3]},Support,,,,2026-11-01`;
  });
  return [
    "employeeId,email,firstName,lastName,title,department,location,country,managerEmail,effectiveDate",
    ...rows,
  ].join("\n");
}
