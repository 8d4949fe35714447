/**
 * Long JSON texts (an instance's state, a history event) in Table Storage, within the limits Azure and Azurite
 * hold every table to: a string property of at most 32K UTF-16 characters (64 KiB), an entity of at most
 * 1 MiB in 255 properties, a batch of at most 100 entities and 4 MiB. A write past any of them is refused, so
 * a text is split over properties, and past what one row holds, over further rows.
 *
 * A text that fits one property is stored as it always was (`<name>`); a longer one as `<name>0`,
 * `<name>1`, … with `<name>Chunks` giving the count on its first row, ROW_CHUNKS properties per row.
 *
 * Texts are stored in ASCII, every other character as its JSON escape: Azurite decodes a request body piece
 * by piece, so a multi-byte character that straddles two pieces of a large body would be stored as
 * replacement characters (Azure/Azurite#2670). The JSON parses back to the same value.
 */
import type { TableEntity } from "@azure/data-tables";

/** Characters per property: under the 32K limit. */
const CHUNK = 30_000;
/** Properties of CHUNK characters per row: 15 × 60 KB stays under the 1 MiB an entity may hold. */
export const ROW_CHUNKS = 15;
/** What one batch may carry, with room for the batch's own framing under the 4 MiB limit. */
const BATCH_BYTES = 3 * 1024 * 1024;
const BATCH_ENTITIES = 100;

/** The JSON text with every non-ASCII character written as its `\uXXXX` escape. */
export function asciiJson(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function chunksOf(text: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) chunks.push(text.slice(i, i + CHUNK));
  return chunks.length > 0 ? chunks : [""];
}

/**
 * The properties of each row a JSON text takes, first row first: one property when it fits, else numbered
 * chunks, ROW_CHUNKS to a row, with the count on the first row.
 */
export function jsonRows(name: string, json: string): Record<string, string | number>[] {
  const chunks = chunksOf(asciiJson(json));
  if (chunks.length === 1) return [{ [name]: chunks[0] }];
  const rows: Record<string, string | number>[] = [];
  for (let r = 0; r * ROW_CHUNKS < chunks.length; r++) {
    const row: Record<string, string | number> = {};
    chunks.slice(r * ROW_CHUNKS, (r + 1) * ROW_CHUNKS).forEach((chunk, i) => (row[`${name}${i}`] = chunk));
    rows.push(row);
  }
  rows[0][`${name}Chunks`] = chunks.length;
  return rows;
}

/** How many rows the text whose first row this is takes (1 for a text in one property). */
export function rowCount(name: string, first: Record<string, unknown>): number {
  const chunks = first[`${name}Chunks`];
  return typeof chunks === "number" ? Math.ceil(chunks / ROW_CHUNKS) : 1;
}

/**
 * The JSON text back from its rows (the first row, then its further rows in order). `perRow` is how many
 * chunks each row holds: a status stored by an older build holds all its chunks on its one row.
 */
export function joinJson(
  name: string,
  rows: readonly Record<string, unknown>[],
  perRow = ROW_CHUNKS,
): string {
  const [first] = rows;
  if (typeof first[name] === "string") return first[name];
  const total = Number(first[`${name}Chunks`]);
  let text = "";
  for (let i = 0; i < total; i++) {
    const row = rows[Math.floor(i / perRow)];
    if (!row) throw new Error(`a stored text lacks its row ${Math.floor(i / perRow)}`);
    text += String(row[`${name}${i % perRow}`]);
  }
  return text;
}

/** Entities of one partition in batches Table Storage accepts: at most 100 and about 3 MB each. */
export function batches<T extends object>(entities: readonly TableEntity<T>[]): TableEntity<T>[][] {
  const result: TableEntity<T>[][] = [];
  let current: TableEntity<T>[] = [];
  let bytes = 0;
  for (const entity of entities) {
    const size = Buffer.byteLength(JSON.stringify(entity));
    if (current.length > 0 && (current.length >= BATCH_ENTITIES || bytes + size > BATCH_BYTES)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entity);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}
