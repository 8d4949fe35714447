import { HttpRequest, InvocationContext } from "@azure/functions";
import type { ApprovalDecision } from "../../../src/activities/leaver.contract";
import { requireRole, ROLES } from "../../../src/functions/access";
import { createDecideApprovalHandler, createListApprovalsHandler } from "../../../src/functions/approvals";
import { principalHeaders } from "../../../local/host/platform-auth";
import { ApprovalConflictError, ApprovalRepository, approvalIdFor } from "../../../src/storage/approvals";
import { useAzuriteTables } from "../../support/tables";

const azurite = useAzuriteTables();
let repo: ApprovalRepository;

beforeEach(async () => {
  repo = new ApprovalRepository(await azurite.createdTable("approvals"));
});

const paused = (instanceId: string, requestedAt = "2026-12-01T10:00:00.000Z") => ({
  employeeKey: "100482",
  eventId: "wd-1",
  instanceId,
  reason: "12 deactivations within 1 h exceed the limit of 10",
  requestedAt,
});

describe("ApprovalRepository (Azurite)", () => {
  it("files a request once, however often the activity retries", async () => {
    const first = await repo.request(paused("employee-100482:wd-1"));
    const again = await repo.request({ ...paused("employee-100482:wd-1"), reason: "retried" });
    expect(again).toEqual(first);
    expect(first).toMatchObject({ id: approvalIdFor("employee-100482:wd-1"), status: "pending" });
    expect(await repo.list("pending")).toHaveLength(1);
  });

  it("lists pending requests oldest first and hides decided ones", async () => {
    await repo.request(paused("b", "2026-12-01T11:00:00.000Z"));
    const a = await repo.request(paused("a", "2026-12-01T09:00:00.000Z"));
    await repo.decide(approvalIdFor("b"), { approved: true, by: "ops" });
    expect((await repo.list("pending")).map((x) => x.id)).toEqual([a.id]);
    expect(await repo.list()).toHaveLength(2);
  });

  it("keeps the first decision: the same one again is harmless, the opposite is refused", async () => {
    const { id } = await repo.request(paused("x"));
    const decided = await repo.decide(id, { approved: false, by: "grace", comment: "HR feed glitch" });
    expect(decided).toMatchObject({ status: "rejected", decidedBy: "grace", comment: "HR feed glitch" });
    await expect(repo.decide(id, { approved: false, by: "grace" })).resolves.toMatchObject({
      status: "rejected",
    });
    await expect(repo.decide(id, { approved: true, by: "ada" })).rejects.toThrow(ApprovalConflictError);
    expect(await repo.get(id)).toMatchObject({ status: "rejected", decidedBy: "grace" });
  });

  it("answers undefined for an unknown id", async () => {
    expect(await repo.get("nope")).toBeUndefined();
    expect(await repo.decide("nope", { approved: true, by: "ops" })).toBeUndefined();
  });
});

describe("approval endpoints", () => {
  const raised: Array<[string, ApprovalDecision]> = [];
  const raiseDecision = async (instanceId: string, decision: ApprovalDecision) => {
    raised.push([instanceId, decision]);
  };
  beforeEach(() => raised.splice(0));

  /** The route as registered: behind the approver role, the caller given by the platform's principal. */
  const post = (
    id: string,
    body: unknown,
    identity: { name: string; roles: string[] } = { name: "ops@example.com", roles: [ROLES.approver] },
  ) =>
    requireRole(ROLES.approver, createDecideApprovalHandler({ approvals: repo, raiseDecision }))(
      new HttpRequest({
        method: "POST",
        url: `http://localhost:7071/api/approvals/${id}`,
        params: { id },
        body: { string: typeof body === "string" ? body : JSON.stringify(body) },
        headers: { "content-type": "application/json", ...principalHeaders(identity) },
      }),
      new InvocationContext(),
    );

  it("lists pending approvals", async () => {
    await repo.request(paused("employee-1:e"));
    const response = await createListApprovalsHandler({ approvals: repo })(
      new HttpRequest({ method: "GET", url: "http://localhost:7071/api/approvals" }),
      new InvocationContext(),
    );
    expect(response).toMatchObject({
      status: 200,
      jsonBody: { approvals: [{ instanceId: "employee-1:e" }] },
    });
  });

  it("approves as the verified caller and raises the decision on the paused leaver", async () => {
    const { id } = await repo.request(paused("employee-1:e"));
    expect(await post(id, { decision: "approve" })).toMatchObject({
      status: 200,
      jsonBody: { status: "approved", decidedBy: "ops@example.com" },
    });
    expect(raised).toEqual([["employee-1:e", { approved: true, by: "ops@example.com" }]]);
    expect(await repo.get(id)).toMatchObject({ decidedBy: "ops@example.com" });
  });

  it("refuses a reader (403) and an anonymous caller (401), deciding nothing", async () => {
    const { id } = await repo.request(paused("employee-4:e"));
    expect(
      await post(id, { decision: "approve" }, { name: "r@example.com", roles: [ROLES.reader] }),
    ).toMatchObject({
      status: 403,
      jsonBody: { error: "forbidden", message: expect.stringContaining("Lifecycle.Approver") },
    });
    const anonymous = createDecideApprovalHandler({ approvals: repo, raiseDecision });
    expect(
      await requireRole(ROLES.approver, anonymous)(
        new HttpRequest({
          method: "POST",
          url: `http://localhost:7071/api/approvals/${id}`,
          params: { id },
          body: { string: '{"decision":"approve"}' },
          // A name header without the platform's principal is no identity.
          headers: { "x-ms-client-principal-name": "ceo@example.com" },
        }),
        new InvocationContext(),
      ),
    ).toMatchObject({ status: 401 });
    expect(raised).toEqual([]);
    expect(await repo.get(id)).toMatchObject({ status: "pending" });
  });

  it("answers 409 to the opposite decision and raises nothing", async () => {
    const { id } = await repo.request(paused("employee-2:e"));
    await post(id, { decision: "reject" });
    raised.splice(0);
    expect(await post(id, { decision: "approve" })).toMatchObject({ status: 409 });
    expect(raised).toEqual([]);
  });

  it.each([
    ["not JSON", "{", 'the body must be JSON: { "decision": "approve" | "reject", "comment": "…" }'],
    ["a bad decision", { decision: "maybe" }, "invalid decision"],
    ["a self-declared approver", { decision: "approve", by: "ceo@example.com" }, "invalid decision"],
  ])("answers 400 to %s", async (_name, body, error) => {
    const { id } = await repo.request(paused("employee-3:e"));
    expect(await post(id, body)).toMatchObject({ status: 400, jsonBody: { error } });
    expect(raised).toEqual([]);
    expect(await repo.get(id)).toMatchObject({ status: "pending" });
  });

  it("answers 404 to an unknown approval", async () => {
    expect(await post("unknown", { decision: "approve" })).toMatchObject({ status: 404 });
  });
});
