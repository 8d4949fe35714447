/**
 * Live interactions: get a conversation, disconnect a participant, transfer one to another user, and the
 * analytics details query that finds a user's open conversations. A transfer ends the agent's session
 * (segment) and starts one for the target user; a disconnect that leaves fewer than two connected parties
 * ends the conversation. Callbacks are live once placed (an agent participant with a `callbacks` session) or
 * scheduled: then the customer and the queue wait, and an agent-owned one names its owner as the ACD
 * participant's scored agent, reassigned with `PATCH /api/v2/conversations/callbacks`.
 */
import { badRequest, invalidId, notFound, show } from "./errors";
import { newId } from "./ids";
import { bodyObject, nowIso } from "./paging";
import { permittedDivisions, requireAnyDivisionPermission, requireDivisionPermission } from "./permissions";
import type { RequestContext, Router } from "./router";
import type { Conversation, ConversationParticipant, EmulatorState, MediaType } from "./state";

const MEDIA_PATH: Record<string, MediaType> = {
  calls: "voice",
  emails: "email",
  messages: "message",
  callbacks: "callback",
};
const SESSION_KEY: Record<MediaType, "calls" | "emails" | "messages" | "callbacks"> = {
  voice: "calls",
  email: "emails",
  message: "messages",
  callback: "callbacks",
};

function lookupConversation(ctx: RequestContext, permission: string): Conversation {
  const conversation = ctx.emulator.state.conversations.get(ctx.params.conversationId);
  if (!conversation) throw notFound("conversation", ctx.params.conversationId);
  for (const divisionId of conversation.divisionIds)
    requireDivisionPermission(ctx.emulator.state, ctx.client, permission, divisionId);
  return conversation;
}

function lookupParticipant(conversation: Conversation, participantId: string): ConversationParticipant {
  const participant = conversation.participants.find((p) => p.id === participantId);
  if (!participant) throw notFound("participant", participantId);
  return participant;
}

interface MediaSessionView {
  id: string;
  state: ConversationParticipant["state"];
  direction: "inbound";
  connectedTime?: string;
  disconnectedTime?: string;
  disconnectType?: string;
  /** Callbacks only. */
  callbackNumbers?: string[];
  callbackScheduledTime?: string;
}

export interface ParticipantView {
  id: string;
  name: string;
  purpose: ConversationParticipant["purpose"];
  startTime: string;
  connectedTime: string;
  endTime?: string;
  userId?: string;
  userUri?: string;
  queueId?: string;
  address?: string;
  calls?: MediaSessionView[];
  emails?: MediaSessionView[];
  messages?: MediaSessionView[];
  callbacks?: MediaSessionView[];
  conversationRoutingData?: {
    queue: { id: string; selfUri: string };
    scoredAgents: { agent: { id: string; selfUri: string }; score: number }[];
  };
}

export interface ConversationView {
  id: string;
  startTime: string;
  endTime?: string;
  divisions: { division: { id: string; selfUri: string }; entities: [] }[];
  participants: ParticipantView[];
  selfUri: string;
}

/** The owner of an agent-owned callback, on the ACD participant the callback waits in. */
const ownerOf = (c: Conversation, p: ConversationParticipant) =>
  p.purpose === "acd" && p.state === "scheduled" ? c.callback?.ownerId : undefined;

/**
 * The `Conversation` model. A participant has no state of its own there: the state lives on its media
 * session (`calls[0].state`, `emails[0].state`, `messages[0].state`, `callbacks[0].state`), as in the SDK's
 * model.
 */
