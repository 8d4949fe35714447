import { divisionsHeld, RoleGrantsByDivisions } from "../../../src/activities/role-grants";

const grant = (role: string, division: string) => ({
  role: { id: role, name: role },
  division: { id: division, name: division },
});

describe("a batch's role grants", () => {
  it("makes one call per role and set of divisions, however many users get it", () => {
    const grants = new RoleGrantsByDivisions();
    for (const user of ["u1", "u2", "u3"]) grants.add(user, [grant("agent", "support"), grant("kb", "*")]);
    grants.add("u4", [grant("agent", "support"), grant("agent", "sales")]);
    grants.add("u5", [grant("agent", "sales"), grant("agent", "support")]);
    expect(grants.calls()).toEqual([
      { roleId: "agent", divisionIds: ["support"], userIds: ["u1", "u2", "u3"] },
      { roleId: "agent", divisionIds: ["sales", "support"], userIds: ["u4", "u5"] },
      { roleId: "kb", divisionIds: ["*"], userIds: ["u1", "u2", "u3"] },
    ]);
  });

  it("has no call to make for a batch without grants", () => {
    expect(new RoleGrantsByDivisions().calls()).toEqual([]);
  });

  it("reads a role's subject listing as one (user, division) pair per division held", async () => {
    async function* listing() {
      yield { id: "u1", divisions: [{ id: "*" }] };
      yield { id: "u2", divisions: [{ id: "support" }, { id: "sales" }] };
    }
    const pairs: Array<[string, string]> = [];
    for await (const pair of divisionsHeld(listing())) pairs.push(pair);
    expect(pairs).toEqual([
      ["u1", "*"],
      ["u2", "support"],
      ["u2", "sales"],
    ]);
  });
});
