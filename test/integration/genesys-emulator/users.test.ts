import { startGenesysEmulator, type GenesysEmulator } from "../../../local/emulators/genesys";
import { LIMITED_CLIENT, loggedInSdk, sdkError, sdkFor, type Sdk } from "./sdk";

describe("Genesys emulator: OAuth and users through the official SDK", () => {
  let emulator: GenesysEmulator;
  let sdk: Sdk;
  let homeId: string;
  let supportId: string;

  beforeAll(async () => {
    emulator = await startGenesysEmulator({ port: 0 });
    sdk = await loggedInSdk(emulator.url);
    homeId = (await sdk.authorization.getAuthorizationDivisionsHome()).id!;
    supportId = (await sdk.authorization.getAuthorizationDivisions({ name: "Support" })).entities![0].id!;
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.admin.reset());

  const createUser = (email: string, divisionId = homeId) =>
    sdk.users.postUsers({ name: "Ada Agent", email, divisionId, state: "active", title: "Agent" });

  describe("POST /oauth/token", () => {
    it("logs both seeded clients in on the API's own origin, with an expiry", async () => {
      const limited = sdkFor(emulator.url);
      const auth = await limited.client.loginClientCredentialsGrant(LIMITED_CLIENT.id, LIMITED_CLIENT.secret);
      expect(auth.accessToken).toEqual(expect.any(String));
      expect(auth.tokenExpiryTime).toBeGreaterThan(Date.now() + 86_000_000);
      const me = await limited.tokens.getTokensMe();
      expect(me.OAuthClient?.id).toBe("lifecycle-limited");
    });

    it("answers an unknown client with 400 and a wrong secret with 401, in the OAuth error shape", async () => {
      const unknown = await sdkError(sdkFor(emulator.url).client.loginClientCredentialsGrant("nobody", "x"));
      expect(unknown.response!.status).toBe(400);
      expect(unknown.response!.data).toEqual({
        error: "invalid_client",
        description: "client not found",
        error_description: "client not found",
      });
      const wrong = await sdkError(
        sdkFor(emulator.url).client.loginClientCredentialsGrant("lifecycle-local", "nope"),
      );
      expect(wrong.response!.status).toBe(401);
      expect(wrong.response!.data.error).toBe("invalid_client");
      expect(wrong.response!.headers["inin-correlation-id"]).toEqual(expect.any(String));
    });

    it("refuses API calls without a valid bearer token (401 ErrorBody)", async () => {
      const anonymous = sdkFor(emulator.url);
      const error = await sdkError(anonymous.users.getUsers());
      expect(error).toMatchObject({ status: 401, code: "authentication.required", details: [], errors: [] });
      anonymous.client.setAccessToken("forged");
      expect(await sdkError(anonymous.users.getUsers())).toMatchObject({
        status: 401,
        code: "bad.credentials",
      });
    });
  });

  describe("users", () => {
    it("creates, reads with expand, lists, patches and soft-deletes a user", async () => {
      const created = await createUser("ada@example.com", supportId);
      expect(created).toMatchObject({
        name: "Ada Agent",
        email: "ada@example.com",
        state: "active",
        version: 1,
        division: { id: supportId, name: "Support" },
      });

      const patched = await sdk.users.patchUser(created.id!, {
        version: 1,
        title: "Senior Agent",
        employerInfo: { employeeId: "E-1" },
      });
      expect(patched).toMatchObject({ version: 2, title: "Senior Agent" });
      const read = await sdk.users.getUser(created.id!, {
        expand: ["employerInfo", "routingStatus", "presence", "authorization", "conversationSummary"],
      });
      expect(read.employerInfo?.employeeId).toBe("E-1");
      expect(read.routingStatus?.status).toBe("OFF_QUEUE");
      expect(read.presence?.presenceDefinition?.systemPresence).toBe("Offline");
      expect(read.authorization?.roles).toEqual([]);
      expect(read.conversationSummary?.call?.contactCenter?.active).toBe(0);

      const listed = await sdk.users.getUsers({ pageSize: 100 });
      expect(listed.entities!.map((u) => u.email)).toContain("ada@example.com");
      expect(listed.entities!.every((u) => u.state === "active")).toBe(true);

      await sdk.users.postUserInvite(created.id!);
      expect(emulator.admin.user(created.id!)?.dateWelcomeSent).toEqual(expect.any(String));

      expect(await sdk.users.deleteUser(created.id!)).toEqual({});
      const hidden = await sdkError(sdk.users.getUser(created.id!));
      expect(hidden).toMatchObject({ status: 404, code: "not.found" });
      const deleted = await sdk.users.getUser(created.id!, { state: "deleted" });
      expect(deleted.state).toBe("deleted");
      expect(deleted.division?.id).toBe(homeId);
      const anyState = await sdk.users.getUsers({ state: "deleted", pageSize: 100 });
      expect(anyState.entities!.map((u) => u.id)).toContain(created.id);
    });

    it("keeps an email unique across active, inactive and deleted users (409 general.conflict)", async () => {
      for (const email of ["hugo.home@example.com", "ivy.inactive@example.com", "DIRK.deleted@example.com"]) {
        const error = await sdkError(createUser(email));
        expect(error).toMatchObject({
          status: 409,
          code: "general.conflict",
          contextId: expect.any(String),
          details: [],
          errors: [],
        });
      }
    });

    it("refuses to change an email to one another user holds, even a deleted one", async () => {
      const user = await createUser("mine@example.com");
      const error = await sdkError(
        sdk.users.patchUser(user.id!, { version: user.version, email: "olga.oldtimer@example.com" }),
      );
      expect(error).toMatchObject({ status: 409, code: "general.conflict" });
    });

    it("requires version on PATCH and refuses a stale one", async () => {
      const user = await createUser("v@example.com");
      const missing = await sdkError(sdk.users.patchUser(user.id!, { title: "x" } as never));
      expect(missing).toMatchObject({
        status: 400,
        code: "constraint.validation",
        details: [{ fieldName: "version" }],
      });
      const stale = await sdkError(sdk.users.patchUser(user.id!, { version: 7, title: "x" }));
      expect(stale).toMatchObject({ status: 409, code: "general.conflict" });
      expect(stale.message).toContain("does not match the current version");
    });

    it("strips directly granted roles when a user goes inactive, and does not give them back", async () => {
      const alex = emulator.admin.user("alex.agent@example.com")!;
      expect(alex.grants.length).toBeGreaterThan(0);
      const inactive = await sdk.users.patchUser(alex.id, {
        version: alex.version,
        state: "inactive",
        title: "ignored",
      });
      expect(inactive).toMatchObject({ state: "inactive", title: "Technical Support" });
      expect(emulator.admin.user(alex.id)!.grants).toEqual([]);
      const active = await sdk.users.patchUser(alex.id, { version: inactive.version, state: "active" });
      expect(active.state).toBe("active");
      expect((await sdk.users.getUserRoles(alex.id)).roles).toEqual([]);
    });

    it("restores a deleted user as active, in Home, without roles", async () => {
      const dirk = emulator.admin.user("dirk.deleted@example.com")!;
      const hidden = await sdkError(sdk.users.patchUser(dirk.id, { version: dirk.version, title: "x" }));
      expect(hidden.status).toBe(404);
      const before = await sdk.users.getUser(dirk.id, { state: "deleted" });
      const restored = await sdk.users.patchUser(dirk.id, { version: before.version, state: "active" });
      expect(restored).toMatchObject({ state: "active", division: { id: homeId } });
      expect(emulator.admin.user(dirk.id)!.grants).toEqual([]);
    });

    it("moves a deleted user to Home and drops its queues and roles", async () => {
      const bea = emulator.admin.user("bea.agent@example.com")!;
      expect(bea.division.name).toBe("Support");
      await sdk.users.deleteUser(bea.id);
      const after = emulator.admin.user(bea.id)!;
      expect(after).toMatchObject({ state: "deleted", division: { id: homeId }, grants: [], queues: [] });
      expect(await sdkError(sdk.users.deleteUser(bea.id))).toMatchObject({
        status: 404,
        code: "user.not.found.on.delete",
      });
    });

    it("reads and sets the user state through /state", async () => {
      const user = await createUser("state@example.com");
      expect(await sdk.users.getUserState(user.id!)).toMatchObject({ state: "active", version: 1 });
      const changed = await sdk.users.putUserState(user.id!, {
        state: "inactive",
        version: 1,
        stateChangeReason: "Leave",
      });
      expect(changed.state).toBe("inactive");
    });

    it("answers unknown ids with 404 and bad bodies with ErrorBody", async () => {
      expect(await sdkError(sdk.users.getUser("00000000-0000-0000-0000-000000000000"))).toMatchObject({
        status: 404,
        code: "not.found",
      });
      expect(await sdkError(sdk.users.postUsers({ name: "No Mail" } as never))).toMatchObject({
        status: 400,
        code: "constraint.validation",
        details: [{ fieldName: "email" }],
      });
      expect(await sdkError(createUser("x@example.com", "no-such-division"))).toMatchObject({
        status: 400,
        code: "invalid.id",
      });
    });
  });

  describe("search", () => {
    const byEmail = (email: string, states?: string[]) => ({
      query: [
        { type: "EXACT" as const, fields: ["email"], value: email },
        ...(states ? [{ type: "EXACT" as const, fields: ["state"], values: states }] : []),
      ],
    });

    it("finds users by EXACT email, only active ones unless state is asked for", async () => {
      expect((await sdk.search.postUsersSearch(byEmail("ivy.inactive@example.com"))).total).toBe(0);
      const all = await sdk.search.postUsersSearch(
        byEmail("ivy.inactive@example.com", ["active", "inactive", "deleted"]),
      );
      expect(all.results.map((u) => u.state)).toEqual(["inactive"]);
      const deleted = await sdk.users.postUsersSearch(byEmail("dirk.deleted@example.com", ["deleted"]));
      expect(deleted.results[0]).toMatchObject({ email: "dirk.deleted@example.com", state: "deleted" });
    });

    it("matches employerInfo.employeeId and multi-value criteria, and pages with q64", async () => {
      const byEmployee = await sdk.users.postUsersSearch({
        query: [{ type: "EXACT", fields: ["employerInfo.employeeId"], values: ["100401", "100402"] }],
      });
      expect(byEmployee.results.map((u) => u.name).sort()).toEqual(["Alex Agent", "Bea Agent"]);

      const first = await sdk.users.postUsersSearch({ pageSize: 3, query: [{ type: "MATCH_ALL" }] as never });
      expect(first.total).toBe(8);
      expect(first.pageCount).toBe(3);
      const second = await sdk.users.getUsersSearch(first.nextPage!);
      expect(second.pageNumber).toBe(2);
      expect(second.results).toHaveLength(3);
      expect(second.results.map((u) => u.id)).not.toContain(first.results[0].id);
    });

    it("lags writes by the configured index delay", async () => {
      emulator.admin.setFaults({ searchIndexLagMs: 60_000 });
      const user = await createUser("lagging@example.com");
      expect((await sdk.users.postUsersSearch(byEmail("lagging@example.com"))).total).toBe(0);
      expect((await sdk.users.getUser(user.id!)).email).toBe("lagging@example.com");
      emulator.admin.setFaults({ searchIndexLagMs: 0 });
      expect((await sdk.users.postUsersSearch(byEmail("lagging@example.com"))).total).toBe(1);
    });

    it("refuses a criterion without a type", async () => {
      const error = await sdkError(
        sdk.users.postUsersSearch({ query: [{ fields: ["email"], value: "x" }] as never }),
      );
      expect(error).toMatchObject({ status: 400, code: "invalid.value" });
    });
  });
});