export function conversationView(conversation: Conversation): ConversationView {
  const { callback } = conversation;
  return {
    id: conversation.id,
    startTime: conversation.startTime,
    ...(conversation.endTime ? { endTime: conversation.endTime } : {}),
    divisions: conversation.divisionIds.map((id) => ({
      division: { id, selfUri: `/api/v2/authorization/divisions/${id}` },
      entities: [],
    })),
    participants: conversation.participants.map((p) => {
      const session: MediaSessionView = {
        id: p.sessionId,
        state: p.state,
        direction: "inbound",
        ...(p.state === "scheduled" ? {} : { connectedTime: p.startTime }),
        ...(p.endTime ? { disconnectedTime: p.endTime } : {}),
        ...(p.disconnectType ? { disconnectType: p.disconnectType } : {}),
        ...(callback
          ? {
              callbackNumbers: callback.numbers,
              ...(callback.scheduledTime ? { callbackScheduledTime: callback.scheduledTime } : {}),
            }
          : {}),
      };
      const owner = ownerOf(conversation, p);
      return {
        id: p.id,
        name: p.name,
        purpose: p.purpose,
        startTime: p.startTime,
        connectedTime: p.startTime,
        ...(p.endTime ? { endTime: p.endTime } : {}),
        ...(p.userId ? { userId: p.userId, userUri: `/api/v2/users/${p.userId}` } : {}),
        ...(p.queueId ? { queueId: p.queueId } : {}),
        ...(p.address ? { address: p.address } : {}),
        [SESSION_KEY[conversation.mediaType]]: [session],
        ...(owner && p.queueId
          ? {
              conversationRoutingData: {
                queue: { id: p.queueId, selfUri: `/api/v2/routing/queues/${p.queueId}` },
                scoredAgents: [{ agent: { id: owner, selfUri: `/api/v2/users/${owner}` }, score: 100 }],
              },
            }
          : {}),
      };
    }),
    selfUri: `/api/v2/conversations/${conversation.id}`,
  };
}

function endParticipant(
  p: ConversationParticipant,
  at: string,
  disconnectType: ConversationParticipant["disconnectType"],
): void {
  p.state = "disconnected";
  p.endTime = at;
  p.disconnectType = disconnectType;
}

/**
 * Ends the conversation once fewer than two parties remain (a customer alone is no interaction; a scheduled
 * callback is the customer and the queue waiting together).
 */
function settle(conversation: Conversation, at: string): void {
  const remaining = conversation.participants.filter((p) => p.state !== "disconnected");
  if (remaining.length >= 2) return;
  for (const p of remaining) endParticipant(p, at, "peer");
  conversation.endTime = at;
}

export function disconnectParticipant(
  conversation: Conversation,
  participant: ConversationParticipant,
): void {
  if (participant.state === "disconnected") return;
  const at = nowIso();
  endParticipant(participant, at, "client");
  settle(conversation, at);
}

/** Blind transfer: the agent's leg ends and the target user's leg starts in the same conversation. */
export function transferParticipant(
  state: EmulatorState,
  conversation: Conversation,
  participant: ConversationParticipant,
  userId: string,
): ConversationParticipant {
  if (conversation.endTime || participant.state !== "connected")
    throw badRequest(
      "The participant is not connected, so it cannot be transferred",
      "conversation.participant.not.connected",
    );
  const target = state.users.get(userId);
  if (!target || target.state !== "active") throw invalidId("user", userId, "userId");
  const at = nowIso();
  endParticipant(participant, at, "transfer");
  const next: ConversationParticipant = {
    id: newId(),
    purpose: "agent",
    name: target.name,
    userId: target.id,
    ...(participant.queueId ? { queueId: participant.queueId } : {}),
    state: "connected",
    startTime: at,
    sessionId: newId(),
  };
  conversation.participants.push(next);
  return next;
}

/** A blind transfer to a queue: the agent leaves, and the interaction waits in the queue (an ACD participant). */
export function transferToQueue(
  state: EmulatorState,
  conversation: Conversation,
  participant: ConversationParticipant,
  queueId: string,
): ConversationParticipant {
  if (conversation.endTime || participant.state !== "connected")
    throw badRequest(
      "The participant is not connected, so it cannot be transferred",
      "conversation.participant.not.connected",
    );
  const queue = state.queues.get(queueId);
  if (!queue) throw invalidId("queue", queueId, "queueId");
  const at = nowIso();
  endParticipant(participant, at, "transfer");
  const next: ConversationParticipant = {
    id: newId(),
    purpose: "acd",
    name: queue.name,
    queueId: queue.id,
    state: "connected",
    startTime: at,
    sessionId: newId(),
  };
  conversation.participants.push(next);
  return next;
}

function getConversation(ctx: RequestContext) {
  return { status: 200, body: conversationView(lookupConversation(ctx, "conversation:communication:view")) };
}

function patchParticipant(mediaType?: MediaType) {
  return (ctx: RequestContext) => {
    const conversation = lookupConversation(ctx, "conversation:communication:disconnect");
    if (mediaType && conversation.mediaType !== mediaType)
      throw notFound(`${mediaType} conversation`, conversation.id);
    const participant = lookupParticipant(conversation, ctx.params.participantId);
    const body = ctx.body === undefined ? {} : bodyObject(ctx.body);
    if (body.state !== undefined && body.state !== "disconnected" && body.state !== "connected")
      throw badRequest(
        `state must be connected or disconnected, not ${show(body.state)}`,
        "invalid.value",
        "state",
      );
    if (body.state === "disconnected" || (mediaType === "message" && body.state === undefined))
      disconnectParticipant(conversation, participant);
    return { status: 202 };
  };
}

