import { unconfirmedUsers } from "../../../src/activities/onboarding";
import { GenesysCloudError } from "../../../src/genesys";

/** A listing as pages would yield it, counting how many items were read. */
function listing<T>(items: T[]) {
  const read = { count: 0 };
  const all = (async function* () {
    for (const item of items) {
      read.count++;
      yield item;
    }
  })();
  return { all, read };
}

const member = (id: string) => ({ id });
const asMember = (m: { id: string }): [string, string] => [m.id, "member"];
const expectMembers = (...ids: string[]) => new Map(ids.map((id) => [id, new Set(["member"])]));

describe("confirming what a batch wrote with one listing per queue or division", () => {
  it("confirms every new member and stops reading once all are seen", async () => {
    const { all, read } = listing(["u-old-1", "u-new-1", "u-new-2", "u-old-2"].map(member));
    expect(await unconfirmedUsers(all, expectMembers("u-new-1", "u-new-2"), asMember, 200)).toEqual([]);
    expect(read.count).toBe(3);
  });

  it("names the users the listing does not show", async () => {
    const { all } = listing(["u-old-1", "u-new-1"].map(member));
    expect(await unconfirmedUsers(all, expectMembers("u-new-1", "u-new-2"), asMember, 200)).toEqual([
      "u-new-2",
    ]);
  });

  it("reads no more than it was allowed, the cost of the per-user reads it replaces", async () => {
    const { all, read } = listing(
      [...Array.from({ length: 250 }, (_, i) => `u-old-${i}`), "u-new-1"].map(member),
    );
    expect(await unconfirmedUsers(all, expectMembers("u-new-1"), asMember, 100)).toEqual(["u-new-1"]);
    expect(read.count).toBe(100);
  });

  it("confirms a user's grants in a division only when every mapped role is listed for them", async () => {
    const grant = (subjectId: string, roleId: string) => ({ subjectId, roleId });
    const { all } = listing([grant("u-1", "agent"), grant("u-2", "agent"), grant("u-1", "employee")]);
    const expected = new Map([
      ["u-1", new Set(["agent", "employee"])],
      ["u-2", new Set(["agent", "employee"])],
    ]);
    const seen = (g: { subjectId: string; roleId: string }): [string, string] => [g.subjectId, g.roleId];
    expect(await unconfirmedUsers(all, expected, seen, 1000)).toEqual(["u-2"]);
  });

  it("leaves everyone to be read one by one when Genesys refuses the listing, but passes a rate limit back", async () => {
    const refusing = (statusCode: number) =>
      (async function* (): AsyncGenerator<{ id: string }> {
        yield member("u-new-1");
        throw new GenesysCloudError({
          statusCode,
          code: statusCode === 403 ? "missing.division.permission" : "too.many.requests",
          method: "GET",
          path: "/api/v2/routing/queues/q-1/members",
          message: `refused with ${statusCode}`,
        });
      })();
    const expected = expectMembers("u-new-1", "u-new-2");
    expect(await unconfirmedUsers(refusing(403), expected, asMember, 200)).toEqual(["u-new-1", "u-new-2"]);
    await expect(unconfirmedUsers(refusing(429), expected, asMember, 200)).rejects.toThrow(
      "refused with 429",
    );
  });
});
