import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { HttpHandler, HttpRequest, HttpResponseInit } from "@azure/functions";
import { ANY_ROLE, requireRole, ROLES, type AuthorizedHandler } from "./access";

/**
 * The operations console: static files served by the app itself under `/api/console/`, behind the same
 * authentication and app roles as the routes it calls. The browser code is plain ES modules in src/console,
 * served as written (no build step); its one library, lit-html, is served from the installed npm package.
 */

interface Asset {
  body: string;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** The lit-html modules the console imports (directives import their helpers by relative path). */
const LIT_HTML_FILES = [
  "lit-html.js",
  "directive.js",
  "directive-helpers.js",
  "directives/repeat.js",
  "directives/live.js",
];

/**
 * No script or style from anywhere but the app, no inline script, no framing (clickjacking), no referrer;
 * the console talks only to the app's own API.
 */
export const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
};

/**
 * The app's root: the nearest folder above `from` with a package.json. The same from `src/functions` (the local
 * host runs the TypeScript) and from `dist/src/functions` (the deployed, compiled app).
 */
export function appRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}: cannot find the console's files`);
    dir = parent;
  }
}

/** Where each URL path under `/api/console/` comes from on disk: an allow-list, so no request names a file. */
export async function consoleFiles(root: string = appRoot()): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const consoleDir = path.join(root, "src", "console");
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file, `${prefix}${entry.name}/`);
      else if (entry.isFile() && path.extname(entry.name) in CONTENT_TYPES)
        files.set(prefix + entry.name, file);
    }
  };
  await walk(consoleDir, "");
  const litHtml = path.dirname(require.resolve("lit-html/directive.js"));
  for (const name of LIT_HTML_FILES) files.set(`vendor/lit-html/${name}`, path.join(litHtml, name));
  return files;
}

/** Reads every file once, on the first request: a few small files that never change while the app runs. */
async function loadAssets(files: Map<string, string>): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const [urlPath, file] of files) {
    const body = await fs.readFile(file, "utf8");
    assets.set(urlPath, {
      body,
      contentType: CONTENT_TYPES[path.extname(file)],
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`,
    });
  }
  return assets;
}

const isPage = (request: HttpRequest) =>
  (request.params.path ?? "") === "" || request.params.path === "index.html";

/**
 * `GET /api/console/{*path}`: the console's files. `/api/console` answers with a redirect to `/api/console/`,
 * so the page's relative imports resolve. Files are revalidated on every load (ETag), so a deployment shows at once.
 */
export function createConsoleHandler(
  options: { files?: () => Promise<Map<string, string>> } = {},
): AuthorizedHandler {
  let assets: Promise<Map<string, Asset>> | undefined;
  return async (request): Promise<HttpResponseInit> => {
    if (!assets) {
      assets = (options.files ?? consoleFiles)().then(loadAssets);
      // A failed read (a file missing from the package) is tried again on the next request.
      assets.catch(() => (assets = undefined));
    }
    const asked = request.params.path ?? "";
    const { pathname } = new URL(request.url);
    if (asked === "" && !pathname.endsWith("/")) {
      return { status: 301, headers: { Location: `${pathname}/` } };
    }
    const asset = (await assets).get(asked === "" ? "index.html" : asked);
    if (!asset) {
      return {
        status: 404,
        jsonBody: { error: "not_found", message: `the console has no file ${JSON.stringify(asked)}` },
      };
    }
    const headers: Record<string, string> = {
      ...CONSOLE_SECURITY_HEADERS,
      ETag: asset.etag,
      "Cache-Control": "no-cache",
    };
    if (request.headers.get("if-none-match") === asset.etag) return { status: 304, headers };
    return { status: 200, body: asset.body, headers: { ...headers, "Content-Type": asset.contentType } };
  };
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** App Service authentication's sign-in, returning to the console. */
export const SIGN_IN_URL = "/.auth/login/aad?post_login_redirect_uri=/api/console/";

/** A page instead of JSON when a person opens the console without a session or without a Lifecycle role. */
function signInPage(response: HttpResponseInit): HttpResponseInit {
  const { message } = (response.jsonBody ?? {}) as { message?: string };
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Lifecycle console</title></head>
<body>
<main>
<h1>Genesys lifecycle: operations console</h1>
<p>${escapeHtml(message ?? "Sign in to continue.")}</p>
<p><a href="${SIGN_IN_URL}">Sign in with Microsoft Entra ID</a></p>
</main>
</body>
</html>
`;
  return {
    status: response.status,
    body: html,
    headers: {
      ...CONSOLE_SECURITY_HEADERS,
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
    },
  };
}

/** The console route: any Lifecycle role may open it; a person without one gets a page that says so. */
export function consoleRoute(handler: AuthorizedHandler): HttpHandler {
  const guarded = requireRole(ANY_ROLE, handler);
  return async (request, context) => {
    const response = await guarded(request, context);
    return (response.status === 401 || response.status === 403) && isPage(request)
      ? signInPage(response)
      : response;
  };
}

const LIFECYCLE_ROLES: readonly string[] = Object.values(ROLES);

/**
 * `GET /api/me`: who the console is signed in as, and their Lifecycle roles, so it offers only what they may do
 * (the routes check again: the console hides buttons, it does not grant anything).
 */
export const whoAmI: AuthorizedHandler = async (_request, _context, caller) => ({
  status: 200,
  headers: { "Cache-Control": "no-store" },
  jsonBody: { name: caller.name, roles: [...caller.roles].filter((role) => LIFECYCLE_ROLES.includes(role)) },
});