/** Ends the whole conversation, every participant at once. */
function disconnectAll(conversation: Conversation): void {
  const at = nowIso();
  for (const p of conversation.participants) if (p.state !== "disconnected") endParticipant(p, at, "client");
  conversation.endTime ??= at;
}

/** `PATCH /api/v2/conversations/{calls|emails|messages|callbacks}/{id}` with `{state: "disconnected"}` (the only valid value). */
function patchConversation(mediaType: MediaType) {
  return (ctx: RequestContext) => {
    const conversation = lookupConversation(ctx, "conversation:communication:disconnect");
    if (conversation.mediaType !== mediaType) throw notFound(`${mediaType} conversation`, conversation.id);
    const state = bodyObject(ctx.body).state;
    if (state !== "disconnected")
      throw badRequest(
        `On update, only 'disconnected' is a valid state, not ${show(state)}`,
        "invalid.value",
        "state",
      );
    disconnectAll(conversation);
    return { status: 200, body: conversationView(conversation) };
  };
}

/** Full teardown: "not intended to be the normal way of ending interactions", but it works. */
function teardown(ctx: RequestContext) {
  const conversation = lookupConversation(ctx, "conversation:communication:disconnect");
  disconnectAll(conversation);
  return { status: 202, body: `Conversation ${conversation.id} disconnected` };
}

function replace(mediaType?: MediaType) {
  return (ctx: RequestContext) => {
    const conversation = lookupConversation(ctx, "conversation:communication:blindTransfer");
    if (mediaType && conversation.mediaType !== mediaType)
      throw notFound(`${mediaType} conversation`, conversation.id);
    const participant = lookupParticipant(conversation, ctx.params.participantId);
    const body = bodyObject(ctx.body);
    if (typeof body.userId !== "string" && typeof body.queueId === "string") {
      transferToQueue(ctx.emulator.state, conversation, participant, body.queueId);
      return { status: 202 };
    }
    if (typeof body.userId !== "string") {
      if (body.address !== undefined)
        throw badRequest(
          "Only transfers to a user (userId) or a queue (queueId) are supported by this emulator",
          "bad.request",
          "address",
        );
      throw badRequest("userId may not be null", "constraint.validation", "userId");
    }
    if (
      body.transferType !== undefined &&
      body.transferType !== "Unattended" &&
      body.transferType !== "Attended"
    )
      throw badRequest(`transferType must be Attended or Unattended`, "invalid.value", "transferType");
    transferParticipant(ctx.emulator.state, conversation, participant, body.userId);
    return { status: 202 };
  };
}

const stringField = (body: Record<string, unknown>, field: string): string => {
  const value = body[field];
  if (typeof value !== "string" || value === "")
    throw badRequest(`${field} may not be null`, "constraint.validation", field);
  return value;
};

/**
 * `PATCH /api/v2/conversations/callbacks` ("Update a scheduled callback", `PatchCallbackRequest`): a scheduled
 * callback gets a new owner (`agentId`, required) and optionally a new queue or time. Placed or ended callbacks
 * cannot be updated.
 */
function updateScheduledCallback(ctx: RequestContext) {
  const body = bodyObject(ctx.body);
  const conversationId = stringField(body, "conversationId");
  const agentId = stringField(body, "agentId");
  const conversation = ctx.emulator.state.conversations.get(conversationId);
  if (!conversation || conversation.mediaType !== "callback")
    throw notFound("callback conversation", conversationId);
  for (const divisionId of conversation.divisionIds)
    requireDivisionPermission(ctx.emulator.state, ctx.client, "conversation:callback:edit", divisionId);
  const waiting = conversation.participants.find((p) => p.purpose === "acd" && p.state === "scheduled");
  if (conversation.endTime || !waiting || !conversation.callback)
    throw badRequest(
      "Only a scheduled callback can be updated; this one has been placed or has ended",
      "bad.request",
      "conversationId",
    );
  const agent = ctx.emulator.state.users.get(agentId);
  if (!agent || agent.state !== "active") throw invalidId("user", agentId, "agentId");
  if (body.queueId !== undefined) {
    const queueId = stringField(body, "queueId");
    const queue = ctx.emulator.state.queues.get(queueId);
    if (!queue) throw invalidId("queue", queueId, "queueId");
    waiting.queueId = queue.id;
    waiting.name = queue.name;
  }
  if (body.callbackScheduledTime !== undefined) {
    const at = stringField(body, "callbackScheduledTime");
    if (Number.isNaN(Date.parse(at)))
      throw badRequest(
        `callbackScheduledTime must be an ISO-8601 date-time, not ${at}`,
        "invalid.value",
        "callbackScheduledTime",
      );
    conversation.callback.scheduledTime = new Date(at).toISOString();
  }
  conversation.callback.ownerId = agent.id;
  const customer = conversation.participants.find((p) => p.purpose === "customer");
  return {
    status: 200,
    body: {
      conversation: { id: conversation.id, selfUri: `/api/v2/conversations/${conversation.id}` },
      callbackIdentifiers: [
        ...(customer ? [{ type: "EXTERNAL", id: customer.id }] : []),
        { type: "ACD", id: waiting.id },
      ],
    },
  };
}

