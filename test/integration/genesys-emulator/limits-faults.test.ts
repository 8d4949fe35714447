import { startGenesysEmulator, type GenesysEmulator } from "../../../local/emulators/genesys";
import { LIMITED_CLIENT, LOCAL_CLIENT, loggedInSdk, sdkError, type Sdk } from "./sdk";

/** A served skills listing (not a 429): it holds the seed's skills. */
const SEEDED_SKILLS = {
  entities: expect.arrayContaining([expect.objectContaining({ name: "Network_Troubleshooting" })]),
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Genesys emulator: rate limits and fault injection", () => {
  let emulator: GenesysEmulator;
  let sdk: Sdk;
  /** Extended responses expose status and headers, which 429 handling needs. */
  let extended: Sdk;

  beforeAll(async () => {
    emulator = await startGenesysEmulator({ port: 0 });
    sdk = await loggedInSdk(emulator.url);
    extended = await loggedInSdk(emulator.url, LOCAL_CLIENT, { extendedResponses: true });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.admin.reset();
    emulator.admin.setLimits({
      perTokenPerMinute: 300,
      perClientPerMinute: 3000,
      timeScale: 1,
      legacyHeaders: false,
      namespaceLimits: [],
    });
  });

  describe("rate limits", () => {
    it("sends no 429 under the default limits", async () => {
      for (let i = 0; i < 60; i++) await sdk.routing.getRoutingSkills();
      const log = emulator.admin.requests({ endpoint: "GET /api/v2/routing/skills" });
      expect(log).toHaveLength(60);
      expect(log.every((r) => r.status === 200)).toBe(true);
      expect(emulator.admin.limits()).toMatchObject({ perTokenPerMinute: 300, perClientPerMinute: 3000 });
    });

    it("answers 429 with Retry-After, too.many.requests.retry.after and the limit object past the per-token limit", async () => {
      emulator.admin.setLimits({ perTokenPerMinute: 5 });
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => extended.routing.getRoutingSkills()),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
      const rejected = results
        .filter((r): r is PromiseRejectedResult => r.status === "rejected")
        .map(
          (r) =>
            r.reason as { status: number; headers: Record<string, string>; body: Record<string, unknown> },
        );
      expect(rejected).toHaveLength(3);
      for (const failure of rejected) {
        expect(failure.status).toBe(429);
        expect(Number(failure.headers["retry-after"])).toBeGreaterThanOrEqual(1);
        expect(failure.headers["inin-correlation-id"]).toBe(failure.body.contextId);
        expect(failure.body).toMatchObject({
          status: 429,
          code: "too.many.requests.retry.after",
          message: expect.stringMatching(/Retry the request in \[\d+\] seconds/),
          limit: { key: "client.credentials.token.rate.per.minute", value: 5 },
        });
      }
      // Another token of the same client has its own budget.
      const other = await loggedInSdk(emulator.url);
      await expect(other.routing.getRoutingSkills()).resolves.toMatchObject(SEEDED_SKILLS);
    });

    it("under load, serves exactly the default 300 requests a minute per token and answers the rest 429", async () => {
      // Thirty at a time: 330 sockets opened at once on a busy machine can be reset before the emulator
      // answers, which would test the machine's listen queue rather than the rate limit.
      const results: PromiseSettledResult<unknown>[] = [];
      for (let wave = 0; wave < 11; wave++) {
        results.push(
          ...(await Promise.allSettled(
            Array.from({ length: 30 }, () => extended.routing.getRoutingSkills()),
          )),
        );
      }
      const statuses = results.map((r) =>
        r.status === "fulfilled" ? 200 : (r.reason as { status: number }).status,
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(300);
      expect(statuses.filter((s) => s === 429)).toHaveLength(30);
      expect(emulator.admin.counters().byStatus).toEqual({ "200": 300, "429": 30 });
      const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!.reason as {
        headers: Record<string, string>;
      };
      expect(Number(failure.headers["retry-after"])).toBeGreaterThan(0);
      expect(Number(failure.headers["retry-after"])).toBeLessThanOrEqual(60);
    });

    it("limits a namespace over all of a client's tokens, names it in the 429, and lists it", async () => {
      emulator.admin.setLimits({
        namespaceLimits: [
          { namespace: "directory", key: "user.rate.per.minute", value: 3, pathPrefix: "/api/v2/users" },
        ],
      });
      const other = await loggedInSdk(emulator.url);
      for (const client of [sdk, sdk, other]) await client.users.getUsers({ pageSize: 1 });
      const failure = (await sdkError(extended.users.getUsers({ pageSize: 1 }))) as unknown as {
        status: number;
        headers: Record<string, string>;
        body: Record<string, unknown>;
      };
      expect(failure.status).toBe(429);
      expect(Number(failure.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(failure.body).toMatchObject({
        code: "too.many.requests.retry.after",
        limit: { key: "user.rate.per.minute", namespace: "directory", value: 3 },
      });
      // Outside the namespace the token budget alone counts.
      await expect(sdk.routing.getRoutingSkills()).resolves.toBeDefined();

      const listed = await sdk.organization.getOrganizationsLimitsNamespace("directory");
      expect(listed.entities).toEqual([{ key: "user.rate.per.minute", namespace: "directory", value: 3 }]);
      const platform = await sdk.organization.getOrganizationsLimitsNamespace("platform.api");
      expect(platform.entities).toEqual(
        expect.arrayContaining([
          { key: "client.credentials.token.rate.per.minute", namespace: "platform.api", value: 300 },
        ]),
      );
      expect(await sdkError(sdk.organization.getOrganizationsLimitsNamespace("nowhere"))).toMatchObject({
        status: 404,
      });
    });

    it("limits an OAuth client over all its tokens, and not other clients", async () => {
      emulator.admin.setLimits({ perTokenPerMinute: 100, perClientPerMinute: 4 });
      const second = await loggedInSdk(emulator.url);
      for (const client of [sdk, sdk, second, second]) await client.routing.getRoutingSkills();
      const error = await sdkError(second.routing.getRoutingSkills());
      expect(error).toMatchObject({ status: 429, limit: { key: "org.app.user.rate.per.minute", value: 4 } });
      const limited = await loggedInSdk(emulator.url, LIMITED_CLIENT);
      await expect(limited.routing.getRoutingSkills()).resolves.toMatchObject(SEEDED_SKILLS);
    });

    it("passes the minute faster with a time scale, so a benchmark can wait out a window", async () => {
      emulator.admin.setLimits({ perTokenPerMinute: 2, timeScale: 600 }); // a "minute" of 100 ms
      await sdk.routing.getRoutingSkills();
      await sdk.routing.getRoutingSkills();
      expect(await sdkError(sdk.routing.getRoutingSkills())).toMatchObject({ status: 429 });
      await sleep(250);
      await expect(sdk.routing.getRoutingSkills()).resolves.toMatchObject(SEEDED_SKILLS);
    });

    it("sends the legacy inin-ratelimit-* headers only when asked", async () => {
      const plain = (await extended.routing.getRoutingSkills()) as unknown as {
        headers: Record<string, string>;
      };
      expect(plain.headers["inin-ratelimit-allowed"]).toBeUndefined();
      emulator.admin.setLimits({ legacyHeaders: true });
      const first = (await extended.routing.getRoutingSkills()) as unknown as {
        headers: Record<string, string>;
      };
      const second = (await extended.routing.getRoutingSkills()) as unknown as {
        headers: Record<string, string>;
      };
      expect(first.headers["inin-ratelimit-allowed"]).toBe("300");
      expect(Number(second.headers["inin-ratelimit-count"])).toBe(
        Number(first.headers["inin-ratelimit-count"]) + 1,
      );
      expect(Number(first.headers["inin-ratelimit-reset"])).toBeGreaterThanOrEqual(0);
    });
  });

  describe("faults", () => {
    it("injects server errors for a share of requests, as ErrorBody", async () => {
      emulator.admin.setFaults({ errorRate: 1, errorStatuses: [503] });
      expect(await sdkError(sdk.routing.getRoutingSkills())).toMatchObject({
        status: 503,
        code: "service.unavailable",
        contextId: expect.any(String),
      });
      emulator.admin.setFaults({ errorRate: 0.5, errorStatuses: [500, 502, 504] });
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, () => sdk.routing.getRoutingSkills()),
      );
      const failures = results
        .filter((r): r is PromiseRejectedResult => r.status === "rejected")
        .map((r) => (r.reason as { status: number }).status);
      expect(failures.length).toBeGreaterThan(5);
      expect(failures.length).toBeLessThan(35);
      expect(failures.every((s) => [500, 502, 504].includes(s))).toBe(true);
      expect(emulator.admin.requests().filter((r) => r.fault === "error")).toHaveLength(failures.length + 1);
    });

    it("adds latency", async () => {
      emulator.admin.setFaults({ latencyMs: 200 });
      await sdk.routing.getRoutingSkills();
      const [entry] = emulator.admin.requests({ endpoint: "GET /api/v2/routing/skills" });
      expect(entry).toMatchObject({ fault: "latency", status: 200 });
      expect(entry.durationMs).toBeGreaterThanOrEqual(190);
    });

    it("drops connections without an answer", async () => {
      emulator.admin.setFaults({ dropRate: 1 });
      const error = (await sdkError(sdk.routing.getRoutingSkills())) as unknown as {
        code?: string;
        message: string;
      };
      expect(error.code === "ECONNRESET" || /socket hang up/.test(error.message)).toBe(true);
      expect(emulator.admin.requests().at(-1)).toMatchObject({ fault: "drop", endpoint: "dropped" });
      emulator.admin.clearFaults();
      await expect(sdk.routing.getRoutingSkills()).resolves.toMatchObject(SEEDED_SKILLS);
    });

    it("invalidates tokens at run time; a new login works again", async () => {
      const victim = await loggedInSdk(emulator.url, LIMITED_CLIENT);
      await victim.routing.getRoutingSkills();
      expect(emulator.admin.invalidateTokens("lifecycle-limited")).toBeGreaterThanOrEqual(1);
      expect(await sdkError(victim.routing.getRoutingSkills())).toMatchObject({
        status: 401,
        code: "bad.credentials",
      });
      await expect(sdk.routing.getRoutingSkills()).resolves.toMatchObject(SEEDED_SKILLS);
      await victim.client.loginClientCredentialsGrant(LIMITED_CLIENT.id, LIMITED_CLIENT.secret);
      await expect(victim.routing.getRoutingSkills()).resolves.toMatchObject(SEEDED_SKILLS);
    });

    it("invalidates the presented token for a share of requests (set at start or at run time)", async () => {
      const victim = await loggedInSdk(emulator.url);
      emulator.admin.setFaults({ tokenInvalidationRate: 1, pathPattern: "^/api/v2/routing/skills" });
      expect(await sdkError(victim.routing.getRoutingSkills())).toMatchObject({
        status: 401,
        code: "bad.credentials",
      });
      expect(emulator.admin.requests().at(-1)).toMatchObject({ fault: "token", status: 401 });
      emulator.admin.clearFaults();
      expect(await sdkError(victim.routing.getRoutingSkills())).toMatchObject({ status: 401 });
      await victim.client.loginClientCredentialsGrant(LOCAL_CLIENT.id, LOCAL_CLIENT.secret);
      await expect(victim.routing.getRoutingSkills()).resolves.toMatchObject(SEEDED_SKILLS);
    });

    it("answers a 429 storm whatever the budget, then recovers", async () => {
      emulator.admin.setFaults({ rateLimitStormRequests: 3, rateLimitStormRetryAfterSeconds: 7 });
      for (let i = 0; i < 3; i++) {
        const failure = (await sdkError(extended.routing.getRoutingSkills())) as unknown as {
          status: number;
          headers: Record<string, string>;
          body: Record<string, unknown>;
        };
        expect(failure.status).toBe(429);
        expect(failure.headers["retry-after"]).toBe("7");
        expect(failure.body.code).toBe("too.many.requests.retry.after");
      }
      await expect(extended.routing.getRoutingSkills()).resolves.toMatchObject({ status: 200 });
      expect(emulator.admin.faults().rateLimitStormRequests).toBe(0);
    });

    it("faults only the paths that match pathPattern", async () => {
      emulator.admin.setFaults({ errorRate: 1, pathPattern: "^/api/v2/users" });
      await expect(sdk.routing.getRoutingSkills()).resolves.toMatchObject(SEEDED_SKILLS);
      expect(await sdkError(sdk.users.getUsers())).toMatchObject({ status: 503 });
    });

    it("expires tokens after their lifetime (401 bad.credentials)", async () => {
      const shortLived = await startGenesysEmulator({ port: 0, tokenLifetimeSeconds: 1 });
      try {
        const client = await loggedInSdk(shortLived.url);
        await expect(client.routing.getRoutingSkills()).resolves.toMatchObject(SEEDED_SKILLS);
        await sleep(1_100);
        expect(await sdkError(client.routing.getRoutingSkills())).toMatchObject({
          status: 401,
          code: "bad.credentials",
        });
      } finally {
        await shortLived.close();
      }
    });

    it("refuses nonsense fault settings", () => {
      expect(() => emulator.admin.setFaults({ errorRate: 2 })).toThrow("errorRate must be between 0 and 1");
      expect(() => emulator.admin.setFaults({ errorStatuses: [404] })).toThrow("5xx");
    });

    it("takes faults, limits and token lifetime at start", async () => {
      const faulty = await startGenesysEmulator({
        port: 0,
        faults: { errorRate: 1, errorStatuses: [502] },
        limits: { perTokenPerMinute: 1 },
        tokenLifetimeSeconds: 600,
      });
      try {
        const client = await loggedInSdk(faulty.url).catch(
          (error: unknown) => error as { response: { status: number } },
        );
        expect((client as { response: { status: number } }).response.status).toBe(502);
        faulty.admin.clearFaults();
        const auth = await loggedInSdk(faulty.url);
        expect((await auth.tokens.getTokensMe()).OAuthClient!.id).toBe("lifecycle-local");
        expect(await sdkError(auth.tokens.getTokensMe())).toMatchObject({ status: 429, limit: { value: 1 } });
      } finally {
        await faulty.close();
      }
    });
  });
});
