import { apiAreaOf, NamespaceBudgets } from "../../../src/genesys/namespace-budgets";

describe("namespace budgets", () => {
  it("knows the directory namespace covers the users API before any limit is learned", () => {
    const budgets = new NamespaceBudgets();
    expect(budgets.knownNamespaces).toEqual(["directory"]);
    expect(budgets.namespaceOf("/api/v2/users/search")).toBe("directory");
    expect(budgets.budgetFor("/api/v2/users/search")).toBeUndefined();
  });

  it("keeps the tightest per-minute limit of a namespace, and leaves token and client limits to the pool", () => {
    const budgets = new NamespaceBudgets({ now: () => 0 });
    budgets.learn({ key: "user.rate.per.minute", namespace: "directory", value: 180 });
    budgets.learn({ key: "user.rate.per.minute", namespace: "directory", value: 240 });
    expect(budgets.limitOf("directory")).toBe(180);
    budgets.learn({ key: "client.credentials.token.rate.per.minute", namespace: "platform.api", value: 300 });
    budgets.learn({ key: "org.app.user.rate.per.minute", namespace: "platform.api", value: 3000 });
    budgets.learn({ key: "request.bytes.max", namespace: "platform.api", value: 512000 });
    expect(budgets.limitOf("platform.api")).toBeUndefined();
    expect(budgets.budgetFor("/api/v2/users")?.intervalInMs).toBeCloseTo(60_000 / (180 * 0.98));
  });

  it("learns from a 429 which area of the API a namespace covers, and pauses only that namespace", () => {
    let now = 1_000;
    const budgets = new NamespaceBudgets({ now: () => now });
    const limit = { key: "member.rate.per.minute", namespace: "routing", value: 60 };
    expect(budgets.observeRateLimited("/api/v2/routing/queues/q1/members", limit, 5_000)).toBe(true);
    expect(budgets.namespaceOf("/api/v2/routing/skills")).toBe("routing");
    expect(budgets.budgetFor("/api/v2/routing/queues/q2/members")?.pausedUntil).toBe(6_000);
    expect(budgets.budgetFor("/api/v2/authorization/divisions")).toBeUndefined();
    now = 2_000;
    const tokenLimit = { key: "token.rate.per.minute", namespace: "platform.api", value: 300 };
    expect(budgets.observeRateLimited("/api/v2/presence/definitions", tokenLimit, 5_000)).toBe(false);
    expect(budgets.observeRateLimited("/api/v2/presence/definitions", undefined, 5_000)).toBe(false);
  });

  it("names the area of the API a path is in", () => {
    expect(apiAreaOf("/api/v2/users/abc/routingskills/bulk")).toBe("/api/v2/users");
    expect(apiAreaOf("/api/v2/routing/queues/q1/members")).toBe("/api/v2/routing");
  });
});
