import { RateLimiter, DEFAULT_RATE_LIMITS } from "../../../local/emulators/genesys/rate-limit";
import { SearchIndex } from "../../../local/emulators/genesys/search-index";
import { permissionCovers } from "../../../local/emulators/genesys/permissions";
import type { GenesysApiError } from "../../../local/emulators/genesys/errors";
import type { UserRecord } from "../../../local/emulators/genesys/state";

const rejection = (fn: () => unknown): GenesysApiError => {
  try {
    fn();
  } catch (error) {
    return error as GenesysApiError;
  }
  throw new Error("expected a 429");
};

describe("emulator rate limiter (clock passed in)", () => {
  it("allows the limit per token per minute, then answers 429 with the seconds left in the window", () => {
    const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, perTokenPerMinute: 3 });
    for (let i = 0; i < 3; i++) limiter.take("t", "c", 1_000);
    const error = rejection(() => limiter.take("t", "c", 21_000));
    expect(error.status).toBe(429);
    expect(error.extra.headers).toEqual({ "Retry-After": "40" });
    expect(error.toBody("ctx")).toMatchObject({
      code: "too.many.requests.retry.after",
      contextId: "ctx",
      limit: { value: 3 },
    });
    expect(() => limiter.take("t", "c", 61_000)).not.toThrow();
  });

  it("scales the minute and rounds Retry-After up to whole seconds", () => {
    const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, perTokenPerMinute: 1, timeScale: 60 });
    limiter.take("t", "c", 0);
    expect(rejection(() => limiter.take("t", "c", 100)).extra.headers).toEqual({ "Retry-After": "1" });
    expect(() => limiter.take("t", "c", 1_000)).not.toThrow();
  });

  it("counts every token of a client against the client's budget", () => {
    const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, perClientPerMinute: 2 });
    limiter.take("a", "c", 0);
    limiter.take("b", "c", 0);
    expect(rejection(() => limiter.take("z", "c", 0)).extra.limit?.key).toBe("org.app.user.rate.per.minute");
    expect(() => limiter.take("z", "other", 0)).not.toThrow();
  });

  it("adds the legacy headers when asked", () => {
    const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, legacyHeaders: true });
    limiter.take("t", "c", 0);
    expect(limiter.take("t", "c", 30_000)).toEqual({
      "inin-ratelimit-allowed": "300",
      "inin-ratelimit-count": "2",
      "inin-ratelimit-reset": "30",
    });
  });
});

describe("emulator search index (clock passed in)", () => {
  const user = (version: number) => ({ id: "u", version, state: "active" }) as unknown as UserRecord;

  it("serves the newest snapshot older than the lag", () => {
    const index = new SearchIndex(1_000);
    index.record(user(1), 0);
    expect(index.visible(500)).toEqual([]);
    index.record(user(2), 800);
    expect(index.visible(1_000).map((u) => u.version)).toEqual([1]);
    expect(index.visible(1_800).map((u) => u.version)).toEqual([2]);
  });

  it("keeps a copy, not the live object", () => {
    const index = new SearchIndex(0);
    const live = user(1);
    index.record(live, 0);
    live.version = 9;
    expect(index.visible(0)[0].version).toBe(1);
  });
});

describe("emulator permission matching", () => {
  it.each([
    ["*", "directory:user:add", true],
    ["directory:*:*", "directory:user:add", true],
    ["directory:user:*", "directory:user:add", true],
    ["directory:user:edit", "directory:user:add", false],
    ["routing:queue:edit", "routing:queueMember:manage", false],
  ])("%s covers %s: %s", (granted, wanted, expected) => {
    expect(permissionCovers(granted, wanted)).toBe(expected);
  });
});
