import type { HttpHandler, HttpResponseInit } from "@azure/functions";
import { z } from "zod";
import type { ApprovalDecision } from "../activities/leaver.contract";
import { ApprovalConflictError, type ApprovalRepository } from "../storage/approvals";

export interface ApprovalDependencies {
  approvals: Pick<ApprovalRepository, "list" | "decide">;
  /** Delivers the decision to the paused leaver orchestration. */
  raiseDecision: (instanceId: string, decision: ApprovalDecision) => Promise<void>;
}

/** `?status=` of `GET /api/approvals`; also the API document's parameter. */
export const ApprovalStatusQuerySchema = z
  .enum(["pending", "approved", "rejected", "all"])
  .default("pending");

/** The body of `POST /api/approvals/{id}`; also the API document's request schema. */
export const ApprovalDecisionSchema = z.object({
  decision: z.enum(["approve", "reject"], { error: 'must be "approve" or "reject"' }),
  by: z.string({ error: "is required: who decides" }).trim().min(1, "is required: who decides"),
  comment: z.string().max(1000).optional(),
});

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

/** `POST /api/approvals/{id}` with `{ "decision": "approve" | "reject", "by": "...", "comment": "..." }`. */
export function createDecideApprovalHandler({ approvals, raiseDecision }: ApprovalDependencies): HttpHandler {
  return async (request) => {
    const id = request.params.id ?? "";
    let json: unknown;
    try {
      json = await request.json();
    } catch {
      return problem(400, 'the body must be JSON: { "decision": "approve" | "reject", "by": "<who>" }');
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
      by: body.data.by,
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