interface Predicate {
  type?: string;
  dimension?: string;
  operator?: "matches" | "exists" | "notExists";
  value?: string;
}
interface Filter {
  type?: "and" | "or";
  predicates?: Predicate[];
  clauses?: Filter[];
}

function evaluate(filter: Filter, test: (p: Predicate) => boolean): boolean {
  const results = [
    ...(filter.predicates ?? []).map(test),
    ...(filter.clauses ?? []).map((c) => evaluate(c, test)),
  ];
  if (results.length === 0) return true;
  return filter.type === "or" ? results.some(Boolean) : results.every(Boolean);
}

function compare(
  operator: Predicate["operator"],
  actual: string | undefined,
  value: string | undefined,
): boolean {
  if (operator === "exists") return actual !== undefined;
  if (operator === "notExists") return actual === undefined;
  return actual !== undefined && actual === value;
}

const ANALYTICS_MEDIA: Record<MediaType, string> = {
  voice: "voice",
  email: "email",
  message: "message",
  callback: "callback",
};

function conversationDimension(c: Conversation, dimension: string | undefined): string | undefined {
  switch (dimension) {
    case "conversationEnd":
      return c.endTime;
    case "conversationId":
      return c.id;
    case "conversationStart":
      return c.startTime;
    case "divisionId":
      return c.divisionIds[0];
    default:
      throw badRequest(
        `Unknown conversation dimension ${String(dimension)}`,
        "invalid.value",
        "conversationFilters.predicates.dimension",
      );
  }
}

function segmentDimension(
  c: Conversation,
  p: ConversationParticipant,
  dimension: string | undefined,
): string | undefined {
  switch (dimension) {
    case "userId":
      return p.userId;
    case "queueId":
      return p.queueId;
    case "purpose":
      return p.purpose;
    case "mediaType":
      return ANALYTICS_MEDIA[c.mediaType];
    case "segmentEnd":
      return p.endTime;
    case "participantId":
      return p.id;
    case "sessionId":
      return p.sessionId;
    case "segmentType":
      return p.state === "scheduled" ? "scheduled" : "interact";
    case "scoredAgentId":
      return ownerOf(c, p);
    case "agentOwned":
      return c.mediaType === "callback" && p.purpose === "acd"
        ? String(ownerOf(c, p) !== undefined)
        : undefined;
    case "callbackScheduledTime":
      return p.state === "scheduled" ? c.callback?.scheduledTime : undefined;
    default:
      throw badRequest(
        `Unknown segment dimension ${String(dimension)}`,
        "invalid.value",
        "segmentFilters.predicates.dimension",
      );
  }
}

function analyticsView(c: Conversation) {
  return {
    conversationId: c.id,
    conversationStart: c.startTime,
    ...(c.endTime ? { conversationEnd: c.endTime } : {}),
    divisionIds: c.divisionIds,
    originatingDirection: "inbound",
    participants: c.participants.map((p) => {
      const owner = ownerOf(c, p);
      return {
        participantId: p.id,
        participantName: p.name,
        purpose: p.purpose,
        ...(p.userId ? { userId: p.userId } : {}),
        sessions: [
          {
            sessionId: p.sessionId,
            mediaType: ANALYTICS_MEDIA[c.mediaType],
            direction: "inbound",
            ...(c.callback
              ? {
                  callbackNumbers: c.callback.numbers,
                  ...(p.state === "scheduled" && c.callback.scheduledTime
                    ? { callbackScheduledTime: c.callback.scheduledTime }
                    : {}),
                  ...(p.purpose === "acd" ? { agentOwned: owner !== undefined } : {}),
                }
              : {}),
            segments: [
              {
                segmentStart: p.startTime,
                ...(p.endTime ? { segmentEnd: p.endTime, disconnectType: p.disconnectType } : {}),
                segmentType: p.state === "scheduled" ? "scheduled" : "interact",
                ...(p.queueId ? { queueId: p.queueId } : {}),
                ...(owner ? { scoredAgents: [{ scoredAgentId: owner, agentScore: 100 }] } : {}),
              },
            ],
          },
        ],
      };
    }),
  };
}

