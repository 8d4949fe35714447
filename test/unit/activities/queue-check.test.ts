import { membersNotFound } from "../../../src/activities/onboarding";

/** A queue's member listing as pages would yield it, counting how many members were read. */
function listing(ids: string[]) {
  const read = { count: 0 };
  const members = (async function* () {
    for (const id of ids) {
      read.count++;
      yield { id };
    }
  })();
  return { members, read };
}

describe("confirming a batch's new queue members with one listing per queue", () => {
  it("finds every new member and stops reading once all are seen", async () => {
    const { members, read } = listing(["u-old-1", "u-new-1", "u-new-2", "u-old-2", "u-old-3"]);
    expect(await membersNotFound(members, new Set(["u-new-1", "u-new-2"]))).toEqual([]);
    expect(read.count).toBe(3);
  });

  it("names the ones the listing does not show", async () => {
    const { members } = listing(["u-old-1", "u-new-1"]);
    expect(await membersNotFound(members, new Set(["u-new-1", "u-new-2"]))).toEqual(["u-new-2"]);
  });

  it("reads no more than a hundred members per new one, the cost of reading each new user's queues", async () => {
    const { members, read } = listing([...Array.from({ length: 250 }, (_, i) => `u-old-${i}`), "u-new-1"]);
    expect(await membersNotFound(members, new Set(["u-new-1"]))).toEqual(["u-new-1"]);
    expect(read.count).toBe(100);
  });
});
