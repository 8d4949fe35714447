import { Secret } from "../../../src/config/secret";
import { collect } from "../../../src/genesys/paging";
import type { GenesysCloudClient } from "../../../src/genesys/client";
import { readSeedFile } from "../../../local/emulators/genesys/seed";
import { answered, startHarness, type Harness } from "./harness";

let h: Harness;
let genesys: GenesysCloudClient;

beforeAll(async () => {
  h = await startHarness();
  genesys = h.client();
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.admin.reset();
  h.audit.length = 0;
});

describe("users", () => {
  it("creates, reads, updates, deactivates, reactivates, deletes, restores and invites, auditing each write", async () => {
    const home = await genesys.getHomeDivision();
    expect(home).toMatchObject({ name: "Home" });

    const created = await genesys.createUser({
      name: "Nina New",
      email: "nina.new@example.com",
      divisionId: home.id,
      title: "Agent",
    });
    expect(created).toMatchObject({
      name: "Nina New",
      email: "nina.new@example.com",
      division: { id: home.id },
    });
    expect(h.audit.at(-1)).toMatchObject({
      operation: "createUser",
      targetIds: { userId: created.id },
      after: { id: created.id },
    });
    expect(h.audit.at(-1)!.correlationId).toEqual(expect.any(String));

    const read = await genesys.getUser(created.id);
    const updated = await genesys.updateUser(
      created.id,
      { version: read.version, title: "Senior Agent", employerInfo: { employeeId: "900001" } },
      { before: read },
    );
    expect(updated).toMatchObject({ title: "Senior Agent", employerInfo: { employeeId: "900001" } });
    expect(h.audit.at(-1)).toMatchObject({
      operation: "updateUser",
      before: { title: "Agent" },
      after: { title: "Senior Agent" },
    });

    const inactive = await genesys.setUserState(created.id, "inactive", updated.version);
    expect(inactive.state).toBe("inactive");
    expect(h.emulator.admin.user(created.id)!.state).toBe("inactive");
    const active = await genesys.setUserState(created.id, "active", inactive.version);
    expect(active.state).toBe("active");

    await genesys.deleteUser(created.id);
    expect(h.emulator.admin.user(created.id)!.state).toBe("deleted");
    await expect(genesys.getUser(created.id)).rejects.toMatchObject({ isNotFound: true });
    await expect(genesys.getUser(created.id, { state: "deleted" })).resolves.toMatchObject({
      state: "deleted",
    });
    await genesys.deleteUser("no-such-user");
    expect(h.audit.at(-1)).toMatchObject({
      operation: "deleteUser",
      targetIds: { userId: "no-such-user" },
      noChange: true,
    });

    const restored = await genesys.restoreUser(created.id);
    expect(restored.state).toBe("active");
    expect(h.audit.at(-1)).toMatchObject({
      operation: "restoreUser",
      before: { state: "deleted" },
      after: { state: "active" },
    });
    await expect(genesys.restoreUser(created.id)).resolves.toMatchObject({ state: "active" });
    expect(h.audit.at(-1)).toMatchObject({ operation: "restoreUser", noChange: true });

    await genesys.inviteUser(created.id);
    expect(h.emulator.admin.user(created.id)!.dateWelcomeSent).toEqual(expect.any(String));

    await genesys.revokeUserTokens(created.id);
    expect(h.emulator.admin.user(created.id)!.tokenRevocations).toBe(1);
    expect(h.audit.map((r) => r.operation)).toEqual([
      "createUser",
      "updateUser",
      "setUserState",
      "setUserState",
      "deleteUser",
      "deleteUser",
      "restoreUser",
      "restoreUser",
      "inviteUser",
      "revokeUserTokens",
    ]);
  });

  it("finds users by many emails in one call, in every state", async () => {
    const emails = [
      "alex.agent@example.com",
      "ivy.inactive@example.com",
      "dirk.deleted@example.com",
      "nobody@example.com",
    ];
    const found = await genesys.findUsersByEmail(emails);
    expect(found.map((u) => [u.email, u.state]).sort()).toEqual([
      ["alex.agent@example.com", "active"],
      ["dirk.deleted@example.com", "deleted"],
      ["ivy.inactive@example.com", "inactive"],
    ]);
    expect(answered(h.emulator, "POST /api/v2/users/search")).toBe(1);
    const activeOnly = await genesys.findUsersByEmail(emails, { states: ["active"] });
    expect(activeOnly.map((u) => u.email)).toEqual(["alex.agent@example.com"]);
  });

  it("finds users by HR employee id, deleted ones included, splitting long lists over calls", async () => {
    const found = await genesys.findUsersByEmployeeId(["100401", "100202", "999999"], { valuesPerCall: 2 });
    expect(found.map((u) => u.email).sort()).toEqual(["alex.agent@example.com", "dirk.deleted@example.com"]);
    // Callers match results back to HR by employee id, so each result carries it.
    expect(found.map((u) => u.employerInfo?.employeeId).sort()).toEqual(["100202", "100401"]);
    expect(answered(h.emulator, "POST /api/v2/users/search")).toBe(2);
    // Each found user carries the employee id it was found by, so callers can match it to their worker.
    expect(found.map((u) => u.employerInfo?.employeeId).sort()).toEqual(["100202", "100401"]);
  });

  it("lists users as an async iterator and page by page with a continuation token", async () => {
    const all = await collect(genesys.listUsers({ maxPageSize: 3 }));
    expect(all.length).toBe(h.emulator.admin.users({ state: "active" }).length);
    const pages = genesys.listUsers().byPage({ maxPageSize: 4 });
    const first = (await pages.next()).value!;
    expect(first.items).toHaveLength(4);
    expect(first.continuationToken).toBe("2");
    const rest = [];
    for await (const page of genesys
      .listUsers()
      .byPage({ maxPageSize: 4, continuationToken: first.continuationToken }))
      rest.push(...page.items);
    expect([...first.items, ...rest].map((u) => u.id)).toEqual(all.map((u) => u.id));
  });
});