/** Whether a conversation started on a UTC day the interval touches (Genesys's documented rule). */
function inInterval(c: Conversation, interval: string): boolean {
  const [from, to] = interval.split("/").map((s) => Date.parse(s));
  if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to) || to <= from)
    throw badRequest(
      `interval must be <start>/<end> in ISO-8601, got ${interval}`,
      "invalid.value",
      "interval",
    );
  const dayStart = (t: number) => t - (t % 86_400_000);
  const start = Date.parse(c.startTime);
  return start >= dayStart(from) && start < dayStart(to - 1) + 86_400_000;
}

function detailsQuery(ctx: RequestContext) {
  const { state } = ctx.emulator;
  requireAnyDivisionPermission(state, ctx.client, "analytics:conversationDetail:view");
  const visible = permittedDivisions(state, ctx.client, "analytics:conversationDetail:view").divisionIds;
  const body = bodyObject(ctx.body) as {
    interval?: string;
    order?: string;
    paging?: { pageSize?: number; pageNumber?: number };
    conversationFilters?: Filter[];
    segmentFilters?: Filter[];
  };
  if (!body.interval) throw badRequest("interval may not be null", "constraint.validation", "interval");
  const pageSize = body.paging?.pageSize ?? 25;
  const pageNumber = body.paging?.pageNumber ?? 1;
  if (pageSize < 1 || pageSize > 100)
    throw badRequest("paging.pageSize must be between 1 and 100", "invalid.value", "paging.pageSize");
  const matchesConversation = (c: Conversation) =>
    (body.conversationFilters ?? []).every((f) =>
      evaluate(f, (p) => compare(p.operator, conversationDimension(c, p.dimension), p.value)),
    );
  // Every predicate of a segment filter must hold for one and the same segment.
  const matchesSegments = (c: Conversation) =>
    (body.segmentFilters ?? []).every((f) =>
      c.participants.some((p) =>
        evaluate(f, (pr) => compare(pr.operator, segmentDimension(c, p, pr.dimension), pr.value)),
      ),
    );
  const conversations = [...state.conversations.values()]
    .filter((c) => c.divisionIds.every((d) => visible.has(d)))
    .filter((c) => inInterval(c, body.interval!))
    .filter(matchesConversation)
    .filter(matchesSegments)
    .sort((a, b) => a.startTime.localeCompare(b.startTime) * (body.order === "desc" ? -1 : 1));
  const page = conversations.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    status: 200,
    body:
      page.length === 0
        ? { totalHits: conversations.length }
        : { conversations: page.map(analyticsView), totalHits: conversations.length },
  };
}

export function registerConversationRoutes(router: Router): void {
  router
    .add("GET", "/api/v2/conversations/{conversationId}", getConversation)
    .add("PATCH", "/api/v2/conversations/{conversationId}/participants/{participantId}", patchParticipant())
    .add(
      "POST",
      "/api/v2/conversations/{conversationId}/participants/{participantId}/replace/agent",
      replace(),
    )
    .add("POST", "/api/v2/conversations/{conversationId}/disconnect", teardown)
    .add("PATCH", "/api/v2/conversations/callbacks", updateScheduledCallback)
    .add("POST", "/api/v2/analytics/conversations/details/query", detailsQuery);
  for (const [segment, mediaType] of Object.entries(MEDIA_PATH)) {
    router
      .add("PATCH", `/api/v2/conversations/${segment}/{conversationId}`, patchConversation(mediaType))
      .add(
        "PATCH",
        `/api/v2/conversations/${segment}/{conversationId}/participants/{participantId}`,
        patchParticipant(mediaType),
      )
      .add(
        "POST",
        `/api/v2/conversations/${segment}/{conversationId}/participants/{participantId}/replace`,
        replace(mediaType),
      );
  }
}
