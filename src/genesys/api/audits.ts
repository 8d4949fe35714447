import type { AuditLogMessage, AuditRealtimeQuery } from "../models";
import type { OperationOptions } from "../options";
import type { ListingPage } from "../paging";
import type { GenesysTransport } from "../transport";

/** Audits: who changed what in the organisation, and when (the last 14 days, for the realtime query). */
export class AuditsApi {
  constructor(private readonly transport: GenesysTransport) {}

  /**
   * One page of the audit messages of one service matching the filters (`EntityId`, `EntityType`, `UserId`,
   * `Action`), with the user who made each change named (`expand=user`). Realtime audits reach back 14 days.
   *
   * Permission: `audits:audit:view`.
   */
  async queryRealtimeAudits(
    query: AuditRealtimeQuery,
    options: OperationOptions = {},
  ): Promise<{ entities: AuditLogMessage[]; total?: number; pageCount?: number }> {
    const page = (
      await this.transport.send<ListingPage<AuditLogMessage> & { total?: number }>(
        {
          method: "POST",
          path: "/api/v2/audits/query/realtime",
          query: { expand: ["user"] },
          body: query,
          // A query changes nothing: sending it twice is harmless.
          idempotent: true,
          permission: "audits:audit:view",
        },
        options,
      )
    ).data;
    return {
      entities: page.entities ?? [],
      ...(page.total === undefined ? {} : { total: page.total }),
      ...(page.pageCount === undefined ? {} : { pageCount: page.pageCount }),
    };
  }
}
