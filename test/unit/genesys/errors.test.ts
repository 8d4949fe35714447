import { GenesysCloudError, isGenesysCloudError, operatorAdvice } from "../../../src/genesys/errors";
import { backoffDelay, chunk } from "../../../src/genesys/backoff";

const error = (statusCode: number, method = "GET", path = "/api/v2/users/u-1", platformMessage?: string) =>
  new GenesysCloudError({ statusCode, code: "x", message: "m", method, path, platformMessage });

describe("GenesysCloudError predicates", () => {
  it("classifies by status (and, for the two 400 variants, the platform's message)", () => {
    expect(error(409, "POST", "/api/v2/users").isEmailConflict).toBe(true);
    expect(error(409, "POST", "/api/v2/users").isVersionConflict).toBe(false);
    expect(error(409, "PATCH").isVersionConflict).toBe(true);
    expect(error(409, "PATCH").isEmailConflict).toBe(false);
    expect(
      error(400, "PATCH", "/api/v2/users/u-1", "Version 3 does not match the current version 4")
        .isVersionConflict,
    ).toBe(true);
    expect(error(400, "PATCH").isVersionConflict).toBe(false);
    expect(error(403).isDivisionAccessDenied).toBe(true);
    expect(error(404).isNotFound).toBe(true);
    expect(error(429).isRateLimited).toBe(true);
  });

  it("says which failures are transient", () => {
    expect([429, 500, 502, 503, 504].map((s) => error(s).isTransient)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 403, 404, 409, 501].map((s) => error(s).isTransient)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    const network = new GenesysCloudError({
      statusCode: 0,
      code: "n",
      message: "m",
      method: "GET",
      path: "/",
      network: true,
    });
    expect(network.isTransient).toBe(true);
  });

  it("is recognised by name and serialises without secrets", () => {
    const e = new GenesysCloudError({
      statusCode: 429,
      code: "c",
      message: "m",
      method: "GET",
      path: "/p",
      correlationId: "cid",
      retryAfterInMs: 5,
    });
    expect(isGenesysCloudError(e)).toBe(true);
    expect(isGenesysCloudError(Object.assign(new Error("x"), { name: "GenesysCloudError" }))).toBe(true);
    expect(isGenesysCloudError(new Error("x"))).toBe(false);
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      name: "GenesysCloudError",
      statusCode: 429,
      code: "c",
      message: "m",
      method: "GET",
      path: "/p",
      correlationId: "cid",
      retryAfterInMs: 5,
    });
  });

  it("tells an operator what to do", () => {
    expect(operatorAdvice(403, "POST", "/api/v2/routing/queues/q/members", "routing:queue:edit")).toMatch(
      /needs routing:queue:edit.*Grant/,
    );
    expect(operatorAdvice(429, "GET", "/x")).toMatch(/Wait/);
    expect(operatorAdvice(503, "GET", "/x")).toMatch(/retry later/);
    expect(operatorAdvice(501, "GET", "/x")).toMatch(/will not help/);
  });
});

describe("backoff", () => {
  it("grows exponentially to the cap, with half of each delay jittered", () => {
    const opts = { retryDelayInMs: 100, maxRetryDelayInMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts, () => 0.999999))).toEqual(
      [100, 200, 400, 800, 1000].map((v) => expect.closeTo(v, 0)),
    );
  });
});

describe("chunk", () => {
  it("splits into calls of the API's maximum size", () => {
    const ids = Array.from({ length: 250 }, (_, i) => `u${i}`);
    expect(chunk(ids, 100).map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunk(ids, 100).flat()).toEqual(ids);
    expect(chunk([], 50)).toEqual([]);
    expect(() => chunk(ids, 0)).toThrow(RangeError);
  });
});
