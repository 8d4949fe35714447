import { readSeedFile } from "../../../local/emulators/genesys/seed";
import { startHarness, UNLIMITED, type Harness } from "./harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.admin.loadSeed(readSeedFile());
  h.emulator.admin.reset();
  h.emulator.admin.setLimits({ ...UNLIMITED, namespaceLimits: [] });
});

/** The directory namespace's limit, tighter than the per-token budget, over the users API. */
const DIRECTORY_LIMIT = {
  namespace: "directory",
  key: "user.rate.per.minute",
  value: 5,
  pathPrefix: "/api/v2/users",
};
const too_many = () => h.emulator.admin.requests().filter((r) => r.status === 429);

describe("namespace limits", () => {
  it("reads the directory limit at start and never crosses it: the namespace, not the token, sets the pace", async () => {
    h.emulator.admin.setLimits({ namespaceLimits: [DIRECTORY_LIMIT] });
    const genesys = h.client({ readNamespaceLimitsAtStart: true, maxInProcessWaitInMs: 1_000 });
    await genesys.findUsersByEmail(["n0@example.com"]);
    // Paced at 5 a minute from the first request on, the next directory request is 12 s away: held back
    // instead of sent, while the token's own budget would have let it go at once.
    const held = await genesys.findUsersByEmail(["n1@example.com"]).catch((e: unknown) => e);
    expect(held).toMatchObject({ isRateLimited: true, code: "client.rate.budget.exhausted" });
    expect((held as { retryAfterInMs: number }).retryAfterInMs).toBeGreaterThan(1_000);
    expect(too_many()).toEqual([]);
    expect(
      h.emulator.admin.requests({ endpoint: "GET /api/v2/organizations/limits/namespaces/{namespaceName}" }),
    ).toHaveLength(1);
    // Other areas of the API spend from the token budget alone.
    await expect(genesys.getHomeDivision()).resolves.toMatchObject({ name: "Home" });
  });

  it("learns a namespace's limit from the 429's limit object, and holds that namespace only", async () => {
    h.emulator.admin.setLimits({ namespaceLimits: [DIRECTORY_LIMIT] });
    const genesys = h.client({ maxInProcessWaitInMs: 1_000 });
    for (let i = 0; i < 5; i++) await genesys.findUsersByEmail([`m${i}@example.com`]);
    await expect(genesys.findUsersByEmail(["m5@example.com"])).rejects.toMatchObject({ isRateLimited: true });
    expect(too_many()).toHaveLength(1);
    // Held back now, not sent to meet a second 429.
    await expect(genesys.findUsersByEmail(["m6@example.com"])).rejects.toMatchObject({
      code: "client.rate.budget.exhausted",
    });
    expect(too_many()).toHaveLength(1);
    await expect(genesys.getHomeDivision()).resolves.toMatchObject({ name: "Home" });
  });

  it("goes on without the limits API when the client may not read it", async () => {
    const genesys = h.client({ readNamespaceLimitsAtStart: true });
    await expect(genesys.findUsersByEmail(["x@example.com"])).resolves.toEqual([]);
    expect(
      h.emulator.admin
        .requests({ endpoint: "GET /api/v2/organizations/limits/namespaces/{namespaceName}" })
        .map((r) => r.status),
    ).toEqual([404]);
  });
});
