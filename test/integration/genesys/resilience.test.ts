import { Secret } from "../../../src/config/secret";
import { isGenesysCloudError } from "../../../src/genesys/errors";
import type { GenesysCloudClient } from "../../../src/genesys/client";
import type { User } from "../../../src/genesys/models";
import { readSeedFile } from "../../../local/emulators/genesys/seed";
import { answered, startHarness, UNLIMITED, type Harness } from "./harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.admin.loadSeed(readSeedFile());
  h.emulator.admin.reset();
  h.emulator.admin.setLimits({ ...UNLIMITED, legacyHeaders: false });
});

const TOKEN = "POST /oauth/token";
const CREATE = "POST /api/v2/users";

/**
 * What a lifecycle activity does with a create that failed transiently: the create is never resent blindly, so
 * look the email up and create only if it is not there.
 */
async function ensureUser(genesys: GenesysCloudClient, email: string, divisionId: string): Promise<User> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [existing] = await genesys.findUsersByEmail([email]);
      if (existing) return existing;
      return await genesys.createUser({ name: email, email, divisionId });
    } catch (error) {
      if (!(isGenesysCloudError(error) && error.isTransient) || attempt >= 20) throw error;
    }
  }
}

/** `n` workers running `task(worker, i)` `perWorker` times each, concurrently. */
async function workers(n: number, perWorker: number, task: (worker: number, i: number) => Promise<void>) {
  await Promise.all(
    Array.from({ length: n }, async (_, w) => {
      for (let i = 0; i < perWorker; i++) await task(w, i);
    }),
  );
}

function expectEachEmailOnce(emails: string[]) {
  for (const email of emails) expect(h.emulator.admin.users({ email })).toHaveLength(1);
}

