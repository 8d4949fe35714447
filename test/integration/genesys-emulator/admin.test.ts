import {
  startGenesysEmulator,
  type GenesysEmulator,
  type UserFullState,
} from "../../../local/emulators/genesys";
import { readSeedFile } from "../../../local/emulators/genesys/seed";
import { loggedInSdk, type Sdk } from "./sdk";

describe("Genesys emulator: admin API, seed and wire details", () => {
  let emulator: GenesysEmulator;
  let sdk: Sdk;
  const admin = async (method: string, path: string, body?: unknown, contentType = "application/json") => {
    const response = await fetch(`${emulator.url}/emulator${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            body: typeof body === "string" ? body : JSON.stringify(body),
            headers: { "content-type": contentType },
          }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  };

  beforeAll(async () => {
    emulator = await startGenesysEmulator({ port: 0 });
    sdk = await loggedInSdk(emulator.url);
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.admin.loadSeed());

  it("ships a demo contact centre with what the product needs", () => {
    const seed = readSeedFile();
    expect(seed.divisions.map((d) => d.name)).toEqual(["Home", "Support", "Sales", "EMEA"]);
    expect(seed.roles.map((r) => r.name)).toEqual(
      expect.arrayContaining(["Agent", "Supervisor", "Knowledge Base Editor", "Employee"]),
    );
    expect(seed.queues.map((q) => q.name)).toEqual(
      expect.arrayContaining(["Priority_Support_Queue", "Tier_2_Escalation", "Inbound_Sales", "EMEA_Sales"]),
    );
    expect(seed.skills).toContain("Network_Troubleshooting");
    expect(seed.languages).toEqual(expect.arrayContaining(["English", "French", "German", "Spanish"]));
    expect(seed.presenceDefinitions.map((p) => p.systemPresence)).toContain("Offline");
    expect(seed.users!.map((u) => u.state ?? "active")).toEqual(
      expect.arrayContaining(["active", "inactive", "deleted"]),
    );
    expect(new Set(seed.interactions!.map((i) => i.mediaType))).toEqual(
      new Set(["voice", "email", "message"]),
    );
  });

  it("lists users with their full state", async () => {
    const { status, body } = await admin("GET", "/users?email=bea.agent@example.com");
    expect(status).toBe(200);
    const bea = (body as UserFullState[])[0];
    expect(bea).toMatchObject({
      email: "bea.agent@example.com",
      state: "active",
      division: { name: "Support" },
      presence: { systemPresence: "OnQueue" },
      routingStatus: "INTERACTING",
      employerInfo: { employeeId: "100402" },
    });
    expect(bea.grants.map((g) => `${g.roleName}@${g.divisionName}`).sort()).toEqual([
      "Agent@Support",
      "Employee@Home",
      "Knowledge Base Editor@Home",
    ]);
    expect(bea.queues.map((q) => q.name).sort()).toEqual(["Priority_Support_Queue", "Tier_2_Escalation"]);
    expect(bea.skills.map((s) => s.name).sort()).toEqual(["Escalation_Handling", "Network_Troubleshooting"]);
    expect(bea.languages.map((l) => l.name).sort()).toEqual(["English", "Spanish"]);
    expect(bea.interactions).toEqual([expect.objectContaining({ mediaType: "message", state: "connected" })]);
    expect((await admin("GET", `/users/${bea.id}`)).body.email).toBe("bea.agent@example.com");
    expect((await admin("GET", "/users/nobody")).status).toBe(404);
    const deleted = await admin("GET", "/users?state=deleted");
    expect((deleted.body as UserFullState[]).map((u) => u.email).sort()).toEqual([
      "dirk.deleted@example.com",
      "olga.oldtimer@example.com",
    ]);
  });

  it("adds and ends live interactions", async () => {
    const added = await admin("POST", "/interactions", {
      mediaType: "email",
      agent: "hugo.home@example.com",
      queue: "General_Enquiries",
      customer: "Kim",
    });
    expect(added.status).toBe(201);
    expect(added.body.participants.map((p: { purpose: string }) => p.purpose)).toEqual([
      "customer",
      "acd",
      "agent",
    ]);
    const hugo = (await admin("GET", "/users/hugo.home@example.com")).body as UserFullState;
    expect(hugo.interactions).toEqual([
      expect.objectContaining({ conversationId: added.body.id, mediaType: "email" }),
    ]);
    expect((await admin("POST", `/interactions/${added.body.id}/end`)).status).toBe(204);
    expect(((await admin("GET", "/users/hugo.home@example.com")).body as UserFullState).interactions).toEqual(
      [],
    );
    expect((await admin("GET", `/interactions?userId=${hugo.id}&active=false`)).body).toHaveLength(1);
    expect(
      (await admin("POST", "/interactions", { mediaType: "fax", agent: "hugo.home@example.com" })).status,
    ).toBe(400);
  });

  it("adds callbacks over HTTP: placed with the agent, or scheduled and owned by the agent", async () => {
    const scheduledAt = new Date(Date.now() + 86_400_000).toISOString();
    const owned = await admin("POST", "/interactions", {
      mediaType: "callback",
      agent: "hugo.home@example.com",
      queue: "General_Enquiries",
      scheduledAt,
    });
    expect(owned.status).toBe(201);
    const placed = await admin("POST", "/interactions", {
      mediaType: "callback",
      agent: "hugo.home@example.com",
    });
    const hugo = (await admin("GET", "/users/hugo.home@example.com")).body as UserFullState;
    expect(hugo.interactions).toEqual([
      expect.objectContaining({ conversationId: placed.body.id, mediaType: "callback" }),
    ]);
    expect(hugo.ownedCallbacks).toEqual([
      expect.objectContaining({ conversationId: owned.body.id, scheduledTime: scheduledAt }),
    ]);
    expect((await admin("GET", `/interactions?userId=${hugo.id}&active=true`)).body).toHaveLength(2);
    expect(
      (await admin("POST", "/interactions", { mediaType: "callback", agent: hugo.id, scheduledAt })).status,
    ).toBe(400); // a scheduled callback waits in a queue
    expect(
      (await admin("POST", "/interactions", { mediaType: "voice", agent: hugo.id, scheduledAt })).status,
    ).toBe(400);
  });

  it("runs an action once, right after the next matching request (a change between two calls of a client)", async () => {
    const sam = emulator.admin.user("sup.support@example.com")!;
    const seen: string[] = [];
    emulator.admin.afterNextRequest({ method: "GET", path: new RegExp(`/users/${sam.id}$`) }, () => {
      seen.push(emulator.admin.user(sam.id)!.state);
      emulator.admin.deactivateUser(sam.id);
    });
    await sdk.users.getUsers();
    expect(seen).toEqual([]);
    expect((await sdk.users.getUser(sam.id)).state).toBe("active");
    expect(seen).toEqual(["active"]);
    expect(emulator.admin.user(sam.id)!.state).toBe("inactive");
    await sdk.users.getUser(sam.id);
    expect(seen).toHaveLength(1);
  });

  it("sets faults and limits, invalidates tokens, and reports request log and counters", async () => {
    expect((await admin("PUT", "/faults", { errorRate: 1 })).body.errorRate).toBe(1);
    await expect(sdk.routing.getRoutingSkills()).rejects.toMatchObject({ status: 503 });
    expect((await admin("DELETE", "/faults")).body.errorRate).toBe(0);
    expect((await admin("PUT", "/faults", { errorRate: 7 })).status).toBe(400);
    expect(
      (await admin("PUT", "/limits", { perTokenPerMinute: 1000, legacyHeaders: false })).body
        .perTokenPerMinute,
    ).toBe(1000);
    expect((await admin("GET", "/limits")).body.perClientPerMinute).toBe(3000);

    await admin("DELETE", "/requests");
    await sdk.users.getUsers();
    await sdk.users.getUsers();
    await sdk.users.getUser(
      ((await admin("GET", "/users?email=alex.agent@example.com")).body as UserFullState[])[0].id,
    );
    const counters = (await admin("GET", "/counters")).body;
    expect(counters).toEqual({
      total: 3,
      byEndpoint: { "GET /api/v2/users": 2, "GET /api/v2/users/{userId}": 1 },
      byStatus: { "200": 3 },
    });
    const log = (await admin("GET", "/requests?endpoint=GET%20/api/v2/users")).body;
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      method: "GET",
      path: "/api/v2/users",
      status: 200,
      clientId: "lifecycle-local",
    });

    const invalidated = await admin("POST", "/tokens/invalidate", {});
    expect(invalidated.body.invalidated).toBeGreaterThanOrEqual(1);
    await expect(sdk.users.getUsers()).rejects.toMatchObject({ status: 401 });
    await sdk.client.loginClientCredentialsGrant("lifecycle-local", "lifecycle-local-secret");
  });

  it("loads a seed written in YAML, resets to it, and goes back to the start seed", async () => {
    const yaml = `
divisions: [{ name: Home, home: true }, { name: Lab }]
roles: [{ name: Everything, permissions: ["*"] }]
oauthClients: [{ id: lifecycle-local, secret: lifecycle-local-secret, grants: [{ role: Everything, division: "*" }] }]
queues: [{ name: Lab_Queue, division: Lab }]
skills: [Soldering]
languages: [English]
presenceDefinitions: [{ systemPresence: Available }, { systemPresence: Offline }]
users: [{ name: Lab Tech, email: tech@example.com, division: Lab, queues: [Lab_Queue], skills: { Soldering: 5 } }]
`;
    expect((await admin("POST", "/seed", yaml, "application/yaml")).status).toBe(204);
    const users = await sdk.users.getUsers();
    expect(users.entities!.map((u) => u.email)).toEqual(["tech@example.com"]);
    expect((await sdk.routing.getRoutingQueues()).entities!.map((q) => q.name)).toEqual(["Lab_Queue"]);
    const dangling = await admin("POST", "/seed", {
      ...{ divisions: [{ name: "Home", home: true }] },
      roles: [],
      oauthClients: [],
      queues: [{ name: "Q", division: "Nowhere" }],
      skills: [],
      languages: [],
      presenceDefinitions: [],
    });
    expect(dangling).toMatchObject({
      status: 400,
      body: { message: "Seed refers to unknown division 'Nowhere'" },
    });

    expect(await admin("POST", "/seed", { divisions: [] })).toMatchObject({
      status: 400,
      body: { message: "The seed needs a list of roles (it may be empty)" },
    });

    await admin("POST", "/reset");
    expect((await sdk.users.getUsers()).entities!.map((u) => u.email)).toEqual(["tech@example.com"]);
    expect((await admin("POST", "/seed")).status).toBe(204);
    expect((await sdk.users.getUsers({ pageSize: 100 })).entities!.map((u) => u.email)).toContain(
      "sup.support@example.com",
    );
  });

  it("adds users in bulk to the organisation as it is, with their profile, all or nothing", async () => {
    const before = (await sdk.users.getUsers({ pageSize: 100 })).entities!.length;
    const added = await admin("POST", "/users", [
      {
        name: "Bulk One",
        email: "bulk.1@example.com",
        division: "Support",
        title: "Technical Support",
        employeeId: "880001",
        roles: [
          { role: "Agent", division: "Support" },
          { role: "Knowledge Base Editor", division: "*" },
        ],
        queues: ["Priority_Support_Queue"],
        skills: { Network_Troubleshooting: 3 },
        languages: { English: 5 },
        manager: "sup.support@example.com",
      },
      { name: "Bulk Two", email: "bulk.2@example.com", manager: "bulk.1@example.com" },
    ]);
    expect(added.status).toBe(201);
    const [one, two] = added.body as UserFullState[];
    expect(one).toMatchObject({
      state: "active",
      division: { name: "Support" },
      employerInfo: { employeeId: "880001" },
      managerId: emulator.admin.user("sup.support@example.com")!.id,
      queues: [{ name: "Priority_Support_Queue", joined: true }],
      skills: [{ name: "Network_Troubleshooting", proficiency: 3 }],
      languages: [{ name: "English", proficiency: 5 }],
    });
    expect(one.grants.map((g) => `${g.roleName}@${g.divisionName}`)).toEqual([
      "Agent@Support",
      "Knowledge Base Editor@*",
    ]);
    expect(two).toMatchObject({ division: { name: "Home" }, managerId: one.id });
    // The API sees them as any other user: listed, and members of their queue.
    const listed = await sdk.users.getUsers({ pageSize: 100, expand: ["skills"] });
    expect(listed.entities!.length).toBe(before + 2);
    const members = await sdk.routing.getRoutingQueueMembers(one.queues[0].id, { pageSize: 100 });
    expect(members.entities!.map((m) => m.id)).toContain(one.id);

    // A dangling name or an email already there refuses the whole list: nobody is added.
    const refused = await admin("POST", "/users", [
      { name: "Bulk Three", email: "bulk.3@example.com" },
      { name: "Bulk Four", email: "bulk.4@example.com", queues: ["No_Such_Queue"] },
    ]);
    expect(refused).toMatchObject({
      status: 400,
      body: { message: "Seed refers to unknown queue 'No_Such_Queue'" },
    });
    expect(await admin("POST", "/users", [{ name: "Again", email: "BULK.1@example.com" }])).toMatchObject({
      status: 400,
      body: { message: "The organisation already has a user BULK.1@example.com" },
    });
    expect(emulator.admin.user("bulk.3@example.com")).toBeUndefined();
    expect((await sdk.users.getUsers({ pageSize: 100 })).entities!.length).toBe(before + 2);
  });

  it("puts ININ-Correlation-Id on every response and answers unknown routes and bad JSON with ErrorBody", async () => {
    const token = (await sdk.client.loginClientCredentialsGrant("lifecycle-local", "lifecycle-local-secret"))
      .accessToken;
    const unknown = await fetch(`${emulator.url}/api/v2/nothing/here`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(unknown.status).toBe(404);
    const unknownBody = (await unknown.json()) as Record<string, unknown>;
    expect(unknownBody).toMatchObject({ status: 404, code: "not.found", details: [], errors: [] });
    expect(unknown.headers.get("inin-correlation-id")).toBe(unknownBody.contextId);

    const badJson = await fetch(`${emulator.url}/api/v2/users`, {
      method: "POST",
      body: "{nope",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as Record<string, unknown>).code).toBe("bad.request");

    const wrongMethod = await fetch(`${emulator.url}/api/v2/authorization/divisions/home`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(wrongMethod.status).toBe(405);

    const adminResponse = await admin("GET", "/counters");
    expect(adminResponse.headers.get("inin-correlation-id")).toEqual(expect.any(String));
    const tokenResponse = await fetch(`${emulator.url}/oauth/token`, {
      method: "POST",
      body: "grant_type=password",
    });
    expect(tokenResponse.status).toBe(400);
    expect(tokenResponse.headers.get("inin-correlation-id")).toEqual(expect.any(String));
  });
});