describe("roles, divisions and names", () => {
  it("resolves names to ids with a cache, and names every unknown one", async () => {
    const roles = await genesys.resolveIds("role", ["Agent", "Supervisor"]);
    const divisions = await genesys.resolveIds("division", ["Support", "emea"]);
    expect([...roles.keys()]).toEqual(["Agent", "Supervisor"]);
    expect(divisions.get("emea")).toBe(
      h.emulator.admin.users({ email: "dana.dupont@example.com" })[0].division.id,
    );
    const calls = answered(h.emulator, "GET /api/v2/authorization/roles");
    await genesys.resolveId("role", "Agent");
    expect(answered(h.emulator, "GET /api/v2/authorization/roles")).toBe(calls);
    await expect(genesys.resolveIds("queue", ["Inbound_Sales", "Nope", "Also_Nope"])).rejects.toMatchObject({
      name: "GenesysCloudError",
      isNotFound: true,
      message: expect.stringContaining('no queues named "Nope", "Also_Nope"'),
    });
    await expect(genesys.resolveId("skill", "Billing")).resolves.toEqual(expect.any(String));
    await expect(genesys.resolveId("language", "French")).resolves.toEqual(expect.any(String));
  });

  it("adds, reads, removes and replaces role grants per division", async () => {
    const user = h.emulator.admin.user("hugo.home@example.com")!;
    const agent = await genesys.resolveId("role", "Agent");
    const supervisor = await genesys.resolveId("role", "Supervisor");
    const support = await genesys.resolveId("division", "Support");
    const before = await genesys.getSubject(user.id);

    await genesys.addRoleGrants(user.id, [{ roleId: supervisor, divisionId: support }], { before });
    let subject = await genesys.getSubject(user.id);
    expect(subject.grants).toContainEqual(
      expect.objectContaining({
        role: expect.objectContaining({ id: supervisor }),
        division: expect.objectContaining({ id: support }),
      }),
    );
    expect(h.audit.at(-1)).toMatchObject({
      operation: "addRoleGrants",
      targetIds: { userId: user.id },
      before: { grants: before.grants },
    });

    await genesys.removeRoleGrants(user.id, [{ roleId: supervisor, divisionId: support }]);
    subject = await genesys.getSubject(user.id);
    expect(subject.grants.some((g) => g.role.id === supervisor)).toBe(false);

    await genesys.replaceRoleGrants(user.id, [{ roleId: agent, divisionId: "*" }]);
    subject = await genesys.getSubject(user.id);
    expect(subject.grants.map((g) => [g.role.id, g.division.id])).toEqual([[agent, "*"]]);
  });

  it("lists roles and divisions, and reports the divisions where the client may act", async () => {
    expect((await collect(genesys.listRoles())).map((r) => r.name)).toEqual(
      expect.arrayContaining(["Agent", "Supervisor"]),
    );
    expect((await collect(genesys.listDivisions())).map((d) => d.name).sort()).toEqual([
      "EMEA",
      "Home",
      "Sales",
      "Support",
    ]);
    await expect(genesys.getDivisionsPermitted("directory:user:add")).resolves.toMatchObject({
      allDivisionsPermitted: true,
    });
    const limited = h.client({
      clientId: "lifecycle-limited",
      readSecret: async () => new Secret("lifecycle-limited-secret"),
    });
    const permitted = await limited.getDivisionsPermitted("directory:user:add");
    expect(permitted.allDivisionsPermitted).toBe(false);
    expect(permitted.divisions.map((d) => d.name)).toEqual(["Home"]);
  });

  it("moves users to another division", async () => {
    const emea = await genesys.resolveId("division", "EMEA");
    const users = ["hugo.home@example.com", "alex.agent@example.com"].map(
      (e) => h.emulator.admin.user(e)!.id,
    );
    await genesys.moveUsersToDivision(emea, users);
    expect(users.map((id) => h.emulator.admin.user(id)!.division.name)).toEqual(["EMEA", "EMEA"]);
    expect(h.audit.at(-1)).toMatchObject({
      operation: "moveUsersToDivision",
      targetIds: { divisionId: emea, userIds: users },
    });
  });
});

