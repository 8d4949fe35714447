import { startGenesysEmulator, type GenesysEmulator } from "../../../local/emulators/genesys";
import { undeclaredFields } from "./models";
import { loggedInSdk, type Sdk } from "./sdk";

describe("Genesys emulator responses use only fields the SDK's models declare", () => {
  let emulator: GenesysEmulator;
  let sdk: Sdk;

  beforeAll(async () => {
    emulator = await startGenesysEmulator({ port: 0 });
    sdk = await loggedInSdk(emulator.url);
  });
  afterAll(() => emulator.close());

  it("the check itself catches fields a model lacks, nested ones too", () => {
    expect(
      undeclaredFields({ id: "u", nickname: "x", division: { id: "d", colour: "red" } }, "User"),
    ).toEqual(["User.nickname", "User.division.colour"]);
  });

  it("for users, search, authorization, routing, presence, conversations and analytics", async () => {
    const alex = emulator.admin.user("alex.agent@example.com")!;
    const expand = [
      "routingStatus",
      "presence",
      "conversationSummary",
      "authorization",
      "skills",
      "languages",
      "employerInfo",
      "groups",
      "locations",
    ];
    const queue = (await sdk.routing.getRoutingQueues({ name: "Priority_Support_Queue" })).entities![0];
    const call = emulator.admin.interactions({ userId: alex.id, active: true })[0];
    const placedCallback = emulator.admin.addInteraction({ mediaType: "callback", agent: alex.id });
    const ownedCallback = emulator.admin.addInteraction({
      mediaType: "callback",
      agent: alex.id,
      queue: "Priority_Support_Queue",
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const day = 86_400_000;
    const checks: [unknown, string][] = [
      [await sdk.users.getUser(alex.id, { expand }), "User"],
      [await sdk.users.getUsers({ expand }), "UserEntityListing"],
      [
        await sdk.users.postUsersSearch({
          query: [{ type: "EXACT", fields: ["email"], value: alex.email }],
          expand,
        }),
        "UsersSearchResponse",
      ],
      [await sdk.users.getUserState(alex.id), "UserState"],
      [await sdk.users.getUserRoles(alex.id), "UserAuthorization"],
      [await sdk.authorization.getAuthorizationRoles(), "OrganizationRoleEntityListing"],
      [await sdk.authorization.getAuthorizationDivisions(), "AuthzDivisionEntityListing"],
      [await sdk.authorization.getAuthorizationDivisionsHome(), "AuthzDivision"],
      [
        await sdk.users.getAuthorizationDivisionspermittedPagedMe("directory:user:add"),
        "DivsPermittedEntityListing",
      ],
      [await sdk.authorization.getAuthorizationSubject(alex.id), "AuthzSubject"],
      [await sdk.tokens.getTokensMe(), "TokenInfo"],
      [await sdk.oauth.getOauthClient("lifecycle-local"), "OAuthClient"],
      [await sdk.routing.getRoutingQueues(), "QueueEntityListing"],
      [await sdk.routing.getRoutingQueueMembers(queue.id!), "QueueMemberEntityListing"],
      [await sdk.routing.getUserQueues(alex.id), "UserQueueEntityListing"],
      [await sdk.routing.getRoutingSkills(), "SkillEntityListing"],
      [await sdk.routing.getRoutingLanguages(), "LanguageEntityListing"],
      [await sdk.routing.getUserRoutingskills(alex.id), "UserSkillEntityListing"],
      [await sdk.routing.getUserRoutinglanguages(alex.id), "UserLanguageEntityListing"],
      [await sdk.users.getUserRoutingstatus(alex.id), "RoutingStatus"],
      [await sdk.presence.getPresenceDefinitions0(), "OrganizationPresenceDefinitionEntityListing"],
      [await sdk.presence.getUserPresencesPurecloud(alex.id), "UserPresence"],
      [await sdk.conversations.getConversation(call.id), "Conversation"],
      [await sdk.conversations.getConversation(placedCallback.id), "Conversation"],
      [await sdk.conversations.getConversation(ownedCallback.id), "Conversation"],
      [
        await sdk.conversations.patchConversationsCallbacks({
          conversationId: ownedCallback.id,
          agentId: alex.id,
        }),
        "PatchCallbackResponse",
      ],
      [
        await sdk.analytics.postAnalyticsConversationsDetailsQuery({
          interval: `${new Date(Date.now() - day).toISOString()}/${new Date(Date.now() + day).toISOString()}`,
          segmentFilters: [
            {
              type: "or",
              predicates: [
                { dimension: "userId", operator: "matches", value: alex.id },
                { dimension: "scoredAgentId", operator: "matches", value: alex.id },
              ],
            },
          ],
        }),
        "AnalyticsConversationQueryResponse",
      ],
    ];
    expect(checks.flatMap(([response, model]) => undeclaredFields(response, model))).toEqual([]);
  });
});
