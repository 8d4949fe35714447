import type { HttpRequest, HttpResponseInit } from "@azure/functions";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export type Paging =
  | { ok: true; value: { pageSize: number; continuationToken?: string } }
  | { ok: false; response: HttpResponseInit };

/**
 * `?pageSize=N` (1–1000, 100 by default, unless a listing whose items cost more sets lower `limits`) and
 * `?continuationToken=T` of a paged listing.
 */
export function readPaging(
  request: HttpRequest,
  limits: { defaultSize: number; maxSize: number } = {
    defaultSize: DEFAULT_PAGE_SIZE,
    maxSize: MAX_PAGE_SIZE,
  },
): Paging {
  const size = request.query.get("pageSize");
  const pageSize = size === null ? limits.defaultSize : Number(size);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > limits.maxSize) {
    return {
      ok: false,
      response: {
        status: 400,
        jsonBody: {
          error: "invalid_field",
          field: "pageSize",
          message: `pageSize must be 1 to ${limits.maxSize}`,
        },
      },
    };
  }
  const token = request.query.get("continuationToken");
  if (token !== null && !/^[A-Za-z0-9+/=_-]{1,2048}$/.test(token)) {
    return {
      ok: false,
      response: {
        status: 400,
        jsonBody: {
          error: "invalid_field",
          field: "continuationToken",
          message: "continuationToken must be the value a previous page returned",
        },
      },
    };
  }
  return { ok: true, value: { pageSize, ...(token === null ? {} : { continuationToken: token }) } };
}