describe("queues, skills, languages, routing status and presence", () => {
  it("adds and removes queue members 100 per call", async () => {
    const home = await genesys.getHomeDivision();
    const ids: string[] = [];
    for (let i = 0; i < 130; i++) {
      ids.push(
        (await genesys.createUser({ name: `Bulk ${i}`, email: `bulk${i}@example.com`, divisionId: home.id }))
          .id,
      );
    }
    const queueId = await genesys.resolveId("queue", "General_Enquiries");
    expect((await collect(genesys.listQueues({ name: "General_Enquiries" }))).map((q) => q.id)).toEqual([
      queueId,
    ]);
    expect((await collect(genesys.listQueues({ maxPageSize: 2 }))).length).toBe(9);
    await genesys.addQueueMembers(queueId, ids);
    expect(answered(h.emulator, "POST /api/v2/routing/queues/{queueId}/members")).toBe(2);
    const members = await collect(genesys.listQueueMembers(queueId));
    expect(members.map((m) => m.id)).toEqual(expect.arrayContaining(ids));
    expect(await collect(genesys.listUserQueues(ids[0]))).toEqual([expect.objectContaining({ id: queueId })]);

    await genesys.removeQueueMembers(queueId, ids);
    expect(answered(h.emulator, "POST /api/v2/routing/queues/{queueId}/members")).toBe(4);
    expect((await collect(genesys.listQueueMembers(queueId))).some((m) => ids.includes(m.id))).toBe(false);
    expect(
      h.audit
        .filter((r) => r.operation === "addQueueMembers")
        .map((r) => (r.targetIds.userIds as string[]).length),
    ).toEqual([100, 30]);
  });

  it("assigns skills and languages 50 per call, replaces and removes them", async () => {
    const seed = readSeedFile();
    seed.skills.push(...Array.from({ length: 60 - seed.skills.length }, (_, i) => `Skill_${i}`));
    seed.languages.push(...Array.from({ length: 55 - seed.languages.length }, (_, i) => `Language_${i}`));
    h.emulator.admin.loadSeed(seed);
    const user = h.emulator.admin.user("hugo.home@example.com")!;
    const skills = await collect(genesys.listSkills());
    const languages = await collect(genesys.listLanguages());
    expect(skills).toHaveLength(60);

    await genesys.addUserSkills(
      user.id,
      skills.map((s) => ({ id: s.id, proficiency: 3 })),
    );
    expect(answered(h.emulator, "PATCH /api/v2/users/{userId}/routingskills/bulk")).toBe(2);
    expect(await collect(genesys.listUserSkills(user.id))).toHaveLength(60);

    await genesys.replaceUserSkills(
      user.id,
      skills.slice(0, 2).map((s) => ({ id: s.id, proficiency: 5 })),
    );
    expect((await collect(genesys.listUserSkills(user.id))).map((s) => [s.id, s.proficiency])).toEqual(
      skills.slice(0, 2).map((s) => [s.id, 5]),
    );
    await genesys.removeUserSkills(user.id, [skills[0].id, skills[59].id]);
    expect((await collect(genesys.listUserSkills(user.id))).map((s) => s.id)).toEqual([skills[1].id]);

    await genesys.addUserLanguages(
      user.id,
      languages.map((l) => ({ id: l.id, proficiency: 4 })),
    );
    expect(answered(h.emulator, "PATCH /api/v2/users/{userId}/routinglanguages/bulk")).toBe(2);
    await genesys.removeUserLanguages(user.id, [languages[0].id]);
    expect(await collect(genesys.listUserLanguages(user.id))).toHaveLength(54);
  });

  it("takes a user off queue and sets them Offline, looking the Offline definition up once", async () => {
    const alex = h.emulator.admin.user("alex.agent@example.com")!;
    const before = await genesys.getRoutingStatus(alex.id);
    expect(before.status).toBe("INTERACTING");
    await genesys.setRoutingStatus(alex.id, "OFF_QUEUE", { before });
    expect(h.emulator.admin.user(alex.id)!.routingStatus).toBe("OFF_QUEUE");
    await genesys.setUserOffline(alex.id);
    await genesys.setUserOffline(h.emulator.admin.user("bea.agent@example.com")!.id);
    expect(h.emulator.admin.user(alex.id)!.presence.systemPresence).toBe("Offline");
    expect(answered(h.emulator, "GET /api/v2/presence/definitions")).toBe(1);
    expect(h.audit.map((r) => r.operation)).toEqual([
      "setRoutingStatus",
      "setUserPresence",
      "setUserPresence",
    ]);
  });
});

