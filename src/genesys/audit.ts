/**
 * Every write the client makes is reported here, so "why does this agent have queue X?" has one answer. The
 * caller provides the sink (Table Storage in the app) and adds the HR event id and mapping version itself.
 */
export interface GenesysAuditRecord {
  /** The client method, e.g. `createUser`, `addQueueMembers`. */
  operation: string;
  /** The ids the write touched: `userId`, `queueId`, `divisionId`, `conversationId`, … */
  targetIds: Record<string, string | string[]>;
  /** Genesys correlation id of the (last) call, for support tickets. */
  correlationId: string | undefined;
  /** State before the write, when the caller or the client knew it. */
  before?: unknown;
  /** State after the write: the response, or what was sent when the API returns nothing. */
  after?: unknown;
  /** True when the write found nothing to do (e.g. deleting a user already gone). */
  noChange?: boolean;
  at: string;
}

export type GenesysAuditSink = (record: GenesysAuditRecord) => void | Promise<void>;
