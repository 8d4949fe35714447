import fs from "node:fs";
import { parseSeed, startGenesysEmulator, type GenesysEmulator } from "../../../local/emulators/genesys";
import { DEFAULT_SEED_PATH } from "../../../local/emulators/genesys/seed";
import { undeclaredFields } from "./models";
import { ADMIN_CLIENT, LIMITED_CLIENT, loggedInSdk, sdkError, type Sdk } from "./sdk";

type AuditQuery = Parameters<Sdk["audit"]["postAuditsQueryRealtime"]>[0];

describe("Genesys emulator: the realtime audit, through the official SDK", () => {
  let emulator: GenesysEmulator;
  /** The product's client: may read audits (the Audit Viewer role). */
  let reader: Sdk;
  /** An administrator's own client, making changes by hand. */
  let admin: Sdk;
  let alex: { id: string; name: string };
  let priority: string;
  let networking: string;
  let started: string;

  const lastDay = () =>
    `${new Date(Date.now() - 86_400_000).toISOString()}/${new Date(Date.now() + 1000).toISOString()}`;
  const query = (body: Partial<AuditQuery>, expand: string[] = ["user"]) =>
    reader.audit.postAuditsQueryRealtime({ interval: lastDay(), ...body }, { expand });

  beforeAll(async () => {
    emulator = await startGenesysEmulator({ port: 0 });
    reader = await loggedInSdk(emulator.url);
    admin = await loggedInSdk(emulator.url, ADMIN_CLIENT);
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    emulator.admin.reset();
    alex = emulator.admin.user("alex.agent@example.com")!;
    priority = (await admin.routing.getRoutingQueues({ name: "Priority_Support_Queue" })).entities![0].id!;
    networking = (await admin.routing.getRoutingSkills({ name: "Network_Troubleshooting" })).entities![0].id!;
    started = new Date().toISOString();
  });

  it("records a user's field change under Directory: who (the OAuth client), when, what, in the SDK's model", async () => {
    const { version } = await admin.users.getUser(alex.id);
    await admin.users.patchUser(alex.id, { version: version, title: "Senior Technical Support" });
    const ended = new Date().toISOString();

    const found = await query({
      serviceName: "Directory",
      filters: [{ property: "EntityId", value: alex.id }],
      sort: [{ name: "Timestamp", sortOrder: "descending" }],
      pageNumber: 1,
      pageSize: 100,
    });
    expect(undeclaredFields(found, "AuditRealtimeQueryResultsResponse")).toEqual([]);
    expect(found).toMatchObject({ pageNumber: 1, pageSize: 100, total: 1, pageCount: 1 });
    const [entry] = found.entities!;
    expect(entry).toMatchObject({
      client: { id: "org-admin" },
      serviceName: "Directory",
      action: "Update",
      entity: { id: alex.id, name: alex.name },
      entityType: "User",
      propertyChanges: [
        { property: "title", oldValues: ["Technical Support"], newValues: ["Senior Technical Support"] },
      ],
    });
    // A client-credentials token acts for no person: no user is named.
    expect(entry.user).toBeUndefined();
    expect(entry.eventDate! >= started && entry.eventDate! <= ended).toBe(true);
  });

  it("logs a user's whole life under Directory: created, moved, given a manager, made inactive, deleted", async () => {
    const divisions = (await admin.authorization.getAuthorizationDivisions({ pageSize: 100 })).entities!;
    const divisionId = (name: string) => divisions.find((d) => d.name === name)!.id!;
    const sam = emulator.admin.user("sup.support@example.com")!;
    const user = await admin.users.postUsers({
      name: "Life Cycle",
      email: "life.cycle@example.com",
      divisionId: divisionId("Home"),
    });
    await admin.authorization.postAuthorizationDivisionObject(divisionId("Support"), "USER", [user.id!]);
    const moved = await admin.users.getUser(user.id!);
    const managed = await admin.users.patchUser(user.id!, {
      version: moved.version,
      manager: sam.id,
      employerInfo: { employeeId: "123456" },
    });
    await admin.users.patchUser(user.id!, { version: managed.version, state: "inactive" });
    await admin.users.deleteUser(user.id!);

    const found = await query({
      serviceName: "Directory",
      filters: [{ property: "EntityId", value: user.id! }],
      sort: [{ name: "Timestamp", sortOrder: "ascending" }],
    });
    const changes = found.entities!.map((e) => ({
      action: e.action,
      changed: Object.fromEntries(e.propertyChanges!.map((c) => [c.property, [c.oldValues, c.newValues]])),
    }));
    expect(changes).toEqual([
      expect.objectContaining({ action: "Create" }),
      { action: "Update", changed: { division: [[divisionId("Home")], [divisionId("Support")]] } },
      { action: "Update", changed: { manager: [[], [sam.id]], employeeId: [[], ["123456"]] } },
      { action: "Update", changed: { state: [["active"], ["inactive"]] } },
      {
        action: "Delete",
        changed: {
          state: [["inactive"], ["deleted"]],
          division: [[divisionId("Support")], [divisionId("Home")]],
        },
      },
    ]);
    expect(changes[0].changed).toMatchObject({ name: [[], ["Life Cycle"]], state: [[], ["active"]] });
  });

  it("logs queue membership on the queue, skills on the user under Routing, and grants under PeoplePermissions", async () => {
    await admin.routing.deleteRoutingQueueMember(priority, alex.id);
    await admin.users.deleteUserRoutingskill(alex.id, networking);
    const agent = emulator.admin.user(alex.id)!.grants.find((g) => g.roleName === "Agent")!;
    await admin.authorization.deleteAuthorizationSubjectDivisionRole(alex.id, agent.divisionId, agent.roleId);

    const onQueue = await query({
      serviceName: "Routing",
      filters: [{ property: "EntityId", value: priority }],
    });
    expect(onQueue.entities).toEqual([
      expect.objectContaining({
        action: "MemberRemove",
        entityType: "Queue",
        entity: { id: priority, name: "Priority_Support_Queue" },
        propertyChanges: [{ property: "members", oldValues: [alex.id], newValues: [] }],
      }),
    ]);
    const onUser = await query({
      serviceName: "Routing",
      filters: [{ property: "EntityId", value: alex.id }],
    });
    expect(onUser.entities).toEqual([
      expect.objectContaining({
        entityType: "User",
        propertyChanges: [{ property: "skills", oldValues: [`${networking}:4`], newValues: [] }],
      }),
    ]);
    const grants = await query({
      serviceName: "PeoplePermissions",
      filters: [{ property: "EntityId", value: alex.id }],
    });
    expect(grants.entities).toEqual([
      expect.objectContaining({
        client: expect.objectContaining({ id: "org-admin" }),
        propertyChanges: [
          {
            property: "roleDivisionGrants",
            oldValues: [`${agent.roleId}:${agent.divisionId}`],
            newValues: [],
          },
        ],
      }),
    ]);
    // One service's messages only: Directory saw none of it.
    expect((await query({ serviceName: "Directory" })).entities).toEqual([]);
  });

  it("filters by client and action, sorts by time either way, pages, and keeps to the interval", async () => {
    const { version } = await admin.users.getUser(alex.id);
    await admin.users.patchUser(alex.id, { version: version, department: "Escalations" });
    await reader.users.patchUser(alex.id, { version: version + 1, department: "Support" });

    const byAdmin = await query({
      serviceName: "Directory",
      filters: [
        { property: "ClientId", value: "org-admin" },
        { property: "Action", value: "Update" },
      ],
    });
    expect(byAdmin.entities!.map((e) => e.propertyChanges![0].newValues)).toEqual([["Escalations"]]);

    const newest = await query({
      serviceName: "Directory",
      sort: [{ name: "Timestamp", sortOrder: "descending" }],
      pageSize: 1,
      pageNumber: 1,
    });
    expect(newest).toMatchObject({ total: 2, pageCount: 2, pageSize: 1 });
    expect(newest.entities![0].client!.id).toBe("lifecycle-local");
    const oldestFirst = await query({
      serviceName: "Directory",
      sort: [{ name: "Timestamp", sortOrder: "ascending" }],
    });
    expect(oldestFirst.entities!.map((e) => e.client!.id)).toEqual(["org-admin", "lifecycle-local"]);
    const second = await query({ serviceName: "Directory", pageSize: 1, pageNumber: 2 });
    expect(second.entities!.map((e) => e.client!.id)).toEqual(["org-admin"]);

    const before = `${new Date(Date.now() - 2 * 86_400_000).toISOString()}/${new Date(Date.now() - 86_400_000).toISOString()}`;
    expect((await query({ serviceName: "Directory", interval: before })).entities).toEqual([]);
  });

  it("names the person a client acts for, by name only when asked to expand the user", async () => {
    const seed = parseSeed(fs.readFileSync(DEFAULT_SEED_PATH, "utf8"));
    seed.oauthClients.push({
      id: "sam-console",
      secret: "sam-console-secret",
      grants: [{ role: "Master Admin", division: "*" }],
      user: "sup.support@example.com",
    });
    emulator.admin.loadSeed(seed);
    try {
      const sam = emulator.admin.user("sup.support@example.com")!;
      const sams = await loggedInSdk(emulator.url, { id: "sam-console", secret: "sam-console-secret" });
      await sams.users.deleteUserRoutingskill(alex.id, networking);

      const body = { serviceName: "Routing", filters: [{ property: "UserId", value: sam.id }] };
      const expanded = await query(body);
      expect(expanded.entities).toEqual([
        expect.objectContaining({
          user: expect.objectContaining({ id: sam.id, name: "Sam Support-Lead" }),
          client: expect.objectContaining({ id: "sam-console" }),
        }),
      ]);
      const plain = await query(body, []);
      expect(plain.entities![0].user).toEqual({ id: sam.id, selfUri: `/api/v2/users/${sam.id}` });
    } finally {
      emulator.admin.loadSeed();
    }
  });

  it("refuses a client without audits:audit:view (403) and a malformed query (400)", async () => {
    const limited = await loggedInSdk(emulator.url, LIMITED_CLIENT);
    const refused = await sdkError(
      limited.audit.postAuditsQueryRealtime({ interval: lastDay(), serviceName: "Directory" }),
    );
    expect(refused).toMatchObject({ status: 403 });
    expect(refused.message).toContain("audits:audit:view");

    // Granted the Audit Viewer role over the admin API, it may read the audit.
    const grant = (body: unknown) =>
      fetch(`${emulator.url}/emulator/clients/lifecycle-limited/grants`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await grant({ role: "Audit Viewer" })).status).toBe(400);
    expect(
      (
        await grant([
          { role: "Lifecycle Provisioning", division: "Home" },
          { role: "Audit Viewer", division: "Home" },
        ])
      ).status,
    ).toBe(204);
    const granted = await limited.audit.postAuditsQueryRealtime({
      interval: lastDay(),
      serviceName: "Directory",
    });
    expect(granted.entities).toEqual([]);

    // The product's client, once an administrator takes its Audit Viewer role away.
    emulator.admin.setClientGrants("lifecycle-local", [{ role: "Lifecycle Provisioning", division: "*" }]);
    try {
      expect(await sdkError(query({ serviceName: "Directory" }))).toMatchObject({ status: 403 });
    } finally {
      emulator.admin.reset();
    }

    for (const body of [
      { interval: "yesterday", serviceName: "Directory" },
      { interval: lastDay() },
      { interval: lastDay(), serviceName: "Directory", filters: [{ property: "Colour", value: "red" }] },
      { interval: lastDay(), serviceName: "Directory", sort: [{ name: "Name", sortOrder: "ascending" }] },
    ])
      expect(await sdkError(reader.audit.postAuditsQueryRealtime(body as AuditQuery))).toMatchObject({
        status: 400,
      });
  });

  it("forgets every message on reset", async () => {
    await admin.users.deleteUserRoutingskill(alex.id, networking);
    expect((await query({ serviceName: "Routing" })).total).toBe(1);
    emulator.admin.reset();
    expect((await query({ serviceName: "Routing" })).total).toBe(0);
  });
});