describe("authentication", () => {
  it("re-authenticates once when every token is revoked mid-run, with concurrent callers sharing one new token", async () => {
    const genesys = h.client();
    await genesys.getHomeDivision();
    let done = 0;
    await workers(8, 10, async (w, i) => {
      if (w === 0 && i === 5) h.emulator.admin.invalidateTokens();
      await genesys.getHomeDivision();
      done++;
    });
    expect(done).toBe(80);
    expect(answered(h.emulator, TOKEN, 200)).toBe(2);
    expect(answered(h.emulator, "GET /api/v2/authorization/divisions/home", 200)).toBe(81);
  });

  it("renews a token before it expires, so an expiring token never reaches the API", async () => {
    await h.close();
    h = await startHarness({ tokenLifetimeSeconds: 1 });
    const genesys = h.client({ renewBeforeExpiryInMs: 500 });
    for (let i = 0; i < 3; i++) {
      await genesys.getHomeDivision();
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
    expect(answered(h.emulator, TOKEN, 200)).toBe(3);
    expect(h.emulator.admin.requests().filter((r) => r.status === 401)).toHaveLength(0);
  });

  it("a token that expires in flight is replaced and the request resent, even a create", async () => {
    await h.close();
    h = await startHarness({ tokenLifetimeSeconds: 1 });
    // A client clock running at half speed and no early renewal: the client believes its token valid after
    // Genesys expired it, as happens when a request leaves just before expiry.
    const start = Date.now();
    const genesys = h.client({ renewBeforeExpiryInMs: 0, now: () => start + (Date.now() - start) / 2 });
    const home = await genesys.getHomeDivision();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await genesys.createUser({ name: "Late Token", email: "late.token@example.com", divisionId: home.id });
    expect(h.emulator.admin.requests({ endpoint: CREATE }).map((r) => r.status)).toEqual([401, 200]);
    expectEachEmailOnce(["late.token@example.com"]);
  });

  it("picks up a rotated secret: after a 401 it reads the secret again", async () => {
    let vault = "lifecycle-local-secret";
    let reads = 0;
    const genesys = h.client({
      readSecret: async () => {
        reads++;
        return new Secret(vault);
      },
    });
    await genesys.getHomeDivision();
    const seed = readSeedFile();
    seed.oauthClients.find((c) => c.id === "lifecycle-local")!.secret = "rotated-secret";
    h.emulator.admin.loadSeed(seed);
    h.emulator.admin.invalidateTokens();
    vault = "rotated-secret";
    await expect(genesys.getHomeDivision()).resolves.toMatchObject({ name: "Home" });
    expect(reads).toBe(2);

    // A secret nobody rotated in the vault: a clear error, and the secret is not in it.
    h.emulator.admin.invalidateTokens();
    vault = "stale-secret";
    const error = await genesys.getHomeDivision().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GenesysCloudError", statusCode: 401, isTransient: false });
    expect((error as Error).message).toMatch(
      /refused the OAuth client 'lifecycle-local'.*Check the client id, the secret/,
    );
    expect((error as Error).message).not.toContain("stale-secret");
  });
});

describe("rate limits", () => {
  it("rides out a 429 storm: every create lands exactly once", async () => {
    const genesys = h.client({ maxInProcessWaitInMs: 5_000, maxRateLimitRetries: 10 });
    const home = await genesys.getHomeDivision();
    h.emulator.admin.setFaults({ rateLimitStormRequests: 24, rateLimitStormRetryAfterSeconds: 1 });
    const emails: string[] = [];
    await workers(8, 4, async (w, i) => {
      const email = `storm.${w}.${i}@example.com`;
      emails.push(email);
      await genesys.createUser({ name: email, email, divisionId: home.id });
    });
    expect(h.emulator.admin.requests().filter((r) => r.fault === "storm")).toHaveLength(24);
    expect(answered(h.emulator, CREATE, 200)).toBe(32);
    expectEachEmailOnce(emails);
  });

  it("a 429 on the per-client limit holds every token of the pool, so the next call is not sent", async () => {
    h.emulator.admin.setLimits({ perClientPerMinute: 5 });
    const genesys = h.client({ tokenPoolSize: 2, maxInProcessWaitInMs: 1_000 });
    for (let i = 0; i < 5; i++) await genesys.getHomeDivision();
    await expect(genesys.getHomeDivision()).rejects.toMatchObject({
      isRateLimited: true,
      retryAfterInMs: expect.any(Number),
    });
    await expect(genesys.getHomeDivision()).rejects.toMatchObject({ code: "client.rate.budget.exhausted" });
    expect(new Set(genesys.tokenPool.slots.map((s) => s.budget.pausedUntil > Date.now()))).toEqual(
      new Set([true]),
    );
    expect(h.emulator.admin.requests().filter((r) => r.status === 429)).toHaveLength(1);
  });

  it("pauses before a legacy remaining-budget header runs out, without ever meeting a 429", async () => {
    h.emulator.admin.setLimits({ perTokenPerMinute: 60, legacyHeaders: true });
    const genesys = h.client({ maxInProcessWaitInMs: 1_000 });
    for (let i = 0; i < 11; i++) await genesys.getHomeDivision();
    const error = await genesys.getHomeDivision().catch((e: unknown) => e);
    expect(error).toMatchObject({ isRateLimited: true, code: "client.rate.budget.exhausted" });
    expect((error as { retryAfterInMs: number }).retryAfterInMs).toBeGreaterThan(1_000);
    expect(h.emulator.admin.requests().filter((r) => r.status === 429)).toHaveLength(0);
  });
});

describe("server errors, timeouts and dropped connections", () => {
  it("retries a burst of 5xx and drops on idempotent calls; creates are never resent blindly; nothing lost or doubled", async () => {
    const genesys = h.client({ maxRetries: 8 });
    const home = await genesys.getHomeDivision();
    const queueId = await genesys.resolveId("queue", "General_Enquiries");
    h.emulator.admin.setFaults({
      errorRate: 0.3,
      errorStatuses: [500, 502, 503, 504],
      dropRate: 0.05,
      seed: 7,
    });
    const emails: string[] = [];
    const ids: string[] = [];
    await workers(8, 3, async (w, i) => {
      const email = `burst.${w}.${i}@example.com`;
      emails.push(email);
      const user = await ensureUser(genesys, email, home.id);
      ids.push(user.id);
      await genesys.addQueueMembers(queueId, [user.id]);
    });
    h.emulator.admin.clearFaults();
    const faults = h.emulator.admin.requests().filter((r) => r.fault === "drop" || r.status >= 500);
    expect(faults.length).toBeGreaterThan(5);
    expectEachEmailOnce(emails);
    expect(answered(h.emulator, CREATE, 200)).toBe(24);
    for (const id of ids) expect(h.emulator.admin.user(id)!.queues.map((q) => q.id)).toContain(queueId);
  });

  it("does not retry a failed create, and says to look it up first", async () => {
    const genesys = h.client();
    const home = await genesys.getHomeDivision();
    h.emulator.admin.setFaults({ errorRate: 1, errorStatuses: [503], pathPattern: "^/api/v2/users$" });
    const error = await genesys
      .createUser({ name: "X", email: "x@example.com", divisionId: home.id })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 503, isTransient: true });
    expect((error as Error).message).toMatch(/look the object up before sending it again/);
    expect(h.emulator.admin.requests().filter((r) => r.path === "/api/v2/users")).toHaveLength(1);

    h.emulator.admin.setFaults({ errorRate: 0, dropRate: 1 });
    const dropped = await genesys
      .createUser({ name: "X", email: "x@example.com", divisionId: home.id })
      .catch((e: unknown) => e);
    expect(dropped).toMatchObject({ statusCode: 0, code: "client.network.error", isTransient: true });
    expect(h.emulator.admin.requests().filter((r) => r.path === "/api/v2/users")).toHaveLength(2);
  });

  it("does not retry 501, and retries a read that times out a bounded number of times", async () => {
    const genesys = h.client({ maxRetries: 2 });
    await genesys.getHomeDivision();
    h.emulator.admin.setFaults({ errorRate: 1, errorStatuses: [501], pathPattern: "divisions/home" });
    await expect(genesys.getHomeDivision()).rejects.toMatchObject({ statusCode: 501, isTransient: false });
    expect(answered(h.emulator, "GET /api/v2/authorization/divisions/home", 501)).toBe(1);

    h.emulator.admin.setFaults({ errorRate: 0, latencyMs: 300 });
    await expect(genesys.getHomeDivision({ timeoutInMs: 50 })).rejects.toMatchObject({
      statusCode: 0,
      code: "client.timeout",
      isTransient: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(answered(h.emulator, "GET /api/v2/authorization/divisions/home", 200)).toBe(1 + 3);
  });

  it("stops at once when the caller aborts, with the client's error", async () => {
    const genesys = h.client();
    await genesys.getHomeDivision();
    h.emulator.admin.setFaults({ latencyMs: 300 });
    const controller = new AbortController();
    const pending = genesys.getHomeDivision({ abortSignal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({
      name: "GenesysCloudError",
      code: "client.aborted",
      isTransient: false,
    });
  });
});
