import { AsyncLocalStorage } from "node:async_hooks";
import type { GenesysAuditRecord, GenesysAuditSink } from "../genesys";
import type { AuditEntry, AuditRepository } from "../storage/audit";

/** Who a Genesys write is done for; set by each activity around its work. */
export interface AuditContext {
  employeeKey: string;
  eventId?: string;
  mappingVersion?: number;
}

const current = new AsyncLocalStorage<AuditContext>();

/** Runs `work` so that every Genesys write inside it is audited under `context`. */
export function withAuditContext<T>(context: AuditContext, work: () => Promise<T>): Promise<T> {
  return current.run(context, work);
}

/**
 * The Genesys client's audit sink: each write it reports is stored with the employee, HR event and mapping
 * version of the activity that made it, so "why does this agent have queue X?" has one answer.
 */
export function createAuditSink(audit: Pick<AuditRepository, "append">): GenesysAuditSink {
  return async (record: GenesysAuditRecord) => {
    const context = current.getStore();
    if (!context) return; // writes outside an activity (e.g. the emulator seed) belong to no employee
    await audit.append({
      ...context,
      at: record.at,
      operation: record.operation,
      targetIds: record.targetIds,
      ...(record.correlationId ? { correlationId: record.correlationId } : {}),
      ...(record.before === undefined ? {} : { before: record.before }),
      ...(record.after === undefined ? {} : { after: record.after }),
      ...(record.noChange ? { summary: "nothing to change" } : {}),
    });
  };
}

/** Records a lifecycle step in the same trail as the Genesys writes. */
export function auditStep(
  audit: Pick<AuditRepository, "append">,
  operation: string,
  summary: string,
  extra: Partial<AuditEntry> = {},
): Promise<void> {
  const context = current.getStore();
  if (!context) throw new Error(`auditStep(${operation}) outside an audit context`);
  return audit.append({ ...context, at: new Date().toISOString(), operation, summary, ...extra });
}
