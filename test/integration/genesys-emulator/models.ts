/**
 * The SDK's model declarations (index.d.ts), read as data: which fields each model has and which model a
 * field holds. Lets a test prove that every field the emulator sends exists in the SDK's model of it.
 */
import fs from "node:fs";

const declarations = fs.readFileSync(require.resolve("purecloud-platform-client-v2/index.d.ts"), "utf8");
const cache = new Map<string, Map<string, string | undefined>>();

/** Field name → nested model name (or undefined for scalars and maps). */
function modelFields(model: string): Map<string, string | undefined> {
  const cached = cache.get(model);
  if (cached) return cached;
  const match = new RegExp(`export interface ${model} \\{([\\s\\S]*?)\\n\\t\\}`).exec(declarations);
  if (!match) throw new Error(`The SDK declares no model ${model}`);
  const fields = new Map<string, string | undefined>();
  for (const [, name, type] of match[1].matchAll(/"([^"]+)"\??: ([^;]+);/g))
    fields.set(name, /^(?:Array<)?Models\.(\w+)>?$/.exec(type.trim())?.[1]);
  cache.set(model, fields);
  return fields;
}

/** Paths of fields in `value` that the SDK's `model` does not declare (empty when it conforms). */
export function undeclaredFields(value: unknown, model: string, path = model): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => undeclaredFields(item, model, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  const fields = modelFields(model);
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
    if (!fields.has(key)) return [`${path}.${key}`];
    const nested = fields.get(key);
    return nested ? undeclaredFields(child, nested, `${path}.${key}`) : [];
  });
}
