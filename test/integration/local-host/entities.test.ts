import path from "node:path";
import { startLocalHost, type LocalHost } from "../../../local/host";

const entry = path.resolve(__dirname, "../../fixtures/host-app/index.ts");

describe("local host: Durable entities", () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startLocalHost({ entry, port: 0, log: () => undefined });
  });
  afterAll(() => host.stop());

  it("answers callEntity, applies signalEntity in order, and turns an operation's error into a task failure", async () => {
    const id = host.durable.start("useBudget", { input: "team-a" });
    const status = await host.durable.waitForStatus(id);
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: { afterFirst: 70, remaining: 50, refused: true },
    });
    const read = await fetch(`${host.url}/runtime/webhooks/durabletask/entities/budget/team-a`);
    expect(await read.json()).toBe(50);
    const audit = await fetch(`${host.url}/runtime/webhooks/durabletask/entities/audit/team-a`);
    expect(await audit.json()).toBe(2); // one signal from the entity per successful spend
  });

  it("serves DurableClient.signalEntity and readEntityState", async () => {
    expect((await fetch(`${host.url}/api/budgets/team-b`)).status).toBe(404);
    const signalled = await fetch(`${host.url}/api/budgets/team-b`, { method: "POST", body: "15" });
    expect(signalled.status).toBe(202);
    await host.durable.settle();
    const read = await fetch(`${host.url}/api/budgets/team-b`);
    expect(await read.json()).toEqual({ remaining: 85 });
  });
});
