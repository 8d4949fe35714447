import { chooseTransferTarget, type TransferCandidates } from "../../../src/lifecycle/leaver-policy";

const everyone: TransferCandidates = {
  managerUserId: "u-mgr",
  supervisorUserId: "u-sup",
  queueId: "q-support",
};

describe("chooseTransferTarget", () => {
  it.each([
    [
      { transferTo: "manager", fallback: "queue" },
      everyone,
      { kind: "user", userId: "u-mgr", reason: "manager (policy)" },
    ],
    [
      { transferTo: "supervisor", fallback: "queue" },
      everyone,
      { kind: "user", userId: "u-sup", reason: "supervisor (policy)" },
    ],
    [
      { transferTo: "supervisor", fallback: "queue" },
      { queueId: "q-support" },
      {
        kind: "queue",
        queueId: "q-support",
        reason: "queue (fallback); skipped: the profile names no supervisor with an active Genesys user",
      },
    ],
    [
      { transferTo: "manager", fallback: "supervisor" },
      {},
      {
        kind: "disconnect",
        reason:
          "disconnect (last resort); skipped: the leaver has no manager with an active Genesys user; " +
          "skipped: the profile names no supervisor with an active Genesys user",
      },
    ],
    [
      { transferTo: "disconnect", fallback: "queue" },
      everyone,
      { kind: "disconnect", reason: "disconnect (policy)" },
    ],
    [
      { transferTo: "queue", fallback: "disconnect" },
      {},
      { kind: "disconnect", reason: "disconnect (fallback); skipped: no queue is known for the interaction" },
    ],
  ] as const)("policy %j with %j → %j", (policy, candidates, expected) => {
    expect(chooseTransferTarget(policy, candidates)).toMatchObject(expected);
  });
});
