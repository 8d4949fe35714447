import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HttpRequest, InvocationContext, type HttpResponseInit } from "@azure/functions";
import { principalHeaders } from "../../../local/host/platform-auth";
import { ROLES } from "../../../src/functions/access";
import {
  appRoot,
  consoleFiles,
  consoleRoute,
  createConsoleHandler,
  whoAmI,
} from "../../../src/functions/console";
import { createEmployeeSearchHandler } from "../../../src/functions/employees";

const root = path.resolve(__dirname, "../../..");
const reader = principalHeaders({ name: "r@example.com", roles: [ROLES.reader] });

const get = (urlPath: string, headers: Record<string, string> = reader) =>
  new HttpRequest({
    method: "GET",
    url: `http://localhost:7071${urlPath}`,
    headers,
    params: { path: urlPath.replace(/^\/api\/console\/?/, "") },
  });

const serve = consoleRoute(createConsoleHandler());
const call = async (urlPath: string, headers?: Record<string, string>) =>
  (await serve(get(urlPath, headers), new InvocationContext())) as HttpResponseInit & {
    headers: Record<string, string>;
  };

describe("the console's files", () => {
  it("serves the page with a strict Content-Security-Policy, its modules and lit-html", async () => {
    const page = await call("/api/console/");
    expect(page.status).toBe(200);
    expect(page.headers["Content-Type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["Content-Security-Policy"]).toContain("script-src 'self'");
    expect(page.headers["Content-Security-Policy"]).toContain("frame-ancestors 'none'");
    expect(page.body).toContain('<script type="module" src="app.js"></script>');
    const app = await call("/api/console/app.js");
    expect(app.headers["Content-Type"]).toBe("text/javascript; charset=utf-8");
    const lit = await call("/api/console/vendor/lit-html/lit-html.js");
    expect(lit.status).toBe(200);
    expect(lit.body).toContain("lit-html");
  });

  it("redirects /api/console to /api/console/, so the page's relative imports resolve", async () => {
    expect(await call("/api/console")).toEqual({ status: 301, headers: { Location: "/api/console/" } });
  });

  it("serves only its own files: nothing else from the disk, whatever the path says", async () => {
    for (const asked of [
      "/api/console/../package.json",
      "/api/console/nothing.js",
      "/api/console/%2e%2e/.env",
    ]) {
      const request = new HttpRequest({
        method: "GET",
        url: "http://localhost:7071/api/console/x",
        headers: reader,
        params: { path: decodeURIComponent(asked.replace("/api/console/", "")) },
      });
      expect(((await serve(request, new InvocationContext())) as HttpResponseInit).status).toBe(404);
    }
  });

  it("answers 304 to a browser that has the file already", async () => {
    const first = await call("/api/console/styles.css");
    const again = await call("/api/console/styles.css", { ...reader, "if-none-match": first.headers.ETag });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
  });

  it("gives a person without a session or a role a page with the sign-in link, and a script a plain 401", async () => {
    const signedOut = await call("/api/console/", {});
    expect(signedOut.status).toBe(401);
    expect(signedOut.body).toContain('href="/.auth/login/aad?post_login_redirect_uri=/api/console/"');
    const noRole = await call("/api/console/", principalHeaders({ name: "<b>x</b>@example.com", roles: [] }));
    expect(noRole.status).toBe(403);
    expect(noRole.body).toContain("&lt;b&gt;x&lt;/b&gt;@example.com has none");
    expect(await call("/api/console/app.js", {})).toMatchObject({
      status: 401,
      jsonBody: { error: "unauthenticated" },
    });
  });

  it("includes every module the page imports, so nothing is missing when deployed", async () => {
    const files = await consoleFiles();
    const pending = ["index.html"];
    const reached = new Set<string>();
    while (pending.length > 0) {
      const urlPath = pending.pop()!;
      if (reached.has(urlPath)) continue;
      reached.add(urlPath);
      expect({ urlPath, served: files.has(urlPath) }).toEqual({ urlPath, served: true });
      const text = fs.readFileSync(files.get(urlPath)!, "utf8");
      const imports = [
        ...text.matchAll(/(?:from\s*|import\s*|src=|href=)"(\.{1,2}\/[^"]+|[\w-]+\.(?:js|css))"/g),
      ];
      for (const [, target] of imports)
        pending.push(path.posix.normalize(path.posix.join(path.posix.dirname(urlPath), target)));
    }
    expect([...reached]).toEqual(
      expect.arrayContaining(["app.js", "views/batches.js", "vendor/lit-html/directives/repeat.js"]),
    );
  });

  it("ships in the app package: .funcignore keeps the console's files and lit-html", () => {
    // Core Tools and azd read .funcignore with .gitignore's rules: git itself answers which paths it excludes.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "funcignore-"));
    try {
      execFileSync("git", ["init", "-q", scratch]);
      fs.copyFileSync(path.join(root, ".funcignore"), path.join(scratch, ".gitignore"));
      const shipped = [
        "src/console/index.html",
        "src/console/app.js",
        "src/console/views/batches.js",
        "src/console/styles.css",
        "node_modules/lit-html/lit-html.js",
        "dist/src/functions/console.js",
        "package.json",
      ];
      let ignored = "";
      try {
        ignored = execFileSync("git", ["-C", scratch, "check-ignore", "--no-index", ...shipped], {
          encoding: "utf8",
        });
      } catch (error) {
        // Exit code 1: none of the paths is ignored.
        if ((error as { status?: number }).status !== 1) throw error;
      }
      expect(ignored).toBe("");
      // The check itself works: what must not ship is excluded.
      const local = execFileSync("git", ["-C", scratch, "check-ignore", "--no-index", "local/start.ts"], {
        encoding: "utf8",
      });
      expect(local.trim()).toBe("local/start.ts");
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("finds the app's root from the compiled app too (dist/src/functions)", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "approot-"));
    try {
      fs.writeFileSync(path.join(scratch, "package.json"), "{}");
      const compiled = path.join(scratch, "dist", "src", "functions");
      fs.mkdirSync(compiled, { recursive: true });
      expect(appRoot(compiled)).toBe(scratch);
      expect(appRoot(path.join(root, "src", "functions"))).toBe(root);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe("GET /api/me", () => {
  it("names the signed-in caller and their Lifecycle roles only", async () => {
    const response = await whoAmI(get("/api/me"), new InvocationContext(), {
      name: "ada@example.com",
      id: "1",
      roles: new Set([ROLES.approver, "SomeOtherApp.Admin"]),
    });
    expect(response).toMatchObject({
      status: 200,
      jsonBody: { name: "ada@example.com", roles: [ROLES.approver] },
    });
  });
});

describe("GET /api/employees?email=", () => {
  const search = createEmployeeSearchHandler({
    employees: {
      get: async () => undefined,
      pendingEvents: async () => [],
      findByEmail: async (email) =>
        email === "jane.doe@example.com"
          ? [
              {
                employeeKey: "100482",
                lifecycleState: "active",
                worker: JSON.stringify({
                  employeeId: "100482",
                  email: "Jane.Doe@example.com",
                  firstName: "Jane",
                  lastName: "Doe",
                  title: "Agent",
                }),
              },
            ]
          : [],
    },
  });
  const find = async (query: string) =>
    (await search(
      new HttpRequest({ method: "GET", url: `http://localhost:7071/api/employees${query}` }),
      new InvocationContext(),
    )) as HttpResponseInit;

  it("lists the employees with that email, and refuses a query that is no email", async () => {
    expect(await find("?email=jane.doe@example.com")).toMatchObject({
      status: 200,
      jsonBody: {
        employees: [
          {
            employeeId: "100482",
            state: "active",
            name: "Jane Doe",
            email: "Jane.Doe@example.com",
            url: "/api/employees/100482",
          },
        ],
      },
    });
    expect(await find("?email=nobody@example.com")).toMatchObject({
      status: 200,
      jsonBody: { employees: [] },
    });
    for (const query of ["", "?email=", "?email=not-an-email"])
      expect(await find(query)).toMatchObject({ status: 400, jsonBody: { field: "email" } });
  });
});
