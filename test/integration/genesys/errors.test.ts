import { Secret } from "../../../src/config/secret";
import type { GenesysCloudClient } from "../../../src/genesys/client";
import { GenesysCloudError } from "../../../src/genesys/errors";
import { answered, startHarness, type Harness } from "./harness";

let h: Harness;
let genesys: GenesysCloudClient;

beforeAll(async () => {
  h = await startHarness();
  genesys = h.client();
});
afterAll(() => h.close());
beforeEach(() => h.emulator.admin.reset());

async function failure(promise: Promise<unknown>): Promise<GenesysCloudError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GenesysCloudError);
    return error as GenesysCloudError;
  }
  throw new Error("expected a GenesysCloudError");
}

describe("GenesysCloudError from the emulator", () => {
  it("isEmailConflict: the email belongs to a deleted user", async () => {
    const home = await genesys.getHomeDivision();
    const error = await failure(
      genesys.createUser({ name: "Dirk Again", email: "dirk.deleted@example.com", divisionId: home.id }),
    );
    expect(error).toMatchObject({
      statusCode: 409,
      code: "general.conflict",
      method: "POST",
      path: "/api/v2/users",
    });
    expect([error.isEmailConflict, error.isVersionConflict, error.isTransient]).toEqual([true, false, false]);
    expect(error.correlationId).toEqual(expect.any(String));
    expect(error.message).toMatch(/already exists/);
  });

  it("isVersionConflict: a stale version", async () => {
    const alex = await genesys.getUser(h.emulator.admin.user("alex.agent@example.com")!.id);
    await genesys.updateUser(alex.id, { version: alex.version, title: "Lead" });
    const error = await failure(genesys.updateUser(alex.id, { version: alex.version, title: "Other" }));
    expect(error.isVersionConflict).toBe(true);
    expect(error.isEmailConflict).toBe(false);
    expect(error.message).toMatch(/Read it again|does not match/);
  });

  it("isDivisionAccessDenied: the OAuth client holds no grant in the queue's division, and the message names the permission", async () => {
    const limited = h.client({
      clientId: "lifecycle-limited",
      readSecret: async () => new Secret("lifecycle-limited-secret"),
    });
    const queueId = await genesys.resolveId("queue", "Priority_Support_Queue");
    const error = await failure(
      limited.addQueueMembers(queueId, [h.emulator.admin.user("hugo.home@example.com")!.id]),
    );
    expect(error.statusCode).toBe(403);
    expect(error.isDivisionAccessDenied).toBe(true);
    expect(error.message).toMatch(/routing:queue:edit.*Grant its role/);
  });

  it("isNotFound: an unknown user", async () => {
    const error = await failure(genesys.getUser("00000000-0000-0000-0000-000000000000"));
    expect([error.isNotFound, error.statusCode, error.method]).toEqual([true, 404, "GET"]);
    expect(error.path).toBe("/api/v2/users/00000000-0000-0000-0000-000000000000");
  });

  it("isRateLimited: a Retry-After too long to sleep in an activity comes back with the wait, unsent retries none", async () => {
    h.emulator.admin.setFaults({ rateLimitStormRequests: 1, rateLimitStormRetryAfterSeconds: 30 });
    const error = await failure(genesys.getHomeDivision());
    expect(error).toMatchObject({
      statusCode: 429,
      isRateLimited: true,
      isTransient: true,
      retryAfterInMs: 30_000,
    });
    expect(error.message).toMatch(/Retry after 30 s/);
    expect(answered(h.emulator, "GET /api/v2/authorization/divisions/home")).toBe(1);
  });

  it("isRateLimited: the client's own budget refuses a request it would have to wait too long for", async () => {
    const slow = h.client({ requestsPerMinute: 1, maxInProcessWaitInMs: 1_000 });
    await slow.getHomeDivision();
    const error = await failure(slow.getHomeDivision());
    expect(error).toMatchObject({ isRateLimited: true, code: "client.rate.budget.exhausted" });
    expect(error.retryAfterInMs).toBeGreaterThan(50_000);
    expect(answered(h.emulator, "GET /api/v2/authorization/divisions/home")).toBe(1);
  });
});
