import { createHash } from "node:crypto";
import { RestError } from "@azure/data-tables";
import { TableRepository } from "./table-repository";

/** A leaver paused by the mass-deactivation guard, waiting for an operator. */
export interface Approval {
  id: string;
  employeeKey: string;
  eventId: string;
  /** The paused leaver orchestration, which the decision is raised on. */
  instanceId: string;
  reason: string;
  requestedAt: string;
  status: "pending" | "approved" | "rejected";
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

export interface Decision {
  approved: boolean;
  by: string;
  comment?: string;
}

/** Raised when an approval was already decided the other way; the first decision stands. */
export class ApprovalConflictError extends Error {
  override readonly name = "ApprovalConflictError";
}

const PARTITION = "approval";

/** Same paused leaver, same id: a retried activity never files a second request. */
export function approvalIdFor(instanceId: string): string {
  return createHash("sha256").update(instanceId).digest("hex").slice(0, 20);
}

/** Approvals in Table Storage, one row each. */
export class ApprovalRepository extends TableRepository {
  /** Files the request unless it exists already; returns the stored approval either way. */
  async request(approval: Omit<Approval, "id" | "status">): Promise<Approval> {
    await this.ready();
    const id = approvalIdFor(approval.instanceId);
    const entity = { ...approval, id, status: "pending" as const };
    try {
      await this.table.createEntity({ partitionKey: PARTITION, rowKey: id, ...entity });
      return entity;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 409) return (await this.get(id))!;
      throw error;
    }
  }

  async get(id: string): Promise<Approval | undefined> {
    await this.ready();
    try {
      return toApproval(await this.table.getEntity<Approval>(PARTITION, id));
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  async list(status?: Approval["status"]): Promise<Approval[]> {
    await this.ready();
    const filter = status
      ? `PartitionKey eq '${PARTITION}' and status eq '${status}'`
      : `PartitionKey eq '${PARTITION}'`;
    const found: Approval[] = [];
    for await (const entity of this.table.listEntities<Approval>({ queryOptions: { filter } })) {
      found.push(toApproval(entity));
    }
    return found.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }

  /**
   * Records an operator's decision. Repeating the same decision is harmless (so a retried call can re-raise
   * it); the opposite decision after the first is refused.
   */
  async decide(id: string, decision: Decision, now = new Date()): Promise<Approval | undefined> {
    await this.ready();
    const entity = await this.table.getEntity<Approval>(PARTITION, id).catch((error: unknown) => {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw error;
    });
    if (!entity) return undefined;
    const status = decision.approved ? "approved" : "rejected";
    if (entity.status !== "pending") {
      if (entity.status === status) return toApproval(entity);
      throw new ApprovalConflictError(
        `approval ${id} was already ${entity.status} by ${entity.decidedBy ?? "someone"}`,
      );
    }
    const decided: Approval = {
      ...toApproval(entity),
      status,
      decidedBy: decision.by,
      decidedAt: now.toISOString(),
      ...(decision.comment ? { comment: decision.comment } : {}),
    };
    // The etag makes two operators deciding at the same moment a conflict instead of a silent overwrite.
    try {
      await this.table.updateEntity({ partitionKey: PARTITION, rowKey: id, ...decided }, "Replace", {
        etag: entity.etag,
      });
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 412) {
        throw new ApprovalConflictError(
          `approval ${id} was decided by someone else at the same moment; reload it`,
        );
      }
      throw error;
    }
    return decided;
  }
}

/** Only the approval's own fields: table entities also carry keys, etag, timestamp and OData metadata. */
function toApproval(entity: Approval): Approval {
  const { id, employeeKey, eventId, instanceId, reason, requestedAt, status, decidedBy, decidedAt, comment } =
    entity;
  return {
    id,
    employeeKey,
    eventId,
    instanceId,
    reason,
    requestedAt,
    status,
    ...(decidedBy === undefined ? {} : { decidedBy }),
    ...(decidedAt === undefined ? {} : { decidedAt }),
    ...(comment === undefined ? {} : { comment }),
  };
}