describe("interactions", () => {
  it("finds a user's live interactions, transfers one and disconnects the other", async () => {
    const alex = h.emulator.admin.user("alex.agent@example.com")!;
    const bea = h.emulator.admin.user("bea.agent@example.com")!;
    const live = await genesys.getActiveInteractions(alex.id);
    expect(live.map((i) => i.media).sort()).toEqual(["calls", "emails"]);

    const priority = await genesys.resolveId("queue", "Priority_Support_Queue");
    expect(live.map((i) => i.queueId)).toEqual([priority, priority]);

    const call = live.find((i) => i.media === "calls")!;
    await genesys.transferInteraction(call, { userId: bea.id });
    expect(h.emulator.admin.user(bea.id)!.interactions.map((i) => i.conversationId)).toContain(
      call.conversationId,
    );

    const email = live.find((i) => i.media === "emails")!;
    await genesys.disconnectInteraction(email);
    await expect(genesys.getActiveInteractions(alex.id)).resolves.toEqual([]);
    expect(h.audit.map((r) => [r.operation, r.targetIds.conversationId])).toEqual([
      ["transferInteraction", call.conversationId],
      ["disconnectInteraction", email.conversationId],
    ]);
  });

  it("finds the callbacks a user owns or holds; transfers a placed one and reassigns a scheduled one", async () => {
    const hugo = h.emulator.admin.user("hugo.home@example.com")!;
    const sam = h.emulator.admin.user("sup.support@example.com")!;
    const scheduledAt = new Date(Date.now() + 3_600_000).toISOString();
    const placed = h.emulator.admin.addInteraction({ mediaType: "callback", agent: hugo.id });
    const owned = h.emulator.admin.addInteraction({
      mediaType: "callback",
      agent: hugo.id,
      queue: "General_Enquiries",
      scheduledAt,
    });
    const general = await genesys.resolveId("queue", "General_Enquiries");
    const live = await genesys.getActiveInteractions(hugo.id);
    expect(live).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ conversationId: placed.id, media: "callbacks", mediaType: "callback" }),
        expect.objectContaining({
          conversationId: owned.id,
          media: "callbacks",
          participantId: owned.participants.find((p) => p.purpose === "acd")!.id,
          queueId: general,
          scheduledCallback: { scheduledTime: scheduledAt },
        }),
      ]),
    );
    expect(live).toHaveLength(2);
    expect(live.find((i) => i.conversationId === placed.id)?.scheduledCallback).toBeUndefined();

    await genesys.transferInteraction(
      live.find((i) => i.conversationId === placed.id)!,
      { userId: sam.id },
    );
    await genesys.reassignScheduledCallback(
      live.find((i) => i.conversationId === owned.id)!,
      {
        agentId: sam.id,
      },
    );
    await expect(genesys.getActiveInteractions(hugo.id)).resolves.toEqual([]);
    expect((await genesys.getActiveInteractions(sam.id)).map((i) => i.conversationId).sort()).toEqual(
      [placed.id, owned.id].sort(),
    );
    expect(h.audit.map((r) => r.operation)).toEqual(["transferInteraction", "reassignScheduledCallback"]);

    // A scheduled callback can also be cancelled, by disconnecting the participant it waits in.
    const waiting = (await genesys.getActiveInteractions(sam.id)).find((i) => i.scheduledCallback)!;
    await genesys.disconnectInteraction(waiting);
    expect(h.emulator.admin.user(sam.id)!.ownedCallbacks).toEqual([]);
  });
});
