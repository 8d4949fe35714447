import { GenesysCloudError } from "../errors";
import type { ActiveInteraction, ConversationMedia, TransferTarget } from "../models";
import type { OperationOptions } from "../options";
import { pathId as id, type GenesysTransport } from "../transport";

export interface ActiveInteractionsOptions extends OperationOptions {
  /** Conversations are found by start day: look back this far for long-lived emails and messages. Default 14. */
  lookbackDays?: number;
}

const MEDIA_PATHS: Record<string, ConversationMedia> = {
  voice: "calls",
  call: "calls",
  email: "emails",
  message: "messages",
  callback: "callbacks",
};

/**
 * Conversations: a user's live interactions (found through analytics conversation details), and moving them
 * away from a leaver: transfer, reassign a scheduled callback, or disconnect as a last resort.
 */
export class ConversationsApi {
  constructor(private readonly transport: GenesysTransport) {}

  /**
   * A user's live conversations (analytics details, `conversationEnd notExists`), with the user's participant
   * id in each, ready for transfer or disconnect, and the queue each came through; plus the scheduled callbacks
   * the user owns (agent-owned callbacks name their owner as the scored agent), with the participant they wait
   * in, ready to be reassigned.
   *
   * Permission: `analytics:conversationDetail:view`.
   */
  async getActiveInteractions(
    userId: string,
    options: ActiveInteractionsOptions = {},
  ): Promise<ActiveInteraction[]> {
    const now = this.transport.now();
    const from = new Date(now - (options.lookbackDays ?? 14) * 86_400_000).toISOString();
    const to = new Date(now + 3_600_000).toISOString();
    const found: ActiveInteraction[] = [];
    const seen = new Set<string>();
    for (let pageNumber = 1; ; pageNumber++) {
      const pageSize = 100;
      const response = await this.transport.send<AnalyticsDetailsResponse>(
        {
          method: "POST",
          path: "/api/v2/analytics/conversations/details/query",
          body: {
            interval: `${from}/${to}`,
            order: "asc",
            orderBy: "conversationStart",
            paging: { pageSize, pageNumber },
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
          },
          idempotent: true,
          permission: "analytics:conversationDetail:view",
        },
        options,
      );
      const conversations = response.data.conversations ?? [];
      for (const conversation of conversations) {
        if (conversation.conversationEnd) continue;
        for (const interaction of interactionsOf(conversation, userId)) {
          const key = `${interaction.conversationId}/${interaction.participantId}`;
          if (seen.has(key)) continue;
          seen.add(key);
          found.push(interaction);
        }
      }
      const total = response.data.totalHits ?? 0;
      if (conversations.length < pageSize || pageNumber * pageSize >= total) return found;
    }
  }

  /**
   * Blind-transfers a participant's interaction to a user, queue or address. Not retried blindly: a repeated
   * transfer could move the interaction twice; re-read the interactions instead.
   *
   * Permission: `conversation:communication:blindTransfer`.
   */
  async transferInteraction(
    interaction: Pick<ActiveInteraction, "conversationId" | "participantId" | "media">,
    target: TransferTarget,
    options: OperationOptions = {},
  ): Promise<void> {
    const media = requireMedia(interaction, "transfer");
    const response = await this.transport.send<unknown>(
      {
        method: "POST",
        path: `/api/v2/conversations/${media}/${id(interaction.conversationId)}/participants/${id(interaction.participantId)}/replace`,
        body: { ...target, transferType: "Unattended" },
        idempotent: false,
        permission: "conversation:communication:blindTransfer",
      },
      options,
    );
    await this.transport.record(
      "transferInteraction",
      { conversationId: interaction.conversationId, participantId: interaction.participantId },
      response,
      { after: { transferredTo: target } },
    );
  }

  /**
   * Gives a scheduled, agent-owned callback to another owner (`PATCH /api/v2/conversations/callbacks`, "Update a
   * scheduled callback"): routing then waits for that agent at the scheduled time. The callback API takes an
   * agent, so a scheduled callback goes to a person, optionally in another queue.
   *
   * Permission: `conversation:callback:edit`.
   */
  async reassignScheduledCallback(
    interaction: Pick<ActiveInteraction, "conversationId" | "participantId">,
    target: { agentId: string; queueId?: string },
    options: OperationOptions = {},
  ): Promise<void> {
    const response = await this.transport.send<unknown>(
      {
        method: "PATCH",
        path: "/api/v2/conversations/callbacks",
        body: { conversationId: interaction.conversationId, ...target },
        idempotent: true,
        permission: "conversation:callback:edit",
      },
      options,
    );
    await this.transport.record(
      "reassignScheduledCallback",
      { conversationId: interaction.conversationId, participantId: interaction.participantId },
      response,
      { after: { owner: target.agentId, ...(target.queueId ? { queueId: target.queueId } : {}) } },
    );
  }

