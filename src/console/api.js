/**
 * The console's one way to call the app. Paths are relative to the API root (`/api/`), found from where this
 * module was served (`/api/console/api.js`), so the console works under any host and route prefix.
 * The browser sends the App Service session cookie by itself; no token is ever handled here.
 */
const API_ROOT = new URL("../", import.meta.url);

/** An answer other than 2xx, with the app's own explanation. */
export class ApiError extends Error {
  constructor(status, body) {
    super(explain(status, body));
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

function explain(status, body) {
  if (body && typeof body === "object") {
    const details = Array.isArray(body.errors)
      ? body.errors.map((e) => (typeof e === "string" ? e : (e.message ?? JSON.stringify(e))))
      : Array.isArray(body.details)
        ? body.details
        : [];
    const head = body.message ?? body.reason ?? body.error ?? `the app answered ${status}`;
    return [head, ...details].join("\n");
  }
  return typeof body === "string" && body.trim() !== "" ? body.trim() : `the app answered ${status}`;
}

const listeners = new Set();

/** Called with the status when the app answers 401 (signed out) to any request. */
export function onSignedOut(listener) {
  listeners.add(listener);
}

/**
 * Calls `path` (e.g. `onboarding/batches`) and returns `{ status, data, headers }`: JSON parsed, text as text.
 * Throws ApiError for any answer that is not 2xx.
 */
export async function call(method, path, { body, contentType, accept = "application/json" } = {}) {
  const headers = { Accept: accept };
  if (body !== undefined) headers["Content-Type"] = contentType ?? "application/json";
  const response = await fetch(new URL(path, API_ROOT), {
    method,
    headers,
    credentials: "same-origin",
    cache: "no-store",
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  if (response.status === 401) for (const listener of listeners) listener(response.status);
  const type = response.headers.get("content-type") ?? "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, data);
  return { status: response.status, data, headers: response.headers };
}

export const get = (path, options) => call("GET", path, options);
export const post = (path, body, options = {}) => call("POST", path, { ...options, body });
export const put = (path, body, options = {}) => call("PUT", path, { ...options, body });

/** The page of a list route after the one that gave `continuationToken`. */
export const getPageAfter = (path, continuationToken) =>
  get(`${path}${path.includes("?") ? "&" : "?"}continuationToken=${encodeURIComponent(continuationToken)}`);

/** Every `key` item of a paged answer: those of its first page (`first`), then those of the pages after it. */
export async function withLaterPages(path, first, key) {
  const items = [...(first[key] ?? [])];
  let token = first.continuationToken;
  while (token) {
    const { data } = await getPageAfter(path, token);
    items.push(...data[key]);
    token = data.continuationToken;
  }
  return items;
}
