import type { HttpHandler, HttpResponseInit } from "@azure/functions";
import { z } from "zod";
import type { ApprovalDecision } from "../activities/leaver.contract";
import { ApprovalConflictError, type ApprovalRepository } from "../storage/approvals";
import type { AuthorizedHandler } from "./access";

export interface ApprovalDependencies {
  approvals: Pick<ApprovalRepository, "list" | "decide">;
  /** Delivers the decision to the paused leaver orchestration. */
  raiseDecision: (instanceId: string, decision: ApprovalDecision) => Promise<void>;
}

/** `?status=` of `GET /api/approvals`; also the API document's parameter. */
export const ApprovalStatusQuerySchema = z
  .enum(["pending", "approved", "rejected", "all"])
  .default("pending");

/**
 * The body of `POST /api/approvals/{id}`; also the API document's request schema. Who decides is never part of
 * the body: it is the caller App Service authentication verified.
 */
export const ApprovalDecisionSchema = z.strictObject(
  {
    decision: z.enum(["approve", "reject"], { error: 'must be "approve" or "reject"' }),
    comment: z.string().max(1000).optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `${issue.keys.join(", ")} not accepted: the approver is the signed-in caller`
        : undefined,
  },
);

function problem(status: number, message: string, details?: string[]): HttpResponseInit {
  return { status, jsonBody: { error: message, ...(details ? { details } : {}) } };
}

/** `GET /api/approvals[?status=pending|approved|rejected|all]`: paused leavers awaiting an operator. */
export function createListApprovalsHandler({
  approvals,
}: Pick<ApprovalDependencies, "approvals">): HttpHandler {
  return async (request) => {
    const status = ApprovalStatusQuerySchema.safeParse(request.query.get("status") ?? undefined);
    if (!status.success) return problem(400, "status must be one of pending, approved, rejected, all");
    const list = await approvals.list(status.data === "all" ? undefined : status.data);
    return { status: 200, jsonBody: { approvals: list } };
  };
}

/**
 * `POST /api/approvals/{id}` with `{ "decision": "approve" | "reject", "comment": "..." }`, by a caller with the
 * approver role; the approval records that verified caller.
 */
export function createDecideApprovalHandler({
  approvals,
  raiseDecision,
}: ApprovalDependencies): AuthorizedHandler {
  return async (request, _context, caller) => {
    const id = request.params.id ?? "";
    let json: unknown;
    try {
      json = await request.json();
    } catch {
      return problem(400, 'the body must be JSON: { "decision": "approve" | "reject", "comment": "…" }');
    }
    const body = ApprovalDecisionSchema.safeParse(json);
    if (!body.success) {
      return problem(
        400,
        "invalid decision",
        body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`),
      );
    }
    const decision: ApprovalDecision = {
      approved: body.data.decision === "approve",
      by: caller.name,
      ...(body.data.comment ? { comment: body.data.comment } : {}),
    };
    try {
      const decided = await approvals.decide(id, decision);
      if (!decided) return problem(404, `no approval with id '${id}'`);
      // Raised after the decision is stored: a retry of this call re-raises the same decision harmlessly.
      await raiseDecision(decided.instanceId, decision);
      return { status: 200, jsonBody: decided };
    } catch (error) {
      if (error instanceof ApprovalConflictError) return problem(409, error.message);
      throw error;
    }
  };
}
