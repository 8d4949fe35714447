import { NameResolver } from "../../../src/genesys/names";
import { collect, pageNumbered } from "../../../src/genesys/paging";

describe("NameResolver", () => {
  it("matches exactly, then case-insensitively, caches, and names every unknown name at once", async () => {
    const calls: string[] = [];
    const resolver = new NameResolver(async (kind, name) => {
      calls.push(`${kind}:${name}`);
      const all = [
        { id: "q1", name: "Support EN" },
        { id: "q2", name: "Support EN Tier 2" },
        { id: "q3", name: "sales" },
      ];
      return all.filter((q) => q.name.toLowerCase().startsWith(name.toLowerCase()));
    });
    await expect(resolver.resolve("queue", ["Support EN", "Sales"])).resolves.toEqual(
      new Map([
        ["Support EN", "q1"],
        ["Sales", "q3"],
      ]),
    );
    await resolver.resolve("queue", ["Support EN"]);
    expect(calls).toEqual(["queue:Support EN", "queue:Sales"]);

    const failure = resolver.resolve("queue", ["Billing", "Support EN", "Retention"]);
    await expect(failure).rejects.toMatchObject({
      name: "GenesysCloudError",
      isNotFound: true,
      message: expect.stringMatching(/no queues named "Billing", "Retention"/),
    });
  });

  it("re-reads after the cache lifetime", async () => {
    let now = 0;
    let calls = 0;
    const resolver = new NameResolver(
      async () => (calls++, [{ id: "r1", name: "Agent" }]),
      1000,
      () => now,
    );
    await resolver.resolve("role", ["Agent"]);
    now = 999;
    await resolver.resolve("role", ["Agent"]);
    now = 1000;
    await resolver.resolve("role", ["Agent"]);
    expect(calls).toBe(2);
  });
});

describe("pageNumbered", () => {
  const items = Array.from({ length: 7 }, (_, i) => i);

  it("follows pageCount, nextUri, or a full page when the listing gives neither", async () => {
    const byCount = pageNumbered(
      async (n, size) => ({ entities: items.slice((n - 1) * size, n * size), pageCount: 3 }),
      3,
    );
    await expect(collect(byCount)).resolves.toEqual(items);
    const byUri = pageNumbered(
      async (n, size) => ({
        entities: items.slice((n - 1) * size, n * size),
        nextUri: n < 3 ? "next" : null,
      }),
      3,
    );
    await expect(collect(byUri)).resolves.toEqual(items);
    const byFullPage = pageNumbered(
      async (n, size) => ({ entities: items.slice((n - 1) * size, n * size) }),
      7,
    );
    await expect(collect(byFullPage)).resolves.toEqual(items);
  });

  it("resumes from a continuation token", async () => {
    const listing = pageNumbered(
      async (n, size) => ({ entities: items.slice((n - 1) * size, n * size), pageCount: 4 }),
      2,
    );
    const first = await listing.byPage().next();
    expect(first.value).toEqual({ items: [0, 1], continuationToken: "2" });
    const rest = [];
    for await (const page of listing.byPage({ continuationToken: "3" })) rest.push(page);
    expect(rest).toEqual([{ items: [4, 5], continuationToken: "4" }, { items: [6] }]);
  });
});
