import {
  OrgSnapshot,
  readPage,
  statesOf,
  type ManagedEmployee,
  type PageItems,
} from "../../../src/adapters/genesys-snapshot";
import type { GenesysCloudClient } from "../../../src/genesys/client";
import { aWorker } from "../../support/builders";
import { startHarness, type Harness } from "./harness";

let h: Harness;
let genesys: GenesysCloudClient;

beforeAll(async () => {
  h = await startHarness();
  genesys = h.client();
});
afterAll(() => h.close());
beforeEach(() => h.emulator.admin.reset());

describe("reconciliation's per-user reads", () => {
  it("reads only the employees the caller's check admits, each once it is admitted", async () => {
    const users = h.emulator.admin.addUsers(
      ["880001", "880002", "880003"].map((employeeId) => ({
        name: `Agent ${employeeId}`,
        email: `agent.${employeeId}@example.com`,
        division: "Support",
        employeeId,
        roles: [
          { role: "Agent", division: "Support" },
          { role: "Knowledge Base Editor", division: "*" },
        ],
        queues: ["Priority_Support_Queue"],
      })),
    );
    const pages: PageItems[] = [];
    for (let page = 1, more = true; more; page++) {
      const read = await readPage(genesys, { kind: "users" }, page);
      pages.push(read.items);
      more = read.more;
    }
    const snapshot = new OrgSnapshot(pages, { queues: "per-user", grants: "per-user" });
    const employees: ManagedEmployee[] = users.map((user) => ({
      employeeKey: user.employerInfo!.employeeId as string,
      userId: user.id,
      worker: aWorker({ employeeId: user.employerInfo!.employeeId as string, email: user.email }),
      assigned: null,
    }));
    h.emulator.admin.clearRequests();
    const asked: string[] = [];
    // The second employee's check says no (events pending, say): the check is awaited before any read.
    const admitted = async (e: ManagedEmployee) => {
      asked.push(e.employeeKey);
      await new Promise((resolve) => setImmediate(resolve));
      return e.employeeKey !== "880002";
    };

    const states = await statesOf(genesys, snapshot, employees, () => true, new Map(), admitted);

    expect(asked.sort()).toEqual(["880001", "880002", "880003"]);
    expect([...states.keys()].sort()).toEqual(["880001", "880003"]);
    expect(states.get("880001")?.user?.grants).toEqual(
      expect.arrayContaining([expect.objectContaining({ divisionId: "*" })]),
    );
    const read = h.emulator.admin.requests().map((r) => r.path);
    expect(read.filter((path) => path.includes(users[1].id))).toEqual([]);
    expect(read.filter((path) => path.includes(users[0].id)).length).toBeGreaterThan(0);
  });
});
