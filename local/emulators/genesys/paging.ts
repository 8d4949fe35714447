/** Paging, query-string and body helpers shared by the handlers. */
import { badRequest } from "./errors";

/**
 * Values of a multi-valued query parameter however the caller sent it: repeated (`expand=a&expand=b`),
 * comma-joined (what the official SDK sends) or with axios's bracket suffix (`expand[]=a`).
 */
export function queryList(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(name), ...query.getAll(`${name}[]`)]
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

export function queryInt(query: URLSearchParams, name: string, fallback: number, max?: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw badRequest(`${name} must be a positive integer`, "invalid.value", name);
  if (max !== undefined && value > max)
    throw badRequest(`${name} must be at most ${max}`, "invalid.value", name);
  return value;
}

export interface Listing<T> {
  entities: T[];
  pageSize: number;
  pageNumber: number;
  total: number;
  pageCount: number;
  firstUri: string;
  selfUri: string;
  lastUri: string;
  nextUri?: string;
  previousUri?: string;
}

/** A `*EntityListing` page of `items`, with the URIs Genesys adds. */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  basePath: string,
  maxPageSize = 500,
): Listing<T> {
  const pageSize = queryInt(query, "pageSize", 25, maxPageSize);
  const pageNumber = queryInt(query, "pageNumber", 1);
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const uri = (n: number) => {
    const q = new URLSearchParams(query);
    q.set("pageSize", String(pageSize));
    q.set("pageNumber", String(n));
    return `${basePath}?${q.toString()}`;
  };
  const listing: Listing<T> = {
    entities: items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
    pageSize,
    pageNumber,
    total: items.length,
    pageCount,
    firstUri: uri(1),
    selfUri: uri(pageNumber),
    lastUri: uri(pageCount),
  };
  if (pageNumber < pageCount) listing.nextUri = uri(pageNumber + 1);
  if (pageNumber > 1) listing.previousUri = uri(pageNumber - 1);
  return listing;
}

/** The body as an object, or a 400 naming what was expected. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw badRequest("The request body must be a JSON object", "bad.request");
  return body as Record<string, unknown>;
}

export function bodyArray(body: unknown): unknown[] {
  if (!Array.isArray(body)) throw badRequest("The request body must be a JSON array", "bad.request");
  return body;
}

export const nowIso = (): string => new Date().toISOString();
