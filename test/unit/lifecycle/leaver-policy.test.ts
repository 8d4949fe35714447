import {
  describeTarget,
  handOverChain,
  whyNotPerson,
  type HandOverCandidates,
  type HandOverStep,
  type LeaverTransferPolicy,
} from "../../../src/lifecycle/leaver-policy";

const hrManager = { userId: "u-mgr", name: "Mia Manager", source: "HR's manager" };
const genesysManager = {
  userId: "u-gm",
  name: "Gus Manager",
  source: "manager on the leaver's Genesys user",
};
const supervisor = { userId: "u-sup", name: "Sam Lead", source: "the profile's supervisor" };
const leaverQueue = { queueId: "q-leavers", name: "Leavers", source: "the mapping's leaver queue" };
const mappedQueue = { queueId: "q-support", name: "Support", source: "the leaver's first mapped queue" };
const theirQueue = { queueId: "q-priority", name: "Priority", source: "the interaction's queue" };

const everyone: HandOverCandidates = {
  managers: [hrManager, genesysManager],
  supervisor,
  queues: [leaverQueue, mappedQueue],
  missing: {},
};
const nobody: HandOverCandidates = {
  managers: [],
  queues: [],
  missing: {
    manager: "HR names no manager and none is set on the leaver's Genesys user",
    supervisor: 'the title "Astronaut" matches no profile',
    queue: "the mapping names no leaver queue and the title matches no profile",
  },
};

/** The chain as the audit would name it. */
const named = (steps: HandOverStep[]) =>
  steps.map((s) => ("target" in s ? describeTarget(s.target) : `${s.skipped} skipped: ${s.reason}`));

describe("handOverChain: where one interaction may go, in order", () => {
  const managerThenQueue: LeaverTransferPolicy = { transferTo: "manager", fallback: "queue" };

  it.each([
    [
      "manager then queue: both managers, then the interaction's own queue before the mapping's",
      managerThenQueue,
      everyone,
      { queue: theirQueue, scheduledCallback: false },
      false,
      [
        "manager Mia Manager (HR's manager)",
        "manager Gus Manager (manager on the leaver's Genesys user)",
        "queue Priority (the interaction's queue)",
        "queue Leavers (the mapping's leaver queue)",
        "queue Support (the leaver's first mapped queue)",
      ],
    ],
    [
      "the interaction's queue is not tried twice when the mapping names the same one",
      { transferTo: "queue", fallback: "supervisor" },
      { ...everyone, queues: [{ ...leaverQueue, queueId: "q-priority" }] },
      { queue: theirQueue, scheduledCallback: false },
      false,
      ["queue Priority (the interaction's queue)", "supervisor Sam Lead (the profile's supervisor)"],
    ],
    [
      "nobody at all before the deadline: every choice skipped with its reason, nothing disconnected",
      managerThenQueue,
      nobody,
      { scheduledCallback: false },
      false,
      [
        "manager skipped: HR names no manager and none is set on the leaver's Genesys user",
        "queue skipped: the interaction came through no queue, the mapping names no leaver queue and the title matches no profile",
      ],
    ],
    [
      "nobody at the deadline: disconnect as the last resort",
      { transferTo: "supervisor", fallback: "manager" },
      nobody,
      { scheduledCallback: false },
      true,
      [
        'supervisor skipped: the title "Astronaut" matches no profile',
        "manager skipped: HR names no manager and none is set on the leaver's Genesys user",
        "disconnect (last resort)",
      ],
    ],
    [
      "a policy that says disconnect waits for the deadline, and never reaches what follows it",
      { transferTo: "disconnect", fallback: "queue" },
      everyone,
      { queue: theirQueue, scheduledCallback: false },
      false,
      ["disconnect skipped: disconnecting waits for the deadline"],
    ],
    [
      "…and at the deadline disconnects because the policy says so",
      { transferTo: "disconnect", fallback: "queue" },
      everyone,
      { queue: theirQueue, scheduledCallback: false },
      true,
      ["disconnect (the policy)"],
    ],
    [
      "a fallback of disconnect is the end of the chain at the deadline",
      { transferTo: "supervisor", fallback: "disconnect" },
      everyone,
      { scheduledCallback: false },
      true,
      ["supervisor Sam Lead (the profile's supervisor)", "disconnect (the policy)"],
    ],
    [
      "a scheduled callback goes to a person, never a queue",
      { transferTo: "queue", fallback: "manager" },
      everyone,
      { queue: theirQueue, scheduledCallback: true },
      false,
      [
        "queue skipped: a scheduled callback is reassigned to a person, not a queue",
        "manager Mia Manager (HR's manager)",
        "manager Gus Manager (manager on the leaver's Genesys user)",
      ],
    ],
  ] as const)("%s", (_what, policy, candidates, interaction, deadlinePassed, expected) => {
    expect(named(handOverChain(policy, candidates, interaction, deadlinePassed))).toEqual(expected);
  });
});

describe("whyNotPerson: who may take a customer", () => {
  const able = { state: "active", systemPresence: "Available", leaving: false, isLeaver: false } as const;
  it.each([
    ["an active, available person", able, false, undefined],
    ["the leaver themselves", { ...able, isLeaver: true }, false, "is the leaver"],
    ["someone with no Genesys user", { ...able, state: "unknown" }, false, "has no Genesys user"],
    ["an inactive user", { ...able, state: "inactive" }, false, "is inactive"],
    ["a deleted user", { ...able, state: "deleted" }, false, "is deleted"],
    ["a leaver in progress, even if available", { ...able, leaving: true }, false, "is a leaver in progress"],
    ["an Offline person", { ...able, systemPresence: "Offline" }, false, "is Offline"],
    [
      "an Offline person where Offline targets are allowed",
      { ...able, systemPresence: "Offline" },
      true,
      undefined,
    ],
    ["a person whose presence is unknown", { ...able, systemPresence: undefined }, false, undefined],
  ] as const)("%s", (_what, facts, allowOffline, expected) => {
    expect(whyNotPerson(facts, { allowOffline })).toBe(expected);
  });
});