  /**
   * Disconnects a participant (the last resort for a leaver's interaction).
   *
   * Permission: `conversation:communication:disconnect`.
   */
  async disconnectInteraction(
    interaction: Pick<ActiveInteraction, "conversationId" | "participantId" | "media">,
    options: OperationOptions = {},
  ): Promise<void> {
    const media = requireMedia(interaction, "disconnect");
    const response = await this.transport.send<unknown>(
      {
        method: "PATCH",
        path: `/api/v2/conversations/${media}/${id(interaction.conversationId)}/participants/${id(interaction.participantId)}`,
        body: { state: "disconnected" },
        idempotent: true,
        permission: "conversation:communication:disconnect",
      },
      options,
    );
    await this.transport.record(
      "disconnectInteraction",
      { conversationId: interaction.conversationId, participantId: interaction.participantId },
      response,
      { after: { state: "disconnected" } },
    );
  }
}

interface AnalyticsSegment {
  segmentEnd?: string;
  segmentType?: string;
  queueId?: string;
  scoredAgents?: { scoredAgentId?: string }[];
}

interface AnalyticsParticipant {
  participantId?: string;
  userId?: string;
  purpose?: string;
  sessions?: {
    sessionId?: string;
    mediaType?: string;
    agentOwned?: boolean;
    callbackScheduledTime?: string;
    segments?: AnalyticsSegment[];
  }[];
}

interface AnalyticsConversation {
  conversationId: string;
  conversationStart?: string;
  conversationEnd?: string;
  participants?: AnalyticsParticipant[];
}

interface AnalyticsDetailsResponse {
  totalHits?: number;
  conversations?: AnalyticsConversation[];
}

const segmentsOf = (participant: AnalyticsParticipant) =>
  (participant.sessions ?? []).flatMap((session) => session.segments ?? []);

const lastQueueId = (segments: readonly AnalyticsSegment[]) =>
  segments.filter((s) => s.queueId).at(-1)?.queueId;

/** The queue a conversation came through: the participant's own routed segment, else the latest ACD leg's. */
function queueOf(
  conversation: AnalyticsConversation,
  participant?: AnalyticsParticipant,
): string | undefined {
  const own = participant ? lastQueueId(segmentsOf(participant)) : undefined;
  if (own) return own;
  return lastQueueId(
    (conversation.participants ?? []).filter((p) => p.purpose === "acd").flatMap(segmentsOf),
  );
}

/**
 * What of one open conversation is the user's: the user's own legs that are still open (after a transfer the
 * conversation lives on, but the user's segments have ended), else a scheduled callback the user owns.
 */
function interactionsOf(conversation: AnalyticsConversation, userId: string): ActiveInteraction[] {
  const base = {
    conversationId: conversation.conversationId,
    conversationStart: conversation.conversationStart,
  };
  const legs: ActiveInteraction[] = [];
  for (const participant of conversation.participants ?? []) {
    if (participant.userId !== userId || !participant.participantId) continue;
    const segments = segmentsOf(participant);
    if (segments.length > 0 && segments.every((segment) => segment.segmentEnd)) continue;
    const mediaType = participant.sessions?.[0]?.mediaType ?? "unknown";
    const queueId = queueOf(conversation, participant);
    legs.push({
      ...base,
      participantId: participant.participantId,
      mediaType,
      media: MEDIA_PATHS[mediaType],
      ...(queueId ? { queueId } : {}),
    });
  }
  if (legs.length > 0) return legs;
  for (const participant of conversation.participants ?? []) {
    if (participant.purpose !== "acd" || !participant.participantId) continue;
    for (const session of participant.sessions ?? []) {
      const waiting = (session.segments ?? []).find(
        (s) => !s.segmentEnd && s.scoredAgents?.some((a) => a.scoredAgentId === userId),
      );
      if (session.mediaType !== "callback" || session.agentOwned !== true || !waiting) continue;
      const queueId = waiting.queueId ?? queueOf(conversation);
      legs.push({
        ...base,
        participantId: participant.participantId,
        mediaType: "callback",
        media: "callbacks",
        ...(queueId ? { queueId } : {}),
        scheduledCallback: session.callbackScheduledTime
          ? { scheduledTime: session.callbackScheduledTime }
          : {},
      });
    }
  }
  return legs;
}

function requireMedia(
  interaction: Pick<ActiveInteraction, "conversationId" | "media">,
  action: string,
): ConversationMedia {
  if (interaction.media) return interaction.media;
  throw new GenesysCloudError({
    statusCode: 400,
    code: "client.media.unsupported",
    method: "POST",
    path: `/api/v2/conversations/${interaction.conversationId}`,
    message: `Cannot ${action} conversation ${interaction.conversationId}: its media type has no ${action} endpoint. Handle it in Genesys Cloud by hand.`,
  });
}
