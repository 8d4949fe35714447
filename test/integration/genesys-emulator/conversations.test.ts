import { startGenesysEmulator, type GenesysEmulator } from "../../../local/emulators/genesys";
import { LIMITED_CLIENT, loggedInSdk, sdkError, type Sdk } from "./sdk";

describe("Genesys emulator: live interactions through the official SDK", () => {
  let emulator: GenesysEmulator;
  let sdk: Sdk;

  beforeAll(async () => {
    emulator = await startGenesysEmulator({ port: 0 });
    sdk = await loggedInSdk(emulator.url);
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.admin.reset());

  const day = 86_400_000;
  const interval = `${new Date(Date.now() - 7 * day).toISOString()}/${new Date(Date.now() + day).toISOString()}`;

  /** The query a leaver flow runs: open conversations with a segment for this user. */
  const openConversationsOf = (userId: string, extra: { dimension: string; operator: "notExists" }[] = []) =>
    sdk.analytics.postAnalyticsConversationsDetailsQuery({
      interval,
      order: "asc",
      orderBy: "conversationStart",
      paging: { pageSize: 100, pageNumber: 1 },
      conversationFilters: [
        {
          type: "and",
          predicates: [{ type: "dimension", dimension: "conversationEnd", operator: "notExists" }],
        },
      ],
      segmentFilters: [
        {
          type: "and",
          predicates: [
            { type: "dimension", dimension: "userId", operator: "matches", value: userId },
            ...extra.map((p) => ({ type: "dimension" as const, ...p })),
          ],
        },
      ],
    });

  const agentParticipant = async (conversationId: string, userId: string) => {
    const conversation = await sdk.conversations.getConversation(conversationId);
    const session = (p: (typeof conversation.participants)[number]) =>
      [...(p.calls ?? []), ...(p.emails ?? []), ...(p.messages ?? [])][0];
    return conversation.participants.find((p) => p.userId === userId && session(p)?.state === "connected")!;
  };

  it("finds the seeded agents' live calls, emails and messages with the analytics details query", async () => {
    const alex = emulator.admin.user("alex.agent@example.com")!;
    const result = await openConversationsOf(alex.id);
    expect(result.totalHits).toBe(2);
    const media = result.conversations!.map(
      (c) => c.participants!.find((p) => p.userId === alex.id)!.sessions![0].mediaType,
    );
    expect(media.sort()).toEqual(["email", "voice"]);
    expect(result.conversations!.every((c) => c.conversationEnd === undefined)).toBe(true);
    const bea = emulator.admin.user("bea.agent@example.com")!;
    expect(
      (await openConversationsOf(bea.id)).conversations![0].participants!.some(
        (p) => p.sessions![0].mediaType === "message",
      ),
    ).toBe(true);
    const summary = await sdk.users.getUser(alex.id, { expand: ["conversationSummary"] });
    expect(summary.conversationSummary).toMatchObject({
      call: { contactCenter: { active: 1 } },
      email: { contactCenter: { active: 1 } },
    });
  });

  it("transfers a call, an email and a message to another user; analytics and GET conversation follow", async () => {
    const alex = emulator.admin.user("alex.agent@example.com")!;
    const bea = emulator.admin.user("bea.agent@example.com")!;
    const sam = emulator.admin.user("sup.support@example.com")!;
    const [call, email] = emulator.admin
      .interactions({ userId: alex.id, active: true })
      .sort((a, b) => (a.participants[0].calls ? -1 : b.participants[0].calls ? 1 : 0));
    const callParticipant = await agentParticipant(call.id, alex.id);
    await sdk.conversations.postConversationsCallParticipantReplace(call.id, callParticipant.id!, {
      userId: sam.id,
      transferType: "Unattended",
    });
    const emailParticipant = await agentParticipant(email.id, alex.id);
    await sdk.conversations.postConversationsEmailParticipantReplace(email.id, emailParticipant.id!, {
      userId: sam.id,
    });
    const message = emulator.admin.interactions({ userId: bea.id, active: true })[0];
    const messageParticipant = await agentParticipant(message.id, bea.id);
    await sdk.conversations.postConversationsMessageParticipantReplace(message.id, messageParticipant.id!, {
      userId: sam.id,
    });

    const afterCall = await sdk.conversations.getConversation(call.id);
    expect(afterCall.endTime).toBeUndefined();
    expect(afterCall.participants.find((p) => p.id === callParticipant.id)).toMatchObject({
      endTime: expect.any(String),
      calls: [{ state: "disconnected", disconnectType: "transfer" }],
    });
    expect(afterCall.participants.find((p) => p.userId === sam.id)).toMatchObject({
      purpose: "agent",
      calls: [{ state: "connected" }],
    });

    // The old agent's segment has ended; the open-segment query no longer finds them, the new owner's does.
    expect(
      (await openConversationsOf(alex.id, [{ dimension: "segmentEnd", operator: "notExists" }])).totalHits,
    ).toBe(0);
    expect((await openConversationsOf(sam.id)).totalHits).toBe(3);
    expect(emulator.admin.user(alex.id)!.interactions).toEqual([]);
    expect(
      emulator.admin
        .user(sam.id)!
        .interactions.map((i) => i.mediaType)
        .sort(),
    ).toEqual(["email", "message", "voice"]);
  });

  it("transfers with /replace/agent", async () => {
    const carl = emulator.admin.user("carl.seller@example.com")!;
    const sasha = emulator.admin.user("sup.sales@example.com")!;
    const call = emulator.admin.interactions({ userId: carl.id, active: true })[0];
    const participant = await agentParticipant(call.id, carl.id);
    await sdk.conversations.postConversationParticipantReplaceAgent(call.id, participant.id!, {
      userId: sasha.id,
      transferType: "Unattended",
    });
    expect(emulator.admin.user(sasha.id)!.interactions).toHaveLength(1);
  });

  it("disconnecting the agent ends a two-party interaction, and analytics stops reporting it as open", async () => {
    const alex = emulator.admin.user("alex.agent@example.com")!;
    for (const conversation of emulator.admin.interactions({ userId: alex.id, active: true })) {
      const participant = await agentParticipant(conversation.id, alex.id);
      if (conversation.participants.some((p) => p.calls))
        await sdk.conversations.patchConversationsCallParticipant(conversation.id, participant.id!, {
          state: "disconnected",
        });
      else
        await sdk.conversations.patchConversationsEmailParticipant(conversation.id, participant.id!, {
          state: "disconnected",
        });
      expect((await sdk.conversations.getConversation(conversation.id)).endTime).toEqual(expect.any(String));
    }
    expect((await openConversationsOf(alex.id)).totalHits).toBe(0);

    const bea = emulator.admin.user("bea.agent@example.com")!;
    const message = emulator.admin.interactions({ userId: bea.id, active: true })[0];
    await sdk.conversations.patchConversationsMessageParticipant(
      message.id,
      (await agentParticipant(message.id, bea.id)).id!,
    );
    expect((await openConversationsOf(bea.id)).totalHits).toBe(0);
  });

  it("disconnects through the media-agnostic participant PATCH and sees interactions added through the admin API", async () => {
    const hugo = emulator.admin.user("hugo.home@example.com")!;
    const added = emulator.admin.addInteraction({
      mediaType: "voice",
      agent: hugo.email,
      queue: "General_Enquiries",
    });
    expect((await openConversationsOf(hugo.id)).totalHits).toBe(1);
    const participant = await agentParticipant(added.id, hugo.id);
    await sdk.conversations.patchConversationParticipant(added.id, participant.id!, {
      state: "disconnected",
    });
    expect((await openConversationsOf(hugo.id)).totalHits).toBe(0);
  });

  it("disconnects a whole conversation (PATCH the call, or the teardown endpoint)", async () => {
    const carl = emulator.admin.user("carl.seller@example.com")!;
    const call = emulator.admin.interactions({ userId: carl.id, active: true })[0];
    const ended = await sdk.conversations.patchConversationsCall(call.id, { state: "disconnected" } as never);
    expect(ended.endTime).toEqual(expect.any(String));
    expect(ended.participants.every((p) => p.calls![0].state === "disconnected")).toBe(true);
    const refused = await sdkError(
      sdk.conversations.patchConversationsCall(call.id, { state: "connected" } as never),
    );
    expect(refused).toMatchObject({ status: 400, code: "invalid.value" });

    const bea = emulator.admin.user("bea.agent@example.com")!;
    const message = emulator.admin.interactions({ userId: bea.id, active: true })[0];
    await sdk.conversations.postConversationDisconnect(message.id);
    expect((await openConversationsOf(bea.id)).totalHits).toBe(0);
  });

  it("refuses bad transfers and unknown conversations with ErrorBody", async () => {
    const alex = emulator.admin.user("alex.agent@example.com")!;
    const call = emulator.admin
      .interactions({ userId: alex.id, active: true })
      .find((c) => c.participants.some((p) => p.calls))!;
    const participant = await agentParticipant(call.id, alex.id);
    expect(
      await sdkError(
        sdk.conversations.postConversationsCallParticipantReplace(call.id, participant.id!, {
          userId: "nope",
        }),
      ),
    ).toMatchObject({ status: 400, code: "invalid.id" });
    expect(
      await sdkError(
        sdk.conversations.postConversationsEmailParticipantReplace(call.id, participant.id!, {
          userId: alex.id,
        }),
      ),
    ).toMatchObject({ status: 404 });
    expect(await sdkError(sdk.conversations.getConversation("nope"))).toMatchObject({
      status: 404,
      code: "not.found",
    });
    expect(await sdkError(sdk.analytics.postAnalyticsConversationsDetailsQuery({} as never))).toMatchObject({
      status: 400,
    });
  });

  it("keeps conversations in divisions the client cannot see out of its reach", async () => {
    const limited = await loggedInSdk(emulator.url, LIMITED_CLIENT);
    const alex = emulator.admin.user("alex.agent@example.com")!;
    const result = await limited.analytics.postAnalyticsConversationsDetailsQuery({
      interval,
      segmentFilters: [
        {
          type: "and",
          predicates: [{ type: "dimension", dimension: "userId", operator: "matches", value: alex.id }],
        },
      ],
    });
    expect(result.totalHits).toBe(0);
    const call = emulator.admin.interactions({ userId: alex.id, active: true })[0];
    const participant = await agentParticipant(call.id, alex.id);
    expect(
      await sdkError(
        limited.conversations.patchConversationParticipant(call.id, participant.id!, {
          state: "disconnected",
        }),
      ),
    ).toMatchObject({ status: 403 });
  });

  describe("callbacks", () => {
    const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
    /** The leaver's question: what is live with this user, or waiting for this user as its owner. */
    const liveOrOwnedBy = (userId: string) =>
      sdk.analytics.postAnalyticsConversationsDetailsQuery({
        interval,
        conversationFilters: [
          {
            type: "and",
            predicates: [{ type: "dimension", dimension: "conversationEnd", operator: "notExists" }],
          },
        ],
        segmentFilters: [
          {
            type: "or",
            predicates: [
              { type: "dimension", dimension: "userId", operator: "matches", value: userId },
              { type: "dimension", dimension: "scoredAgentId", operator: "matches", value: userId },
            ],
          },
        ],
      });

    it("shows a placed callback and an agent-owned scheduled one the way the Platform API does", async () => {
      const hugo = emulator.admin.user("hugo.home@example.com")!;
      const placed = emulator.admin.addInteraction({
        mediaType: "callback",
        agent: hugo.id,
        queue: "General_Enquiries",
      });
      const scheduledAt = inAnHour();
      const owned = emulator.admin.addInteraction({
        mediaType: "callback",
        agent: hugo.id,
        queue: "General_Enquiries",
        scheduledAt,
      });

      const live = await sdk.conversations.getConversation(placed.id);
      expect(live.participants.find((p) => p.userId === hugo.id)).toMatchObject({
        purpose: "agent",
        callbacks: [{ state: "connected", callbackNumbers: ["+353100000000"] }],
      });
      const waiting = await sdk.conversations.getConversation(owned.id);
      expect(waiting.endTime).toBeUndefined();
      expect(waiting.participants.some((p) => p.userId === hugo.id)).toBe(false);
      expect(waiting.participants.find((p) => p.purpose === "acd")).toMatchObject({
        callbacks: [{ state: "scheduled", callbackScheduledTime: scheduledAt }],
        conversationRoutingData: { scoredAgents: [{ agent: { id: hugo.id }, score: 100 }] },
      });

      const found = await liveOrOwnedBy(hugo.id);
      expect(found.totalHits).toBe(2);
      const ownedView = found.conversations!.find((c) => c.conversationId === owned.id)!;
      const acd = ownedView.participants!.find((p) => p.purpose === "acd")!;
      expect(acd.sessions![0]).toMatchObject({
        mediaType: "callback",
        agentOwned: true,
        callbackScheduledTime: scheduledAt,
        segments: [{ segmentType: "scheduled", scoredAgents: [{ scoredAgentId: hugo.id }] }],
      });
      expect(
        (await sdk.users.getUser(hugo.id, { expand: ["conversationSummary"] })).conversationSummary,
      ).toMatchObject({ callback: { contactCenter: { active: 1 } } });
      expect(emulator.admin.user(hugo.id)!.ownedCallbacks).toEqual([
        { conversationId: owned.id, scheduledTime: scheduledAt, queueId: expect.any(String) },
      ]);
    });

    it("transfers a placed callback with the callbacks replace endpoint", async () => {
      const hugo = emulator.admin.user("hugo.home@example.com")!;
      const sam = emulator.admin.user("sup.support@example.com")!;
      const placed = emulator.admin.addInteraction({ mediaType: "callback", agent: hugo.id });
      const participant = placed.participants.find((p) => p.userId === hugo.id)!;
      await sdk.conversations.postConversationsCallbackParticipantReplace(placed.id, participant.id, {
        userId: sam.id,
      });
      expect(emulator.admin.user(sam.id)!.interactions).toEqual([
        expect.objectContaining({ conversationId: placed.id, mediaType: "callback" }),
      ]);
      expect((await liveOrOwnedBy(hugo.id)).conversations?.[0]?.participants).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            userId: hugo.id,
            sessions: [
              expect.objectContaining({
                segments: [expect.objectContaining({ segmentEnd: expect.any(String) })],
              }),
            ],
          }),
        ]),
      );
    });

    it("reassigns a scheduled callback to another owner, and refuses what cannot be reassigned", async () => {
      const hugo = emulator.admin.user("hugo.home@example.com")!;
      const sam = emulator.admin.user("sup.support@example.com")!;
      const owned = emulator.admin.addInteraction({
        mediaType: "callback",
        agent: hugo.id,
        queue: "General_Enquiries",
        scheduledAt: inAnHour(),
      });
      const tier2 = (await sdk.routing.getRoutingQueues({ name: "Tier_2_Escalation" })).entities![0];
      const answer = await sdk.conversations.patchConversationsCallbacks({
        conversationId: owned.id,
        agentId: sam.id,
        queueId: tier2.id!,
      });
      expect(answer).toMatchObject({
        conversation: { id: owned.id },
        callbackIdentifiers: expect.arrayContaining([expect.objectContaining({ type: "ACD" })]),
      });
      expect(emulator.admin.user(hugo.id)!.ownedCallbacks).toEqual([]);
      expect(emulator.admin.user(sam.id)!.ownedCallbacks).toEqual([
        expect.objectContaining({ conversationId: owned.id, queueId: tier2.id }),
      ]);

      expect(
        await sdkError(sdk.conversations.patchConversationsCallbacks({ conversationId: owned.id } as never)),
      ).toMatchObject({ status: 400, code: "constraint.validation" });
      const ivy = emulator.admin.user("ivy.inactive@example.com")!;
      expect(
        await sdkError(
          sdk.conversations.patchConversationsCallbacks({ conversationId: owned.id, agentId: ivy.id }),
        ),
      ).toMatchObject({ status: 400, code: "invalid.id" });
      expect(
        await sdkError(
          sdk.conversations.patchConversationsCallbacks({ conversationId: "nope", agentId: sam.id }),
        ),
      ).toMatchObject({ status: 404 });
      const placed = emulator.admin.addInteraction({ mediaType: "callback", agent: hugo.id });
      expect(
        await sdkError(
          sdk.conversations.patchConversationsCallbacks({ conversationId: placed.id, agentId: sam.id }),
        ),
      ).toMatchObject({ status: 400, code: "bad.request" });
      // A callback waiting in a Support queue is out of reach of a client granted Home only.
      const inSupport = emulator.admin.addInteraction({
        mediaType: "callback",
        agent: hugo.id,
        queue: "Priority_Support_Queue",
        scheduledAt: inAnHour(),
      });
      const limited = await loggedInSdk(emulator.url, LIMITED_CLIENT);
      expect(
        await sdkError(
          limited.conversations.patchConversationsCallbacks({
            conversationId: inSupport.id,
            agentId: sam.id,
          }),
        ),
      ).toMatchObject({ status: 403 });
    });

    it("cancels a scheduled callback by disconnecting the participant it waits in", async () => {
      const hugo = emulator.admin.user("hugo.home@example.com")!;
      const owned = emulator.admin.addInteraction({
        mediaType: "callback",
        agent: hugo.id,
        queue: "General_Enquiries",
        scheduledAt: inAnHour(),
      });
      const acd = owned.participants.find((p) => p.purpose === "acd")!;
      await sdk.conversations.patchConversationsCallbackParticipant(owned.id, acd.id, {
        state: "disconnected",
      });
      expect((await sdk.conversations.getConversation(owned.id)).endTime).toEqual(expect.any(String));
      expect((await liveOrOwnedBy(hugo.id)).totalHits).toBe(0);
    });
  });

  it("revokes a user's sessions with DELETE /api/v2/tokens/{userId}", async () => {
    const alex = emulator.admin.user("alex.agent@example.com")!;
    await sdk.tokens.deleteToken(alex.id);
    expect(emulator.admin.user(alex.id)!.tokenRevocations).toBe(1);
    expect(await sdkError(sdk.tokens.deleteToken("nope"))).toMatchObject({ status: 404 });
  });
});
