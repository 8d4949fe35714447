import { startGenesysEmulator, type GenesysEmulator } from "../../../local/emulators/genesys";
import { LIMITED_CLIENT, loggedInSdk, sdkError, type Sdk } from "./sdk";

describe("Genesys emulator: roles, divisions, grants and division security through the official SDK", () => {
  let emulator: GenesysEmulator;
  let sdk: Sdk;
  let limited: Sdk;
  const divisions: Record<string, string> = {};
  const roles: Record<string, string> = {};

  beforeAll(async () => {
    emulator = await startGenesysEmulator({ port: 0 });
    sdk = await loggedInSdk(emulator.url);
    limited = await loggedInSdk(emulator.url, LIMITED_CLIENT);
    for (const d of (await sdk.authorization.getAuthorizationDivisions({ pageSize: 100 })).entities!)
      divisions[d.name!] = d.id!;
    for (const r of (await sdk.authorization.getAuthorizationRoles({ pageSize: 100 })).entities!)
      roles[r.name!] = r.id!;
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.admin.reset());

  const newUser = (email: string, division = "Home") =>
    sdk.users.postUsers({ name: "Grant Me", email, divisionId: divisions[division], state: "active" });

  it("lists the seeded divisions and roles, filters by name, and names the home division", async () => {
    expect(Object.keys(divisions).sort()).toEqual(["EMEA", "Home", "Sales", "Support"]);
    expect(Object.keys(roles)).toEqual(
      expect.arrayContaining(["Agent", "Supervisor", "Knowledge Base Editor", "Employee"]),
    );
    const agent = await sdk.authorization.getAuthorizationRoles({ name: "Agent" });
    expect(agent.entities!.map((r) => r.name)).toEqual(["Agent"]);
    expect(agent.entities![0].permissions).toContain("routing:queue:join");
    const home = await sdk.authorization.getAuthorizationDivisionsHome();
    expect(home).toMatchObject({ name: "Home", homeDivision: true, id: divisions.Home });
  });

  it("grants one role to many users in the listed divisions in one call, checking everything first", async () => {
    const a = await newUser("many.a@example.com");
    const b = await newUser("many.b@example.com");
    await sdk.authorization.postAuthorizationRole(
      roles.Agent,
      { subjectIds: [a.id!, b.id!], divisionIds: [divisions.Support, divisions.Sales] },
      { subjectType: "PC_USER" },
    );
    for (const user of [a, b]) {
      const subject = await sdk.authorization.getAuthorizationSubject(user.id!);
      expect(subject.grants!.map((g) => `${g.role!.name}@${g.division!.id}`).sort()).toEqual(
        [`Agent@${divisions.Sales}`, `Agent@${divisions.Support}`].sort(),
      );
    }
    // Granting again changes nothing.
    await sdk.authorization.postAuthorizationRole(roles.Agent, {
      subjectIds: [a.id!],
      divisionIds: [divisions.Support],
    });
    expect((await sdk.authorization.getAuthorizationSubject(a.id!)).grants).toHaveLength(2);

    // An unknown user anywhere in the list: refused, and nobody got the role.
    const c = await newUser("many.c@example.com");
    const refused = await sdkError(
      sdk.authorization.postAuthorizationRole(roles.Supervisor, {
        subjectIds: [c.id!, "00000000-0000-0000-0000-000000000000"],
        divisionIds: [divisions.Support],
      }),
    );
    expect(refused.status).toBe(404);
    expect((await sdk.authorization.getAuthorizationSubject(c.id!)).grants).toEqual([]);

    // The Home-only client may not grant in Support.
    const denied = await sdkError(
      limited.authorization.postAuthorizationRole(roles.Agent, {
        subjectIds: [c.id!],
        divisionIds: [divisions.Support],
      }),
    );
    expect(denied.status).toBe(403);
  });

  it("lists a role's subjects with the divisions each holds it in, an all-divisions grant as *", async () => {
    const a = await newUser("listed.a@example.com");
    const b = await newUser("listed.b@example.com");
    await sdk.authorization.postAuthorizationRole(roles["Knowledge Base Editor"], {
      subjectIds: [a.id!],
      divisionIds: ["*"],
    });
    await sdk.authorization.postAuthorizationRole(roles["Knowledge Base Editor"], {
      subjectIds: [b.id!],
      divisionIds: [divisions.Support, divisions.Sales],
    });
    const listing = await sdk.authorization.getAuthorizationRoleSubjectgrants(
      roles["Knowledge Base Editor"],
      { pageSize: 100 },
    );
    const byUser = new Map(listing.entities!.map((s) => [s.id, s.divisions!.map((d) => d.id).sort()]));
    expect(byUser.get(a.id)).toEqual(["*"]);
    expect(byUser.get(b.id)).toEqual([divisions.Sales, divisions.Support].sort());
    expect(listing.entities!.find((s) => s.id === a.id)).toMatchObject({ type: "PC_USER", name: "Grant Me" });
    expect(await sdkError(sdk.authorization.getAuthorizationRoleSubjectgrants("no-such-role"))).toMatchObject(
      {
        status: 404,
      },
    );
  });

  it("grants and revokes roles per division: bulkadd, bulkremove, bulkreplace, single grant and revoke", async () => {
    const user = await newUser("grants@example.com");
    await sdk.users.postAuthorizationSubjectBulkadd(user.id!, {
      grants: [
        { roleId: roles.Agent, divisionId: divisions.Support },
        { roleId: roles.Employee, divisionId: "*" },
      ],
    });
    let subject = await sdk.authorization.getAuthorizationSubject(user.id!);
    expect(subject.grants!.map((g) => `${g.role!.name}@${g.division!.id}`).sort()).toEqual([
      "Agent@" + divisions.Support,
      "Employee@*",
    ]);

    await sdk.authorization.postAuthorizationSubjectDivisionRole(user.id!, divisions.EMEA, roles.Supervisor);
    await sdk.authorization.postAuthorizationSubjectBulkremove(user.id!, {
      grants: [{ roleId: roles.Agent, divisionId: divisions.Support }],
    });
    subject = await sdk.users.getAuthorizationSubject(user.id!);
    expect(subject.grants!.map((g) => g.role!.name).sort()).toEqual(["Employee", "Supervisor"]);

    await sdk.authorization.deleteAuthorizationSubjectDivisionRole(
      user.id!,
      divisions.EMEA,
      roles.Supervisor,
    );
    await sdk.authorization.postAuthorizationSubjectBulkreplace(user.id!, {
      grants: [{ roleId: roles["Knowledge Base Editor"], divisionId: divisions.Home }],
    });
    subject = await sdk.authorization.getAuthorizationSubject(user.id!);
    expect(subject.grants!.map((g) => g.role!.name)).toEqual(["Knowledge Base Editor"]);
    expect(emulator.admin.user(user.id!)!.grants).toEqual([
      expect.objectContaining({ roleName: "Knowledge Base Editor", divisionName: "Home" }),
    ]);
  });

  it("lists a division's grants for every subject, a page at a time, without the all-divisions ones", async () => {
    const first = await newUser("division.grants.1@example.com", "Sales");
    const second = await newUser("division.grants.2@example.com", "Sales");
    for (const user of [first, second])
      await sdk.users.postAuthorizationSubjectBulkadd(user.id!, {
        grants: [
          { roleId: roles.Agent, divisionId: divisions.Sales },
          { roleId: roles.Employee, divisionId: "*" },
        ],
      });
    const listing = await sdk.authorization.getAuthorizationDivisionGrants(divisions.Sales, {
      pageSize: 500,
    });
    const ours = listing.entities!.filter((g) => g.subjectId === first.id || g.subjectId === second.id);
    expect(ours.map((g) => `${g.subjectId}:${g.role!.name}@${g.division!.id}`).sort()).toEqual(
      [first.id, second.id].map((id) => `${id}:Agent@${divisions.Sales}`).sort(),
    );
    const paged = await sdk.authorization.getAuthorizationDivisionGrants(divisions.Sales, { pageSize: 1 });
    expect(paged.entities).toHaveLength(1);
    expect(paged.pageCount).toBe(listing.total);
    await expect(sdk.authorization.getAuthorizationDivisionGrants("no-such-division")).rejects.toMatchObject({
      status: 404,
    });
  });

  it("answers unknown roles and divisions in grants with 404, as Genesys does", async () => {
    const user = await newUser("unknown-grants@example.com");
    const unknownRole = await sdkError(
      sdk.users.postAuthorizationSubjectBulkadd(user.id!, {
        grants: [{ roleId: "nope", divisionId: divisions.Home }],
      }),
    );
    expect(unknownRole).toMatchObject({ status: 404, code: "not.found" });
    const unknownDivision = await sdkError(
      sdk.authorization.postAuthorizationSubjectDivisionRole(user.id!, "nope", roles.Agent),
    );
    expect(unknownDivision).toMatchObject({ status: 404, code: "not.found" });
    expect(await sdkError(sdk.authorization.getAuthorizationSubject("nope"))).toMatchObject({ status: 404 });
  });

  it("sets a user's roles with PUT /users/{id}/roles (Home division) and reads them back", async () => {
    const user = await newUser("roles@example.com");
    const result = await sdk.authorization.putUserRoles(user.id!, [roles.Agent, roles.Employee]);
    expect(result.roles!.map((r) => r.name).sort()).toEqual(["Agent", "Employee"]);
    const read = await sdk.users.getUserRoles(user.id!);
    expect(read.roles!.map((r) => r.name).sort()).toEqual(["Agent", "Employee"]);
  });

  it("moves users between divisions", async () => {
    const user = await newUser("mover@example.com");
    await sdk.authorization.postAuthorizationDivisionObject(divisions.Sales, "USER", [user.id!]);
    expect((await sdk.users.getUser(user.id!)).division).toMatchObject({
      id: divisions.Sales,
      name: "Sales",
    });
    const bad = await sdkError(
      sdk.authorization.postAuthorizationDivisionObject(divisions.Sales, "USER", ["nope"]),
    );
    expect(bad).toMatchObject({ status: 400, code: "invalid.id" });
  });

  describe("division security per OAuth client", () => {
    it("answers divisionspermitted/paged/me per permission and client", async () => {
      const all = await sdk.users.getAuthorizationDivisionspermittedPagedMe("directory:user:add");
      expect(all.allDivsPermitted).toBe(true);
      expect(all.entities!.map((d) => d.name).sort()).toEqual(["EMEA", "Home", "Sales", "Support"]);
      const homeOnly = await limited.users.getAuthorizationDivisionspermittedPagedMe("directory:user:add");
      expect(homeOnly).toMatchObject({ allDivsPermitted: false, total: 1 });
      expect(homeOnly.entities!.map((d) => d.name)).toEqual(["Home"]);
      const none = await limited.users.getAuthorizationDivisionspermittedPagedMe("telephony:plugin:all");
      expect(none.total).toBe(0);
    });

    it("lets the Home-only client work in Home and refuses it elsewhere with 403", async () => {
      const inHome = await limited.users.postUsers({
        name: "Home Hire",
        email: "home.hire@example.com",
        divisionId: divisions.Home,
        state: "active",
      });
      expect(inHome.division!.name).toBe("Home");
      const elsewhere = await sdkError(
        limited.users.postUsers({
          name: "Support Hire",
          email: "support.hire@example.com",
          divisionId: divisions.Support,
          state: "active",
        }),
      );
      expect(elsewhere).toMatchObject({
        status: 403,
        code: "missing.division.permission",
        contextId: expect.any(String),
      });
      expect(elsewhere.message).toContain("directory:user:add");

      const alex = emulator.admin.user("alex.agent@example.com")!;
      expect(
        await sdkError(limited.users.patchUser(alex.id, { version: alex.version, title: "x" })),
      ).toMatchObject({ status: 403 });
      expect(await sdkError(limited.users.deleteUser(alex.id))).toMatchObject({ status: 403 });
      expect(
        await sdkError(
          limited.users.postAuthorizationSubjectBulkadd(inHome.id!, {
            grants: [{ roleId: roles.Agent, divisionId: divisions.Support }],
          }),
        ),
      ).toMatchObject({ status: 403 });
      expect(
        await sdkError(
          limited.authorization.postAuthorizationDivisionObject(divisions.Support, "USER", [inHome.id!]),
        ),
      ).toMatchObject({ status: 403 });
      await limited.users.postAuthorizationSubjectBulkadd(inHome.id!, {
        grants: [{ roleId: roles.Agent, divisionId: divisions.Home }],
      });
      expect(emulator.admin.user(inHome.id!)!.grants).toHaveLength(1);
    });

    it("shows the Home-only client only the queues it may see, and refuses queue edits elsewhere", async () => {
      const queues = await limited.routing.getRoutingQueues({ pageSize: 100 });
      expect(queues.entities!.map((q) => q.name)).toEqual(["General_Enquiries"]);
      const priority = (await sdk.routing.getRoutingQueues({ name: "Priority_Support_Queue" })).entities![0];
      const hugo = emulator.admin.user("hugo.home@example.com")!;
      expect(
        await sdkError(limited.routing.postRoutingQueueMembers(priority.id!, [{ id: hugo.id }])),
      ).toMatchObject({ status: 403 });
      const alex = emulator.admin.user("alex.agent@example.com")!;
      expect(await sdkError(limited.routing.putUserRoutingskillsBulk(alex.id, []))).toMatchObject({
        status: 403,
      });
    });

    it("reads the OAuth client's role divisions", async () => {
      const client = await sdk.oauth.getOauthClient("lifecycle-limited");
      expect(client.roleDivisions).toEqual([
        { roleId: roles["Lifecycle Provisioning"], divisionId: divisions.Home },
      ]);
    });
  });
});
