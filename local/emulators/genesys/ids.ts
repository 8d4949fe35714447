import { createHash, randomUUID } from "node:crypto";

/**
 * A stable UUID-shaped id for a seeded entity, so ids survive a reset and a restart (demos and tests can keep
 * them) while still looking like the UUIDs Genesys hands out.
 */
export function stableId(kind: string, name: string): string {
  const hex = createHash("sha1").update(`${kind}:${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const newId = (): string => randomUUID();
