import { startGenesysEmulator, type GenesysEmulator } from "../../../local/emulators/genesys";
import { loggedInSdk, sdkError, type Sdk } from "./sdk";

describe("Genesys emulator: queues, skills, languages, routing status and presence through the official SDK", () => {
  let emulator: GenesysEmulator;
  let sdk: Sdk;
  const queueId = async (name: string) => (await sdk.routing.getRoutingQueues({ name })).entities![0].id!;
  const skillId = async (name: string) =>
    (await sdk.routing.getRoutingSkills({ name })).entities!.find((s) => s.name === name)!.id!;
  const languageId = async (name: string) =>
    (await sdk.routing.getRoutingLanguages({ name })).entities!.find((l) => l.name === name)!.id!;
  let homeId: string;

  beforeAll(async () => {
    emulator = await startGenesysEmulator({ port: 0 });
    sdk = await loggedInSdk(emulator.url);
    homeId = (await sdk.authorization.getAuthorizationDivisionsHome()).id!;
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.admin.reset());

  const newUser = (email: string) =>
    sdk.users.postUsers({ name: "Route Me", email, divisionId: homeId, state: "active" });

  describe("queues", () => {
    it("looks queues up by name (exact, or with * wildcards) and lists the seeded ones", async () => {
      const exact = await sdk.routing.getRoutingQueues({ name: "Tier_2_Escalation" });
      expect(exact.entities!.map((q) => q.name)).toEqual(["Tier_2_Escalation"]);
      expect(exact.entities![0].division!.name).toBe("Support");
      const emea = await sdk.routing.getRoutingQueues({ name: "EMEA*", pageSize: 100 });
      expect(emea.entities!.map((q) => q.name)).toEqual([
        "EMEA_Sales",
        "EMEA_Support_French",
        "EMEA_Support_German",
      ]);
      const all = await sdk.routing.getRoutingQueues({ pageSize: 100 });
      expect(all.entities!.map((q) => q.name)).toEqual(
        expect.arrayContaining(["Priority_Support_Queue", "Inbound_Sales", "General_Enquiries"]),
      );
    });

    it("adds, lists and removes queue members, and shows a user's queues", async () => {
      const user = await newUser("queues@example.com");
      const priority = await queueId("Priority_Support_Queue");
      await sdk.routing.postRoutingQueueMembers(priority, [{ id: user.id! }]);
      const members = await sdk.routing.getRoutingQueueMembers(priority, { pageSize: 100 });
      expect(members.entities!.map((m) => m.name)).toEqual(
        expect.arrayContaining(["Route Me", "Alex Agent"]),
      );
      expect(members).not.toHaveProperty("total");
      const mine = await sdk.routing.getUserQueues(user.id!);
      expect(mine.entities!.map((q) => q.name)).toEqual(["Priority_Support_Queue"]);

      await sdk.routing.postRoutingQueueMembers(priority, [{ id: user.id! }], { _delete: true });
      expect((await sdk.routing.getUserQueues(user.id!)).entities).toEqual([]);
      await sdk.routing.postRoutingQueueMembers(priority, [{ id: user.id! }]);
      await sdk.routing.deleteRoutingQueueMember(priority, user.id!);
      expect(emulator.admin.user(user.id!)!.queues).toEqual([]);
    });

    it("joins and unjoins a member's queues; non-member pairs are disregarded", async () => {
      const alex = emulator.admin.user("alex.agent@example.com")!;
      const priority = await queueId("Priority_Support_Queue");
      const renewals = await queueId("Renewals");
      const result = await sdk.routing.patchUserQueues(alex.id, [
        { id: priority, joined: false },
        { id: renewals, joined: true },
      ]);
      expect(result.entities!.map((q) => [q.name, q.joined])).toEqual([["Priority_Support_Queue", false]]);
      expect((await sdk.routing.getUserQueues(alex.id, { joined: true })).entities).toEqual([]);
    });

    it("refuses more than 100 members per call and unknown users", async () => {
      const priority = await queueId("Priority_Support_Queue");
      const tooMany = Array.from({ length: 101 }, (_, i) => ({ id: `u-${i}` }));
      const error = await sdkError(sdk.routing.postRoutingQueueMembers(priority, tooMany));
      expect(error).toMatchObject({ status: 400, code: "bad.request" });
      expect(error.message).toContain("valid number of queue members");
      expect(await sdkError(sdk.routing.postRoutingQueueMembers(priority, [{ id: "nope" }]))).toMatchObject({
        status: 400,
        code: "invalid.id",
      });
      expect(await sdkError(sdk.routing.postRoutingQueueMembers("nope", [{ id: "x" }]))).toMatchObject({
        status: 404,
        code: "not.found",
      });
    });
  });

  describe("skills and languages", () => {
    it("finds skills and languages by name (starts with)", async () => {
      expect((await sdk.routing.getRoutingSkills({ name: "Network" })).entities!.map((s) => s.name)).toEqual([
        "Network_Troubleshooting",
      ]);
      const languages = await sdk.routing.getRoutingLanguages({ pageSize: 100 });
      expect(languages.entities!.map((l) => l.name)).toEqual(
        expect.arrayContaining(["English", "French", "German", "Spanish"]),
      );
    });

    it("assigns skills in bulk (PUT replaces, PATCH adds) and one at a time", async () => {
      const user = await newUser("skills@example.com");
      const network = await skillId("Network_Troubleshooting");
      const billing = await skillId("Billing");
      const repair = await skillId("Hardware_Repair");
      const put = await sdk.routing.putUserRoutingskillsBulk(user.id!, [
        { id: network, proficiency: 4 },
        { id: billing, proficiency: 2.5 },
      ]);
      expect(put.entities!.map((s) => [s.name, s.proficiency])).toEqual([
        ["Billing", 2.5],
        ["Network_Troubleshooting", 4],
      ]);
      await sdk.users.patchUserRoutingskillsBulk(user.id!, [{ id: repair, proficiency: 1 }]);
      await sdk.routing.putUserRoutingskillsBulk(user.id!, [
        { id: network, proficiency: 5 },
        { id: repair, proficiency: 1 },
      ]);
      await sdk.routing.putUserRoutingskill(user.id!, repair, { proficiency: 3 });
      await sdk.routing.postUserRoutingskills(user.id!, { id: billing, proficiency: 0 });
      await sdk.routing.deleteUserRoutingskill(user.id!, network);
      const skills = await sdk.routing.getUserRoutingskills(user.id!);
      expect(skills.entities!.map((s) => [s.name, s.proficiency])).toEqual([
        ["Billing", 0],
        ["Hardware_Repair", 3],
      ]);
    });

    it("assigns languages in bulk and one at a time", async () => {
      const user = await newUser("languages@example.com");
      const french = await languageId("French");
      const german = await languageId("German");
      await sdk.routing.patchUserRoutinglanguagesBulk(user.id!, [{ id: french, proficiency: 5 }]);
      await sdk.routing.postUserRoutinglanguages(user.id!, { id: german, proficiency: 2 });
      await sdk.routing.patchUserRoutinglanguage(user.id!, german, { proficiency: 4 });
      let languages = await sdk.routing.getUserRoutinglanguages(user.id!);
      expect(languages.entities!.map((l) => [l.name, l.proficiency])).toEqual([
        ["French", 5],
        ["German", 4],
      ]);
      await sdk.routing.deleteUserRoutinglanguage(user.id!, french);
      languages = await sdk.users.getUserRoutinglanguages(user.id!);
      expect(languages.entities!.map((l) => l.name)).toEqual(["German"]);
    });

    it("refuses proficiency outside 0–5, more than 50 per call, and unknown ids", async () => {
      const user = await newUser("bad-skills@example.com");
      const network = await skillId("Network_Troubleshooting");
      const english = await languageId("English");
      expect(
        await sdkError(sdk.routing.putUserRoutingskillsBulk(user.id!, [{ id: network, proficiency: 6 }])),
      ).toMatchObject({ status: 400, code: "invalid.value", details: [{ fieldName: "proficiency" }] });
      expect(
        await sdkError(sdk.routing.postUserRoutingskills(user.id!, { id: network, proficiency: -1 })),
      ).toMatchObject({ status: 400 });
      expect(
        await sdkError(
          sdk.routing.patchUserRoutinglanguagesBulk(user.id!, [{ id: english, proficiency: 5.5 }]),
        ),
      ).toMatchObject({ status: 400 });
      const fiftyOne = Array.from({ length: 51 }, () => ({ id: network, proficiency: 1 }));
      const tooMany = await sdkError(sdk.routing.putUserRoutingskillsBulk(user.id!, fiftyOne));
      expect(tooMany).toMatchObject({ status: 400, code: "bad.request" });
      expect(tooMany.message).toContain("Max 50");
      expect(
        await sdkError(
          sdk.routing.patchUserRoutinglanguagesBulk(
            user.id!,
            Array.from({ length: 51 }, () => ({ id: english, proficiency: 1 })),
          ),
        ),
      ).toMatchObject({ status: 400 });
      expect(
        await sdkError(sdk.routing.patchUserRoutingskillsBulk(user.id!, [{ id: "nope", proficiency: 1 }])),
      ).toMatchObject({ status: 400, code: "invalid.id" });
      expect(await sdkError(sdk.routing.getUserRoutingskills("nope"))).toMatchObject({ status: 404 });
      expect(emulator.admin.user(user.id!)!.skills).toEqual([]);
    });
  });

  describe("routing status and presence", () => {
    it("reads and sets routing status; OFF_QUEUE for an unknown user", async () => {
      const alex = emulator.admin.user("alex.agent@example.com")!;
      expect((await sdk.users.getUserRoutingstatus(alex.id)).status).toBe("INTERACTING");
      const off = await sdk.users.putUserRoutingstatus(alex.id, { status: "OFF_QUEUE" });
      expect(off).toMatchObject({ userId: alex.id, status: "OFF_QUEUE" });
      expect((await sdk.users.getUserRoutingstatus("no-such-user")).status).toBe("OFF_QUEUE");
      expect(await sdkError(sdk.users.putUserRoutingstatus(alex.id, { status: "BUSY" }))).toMatchObject({
        status: 400,
      });
    });

    it("lists presence definitions (with Offline) and sets a user Offline, which takes them off queue", async () => {
      const definitions = await sdk.presence.getPresenceDefinitions0();
      expect(definitions.total).toBe(definitions.entities!.length);
      const offline = definitions.entities!.find((d) => d.systemPresence === "Offline")!;
      expect(offline).toMatchObject({ type: "System", deactivated: false });
      const bea = emulator.admin.user("bea.agent@example.com")!;
      const presence = await sdk.presence.patchUserPresencesPurecloud(bea.id, {
        presenceDefinition: { id: offline.id! },
      });
      expect(presence.presenceDefinition).toMatchObject({ id: offline.id, systemPresence: "Offline" });
      expect((await sdk.presence.getUserPresencesPurecloud(bea.id)).presenceDefinition!.systemPresence).toBe(
        "Offline",
      );
      expect(emulator.admin.user(bea.id)).toMatchObject({
        routingStatus: "OFF_QUEUE",
        presence: { systemPresence: "Offline" },
      });
      const unknown = await sdkError(
        sdk.presence.patchUserPresencesPurecloud(bea.id, { presenceDefinition: { id: "nope" } }),
      );
      expect(unknown).toMatchObject({ status: 400, code: "invalid.id" });
    });
  });
});
