import { HttpRequest, InvocationContext, type HttpResponseInit } from "@azure/functions";
import { principalHeaders } from "../../../local/host/platform-auth";
import { Secret } from "../../../src/config/secret";
import { ANY_ROLE, callerOf, requireRole, ROLES, type Caller } from "../../../src/functions/access";
import { guardHandler, MAX_REQUEST_BODY_BYTES } from "../../../src/functions/http-guard";
import { batchReportCsv, csvCell } from "../../../src/storage/batches";
import { parseCsv } from "../../../src/hr/csv";

const request = (headers: Record<string, string> = {}, init: { method?: string; body?: string } = {}) =>
  new HttpRequest({
    method: init.method ?? "GET",
    url: "http://localhost:7071/api/x?code=abc",
    headers,
    ...(init.body === undefined ? {} : { body: { string: init.body } }),
  });

/** The principal exactly as App Service authentication with Entra ID writes it (claims mapped, role_typ). */
const entraPrincipal = Buffer.from(
  JSON.stringify({
    auth_typ: "aad",
    name_typ: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    role_typ: "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
    claims: [
      {
        typ: "http://schemas.microsoft.com/identity/claims/objectidentifier",
        val: "5b5450db-eb26-4c1a-981c",
      },
      { typ: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", val: "ada@example.com" },
      { typ: "http://schemas.microsoft.com/ws/2008/06/identity/claims/role", val: "Lifecycle.Approver" },
      { typ: "groups", val: "f08bbbea" },
    ],
  }),
).toString("base64");

describe("the verified caller", () => {
  it("is read from App Service's principal: name, object id and app roles", () => {
    expect(callerOf(request({ "x-ms-client-principal": entraPrincipal }))).toEqual({
      name: "ada@example.com",
      id: "5b5450db-eb26-4c1a-981c",
      roles: new Set(["Lifecycle.Approver"]),
    });
  });

  it("is nobody without the principal, whatever name headers say, and nobody from a garbled one", () => {
    expect(callerOf(request({ "x-ms-client-principal-name": "ceo@example.com" }))).toBeUndefined();
    expect(callerOf(request({ "x-ms-client-principal": "not base64 json" }))).toBeUndefined();
    expect(
      callerOf(request({ "x-ms-client-principal": Buffer.from("{}").toString("base64") })),
    ).toBeUndefined();
  });
});

describe("requireRole", () => {
  const seen: Caller[] = [];
  const handler = requireRole(ROLES.operator, async (_request, _context, caller) => {
    seen.push(caller);
    return { status: 200 };
  });
  const call = async (h = handler, headers: Record<string, string> = {}) =>
    (await h(request(headers), new InvocationContext())) as HttpResponseInit;
  beforeEach(() => seen.splice(0));

  it("answers 401 without a verified caller and 403 naming the role without it", async () => {
    expect(await call()).toMatchObject({ status: 401, jsonBody: { error: "unauthenticated" } });
    const reader = principalHeaders({ name: "r@example.com", roles: [ROLES.reader] });
    expect(await call(handler, reader)).toMatchObject({
      status: 403,
      jsonBody: { message: expect.stringContaining("needs the app role Lifecycle.Operator") },
    });
    expect(seen).toEqual([]);
  });

  it("runs the handler with the caller when one of the roles is held", async () => {
    const operator = principalHeaders({ name: "o@example.com", roles: [ROLES.operator] });
    expect(await call(handler, operator)).toEqual({ status: 200 });
    expect(seen.map((c) => c.name)).toEqual(["o@example.com"]);
    const anyRole = requireRole(ANY_ROLE, async () => ({ status: 204 }));
    expect(await call(anyRole, principalHeaders({ name: "a@example.com", roles: [ROLES.approver] }))).toEqual(
      {
        status: 204,
      },
    );
  });

  it("accepts an integration's key where the route allows one, as that integration", async () => {
    const withKey = requireRole(
      ROLES.operator,
      async (_r, _c, caller) => ({ status: 200, jsonBody: caller.name }),
      { integration: { key: new Secret("abc"), name: "logic-app", roles: [ROLES.operator] } },
    );
    expect(await call(withKey)).toEqual({ status: 200, jsonBody: "logic-app" });
    const wrongKey = requireRole(ROLES.operator, async () => ({ status: 200 }), {
      integration: { key: new Secret("other"), name: "logic-app", roles: [ROLES.operator] },
    });
    expect(await call(wrongKey)).toMatchObject({ status: 401 });
  });
});

describe("changes sent from another site", () => {
  const operator = principalHeaders({ name: "o@example.com", roles: [ROLES.operator] });
  const change = requireRole(ROLES.operator, async () => ({ status: 204 }));
  const send = async (method: string, headers: Record<string, string>) =>
    (await change(
      request({ ...operator, ...headers }, { method }),
      new InvocationContext(),
    )) as HttpResponseInit;

  it("are refused when the browser says the request comes from another site", async () => {
    for (const site of ["cross-site", "same-site"]) {
      expect(await send("POST", { "sec-fetch-site": site })).toMatchObject({
        status: 403,
        jsonBody: { error: "cross_site", message: expect.stringContaining(site) },
      });
    }
    // An older browser says it with Origin only.
    expect(await send("POST", { origin: "https://evil.example", host: "localhost:7071" })).toMatchObject({
      status: 403,
      jsonBody: { error: "cross_site" },
    });
  });

  it("pass from the console's own pages, from callers that are not browsers, and as reads", async () => {
    expect(await send("POST", { "sec-fetch-site": "same-origin" })).toEqual({ status: 204 });
    expect(await send("POST", { origin: "http://localhost:7071", host: "localhost:7071" })).toEqual({
      status: 204,
    });
    expect(await send("POST", {})).toEqual({ status: 204 });
    expect(await send("GET", { "sec-fetch-site": "cross-site" })).toEqual({ status: 204 });
  });
});

describe("the guard every HTTP route goes through", () => {
  const echo = guardHandler(
    async (req) => ({
      status: 200,
      jsonBody: { body: await req.text(), principal: req.headers.get("x-ms-client-principal") },
    }),
    { maxBodyBytes: 10, trustPlatformPrincipal: false },
  );
  const call = async (h: typeof echo, headers: Record<string, string>, body?: string) =>
    (await h(request(headers, { method: "POST", body }), new InvocationContext())) as HttpResponseInit;

  it("answers 413 naming the limit, by declared length before reading, and by actual length", async () => {
    expect(await call(echo, { "content-length": "11" }, "small")).toEqual({
      status: 413,
      jsonBody: { error: "too_large", message: "the request body is larger than the limit of 10 bytes" },
    });
    expect(await call(echo, {}, "x".repeat(11))).toMatchObject({ status: 413 });
    expect(await call(echo, {}, "0123456789")).toMatchObject({
      status: 200,
      jsonBody: { body: "0123456789" },
    });
  });

  it("hands a request whose declared length is within the cap on untouched, without reading it", async () => {
    const original = request({ "content-length": "5" }, { method: "POST", body: "small" });
    let seen: unknown;
    const passThrough = guardHandler(
      async (req) => {
        seen = req;
        return { status: 204 };
      },
      { maxBodyBytes: 10, trustPlatformPrincipal: false },
    );
    expect(await passThrough(original, new InvocationContext())).toEqual({ status: 204 });
    expect(seen).toBe(original);
    expect(original.bodyUsed).toBe(false);
  });

  it("drops a principal header unless App Service authentication vouches for it", async () => {
    const forged = { "x-ms-client-principal": entraPrincipal };
    expect(await call(echo, forged, "")).toMatchObject({ jsonBody: { principal: null } });
    const trusted = guardHandler(async (req) => ({ status: 200, jsonBody: callerOf(req)?.name }), {
      maxBodyBytes: MAX_REQUEST_BODY_BYTES,
      trustPlatformPrincipal: true,
    });
    expect(await call(trusted, forged, "")).toMatchObject({ jsonBody: "ada@example.com" });
  });
});

describe("the batch report as a spreadsheet reads it", () => {
  /** A spreadsheet evaluates a cell that starts with one of these; anything else is text. */
  const isFormula = (cell: string) => /^[=+\-@\t\r]/.test(cell);

  it("neutralises every cell a spreadsheet would evaluate, and keeps RFC 4180 quoting", () => {
    const hostile = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"];
    const csv = batchReportCsv(
      hostile.map((value, position) => ({
        position,
        row: position + 2,
        employeeKey: value,
        state: "failed",
        summary: `why: ${value}`,
      })),
    );
    const parsed = parseCsv(csv);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const cells = parsed.value.flatMap((record) => record.fields);
    expect(cells.filter(isFormula)).toEqual([]);
    // The value is all there, after the quote a spreadsheet shows as text.
    expect(parsed.value.slice(1).map((r) => r.fields[1])).toEqual(hostile.map((v) => `'${v}`));
    expect(csvCell("plain, with comma")).toBe('"plain, with comma"');
    expect(csvCell("100482")).toBe("100482");
  });
});
