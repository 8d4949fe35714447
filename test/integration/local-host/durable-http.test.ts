import path from "node:path";
import { startLocalHost, type LocalHost } from "../../../local/host";

const entry = path.resolve(__dirname, "../../fixtures/host-app/index.ts");

interface CheckStatusPayload {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
}

/**
 * The flow a Logic App or curl follows, over real HTTP on the real clock: an HTTP starter using
 * df.getClient() answers 202 with Location and Retry-After; polling the status URL gives 202 while the
 * instance runs and 200 once it is done.
 */
describe("local host: the Durable HTTP API over real HTTP", () => {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startLocalHost({ entry, port: 0, clock: "real", log: () => undefined });
  });
  afterAll(() => host.stop());

  it("starter → 202 + Location + Retry-After → poll 202 while running → 200 Completed", async () => {
    const started = await fetch(`${host.url}/api/orchestrators/approval`, { method: "POST" });
    expect(started.status).toBe(202);
    expect(started.headers.get("retry-after")).toBe("10");
    const payload = (await started.json()) as CheckStatusPayload;
    expect(started.headers.get("location")).toBe(payload.statusQueryGetUri);
    expect(payload.statusQueryGetUri).toBe(
      `${host.url}/runtime/webhooks/durabletask/instances/${payload.id}?taskHub=GenesysLifecycle&connection=Storage`,
    );

    const running = await fetch(payload.statusQueryGetUri);
    expect(running.status).toBe(202);
    expect(await running.json()).toMatchObject({ name: "approval", instanceId: payload.id });

    // The app's own raise-event function, which calls DurableClient.raiseEvent and getStatus.
    const raised = await fetch(`${host.url}/api/instances/${payload.id}/events/Approve`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "grace" }),
    });
    expect(raised.status).toBe(202);

    let done: Response | undefined;
    for (let attempt = 0; attempt < 100 && done === undefined; attempt++) {
      const poll = await fetch(payload.statusQueryGetUri);
      if (poll.status === 200) done = poll;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(done?.status).toBe(200);
    expect(await done!.json()).toMatchObject({
      runtimeStatus: "Completed",
      output: { approved: true, by: { user: "grace" } },
    });
  });

  it("serves getStatus with history, getStatusAll, terminate and purge to DurableClient", async () => {
    const started = (await (
      await fetch(`${host.url}/api/orchestrators/waitForever/held-1`, { method: "POST" })
    ).json()) as CheckStatusPayload;
    expect(started.id).toBe("held-1");
    const list = (await (await fetch(`${host.url}/api/instances/any/list`)).json()) as {
      instanceId: string;
    }[];
    expect(list.map((s) => s.instanceId)).toContain("held-1");

    expect((await fetch(`${host.url}/api/instances/held-1/terminate`, { method: "POST" })).status).toBe(200);
    const history = (await (await fetch(`${host.url}/api/instances/held-1/history`)).json()) as {
      runtimeStatus: string;
      output: string;
      history: { EventType: number }[];
    };
    expect(history).toMatchObject({ runtimeStatus: "Terminated", output: "stopped by an operator" });
    expect(history.history.map((e) => e.EventType)).toEqual(expect.arrayContaining([0, 12, 3]));

    const purged = await fetch(`${host.url}/api/instances/held-1/purge`, { method: "DELETE" });
    expect(await purged.json()).toEqual({ instancesDeleted: 1 });
    expect((await fetch(started.statusQueryGetUri)).status).toBe(404);
  });

  it("answers 400 for an unknown orchestrator and 404/410 for events to missing or finished instances", async () => {
    const base = `${host.url}/runtime/webhooks/durabletask`;
    expect((await fetch(`${base}/orchestrators/nope`, { method: "POST" })).status).toBe(400);
    expect(
      (await fetch(`${base}/instances/missing/raiseEvent/x`, { method: "POST", body: "1" })).status,
    ).toBe(404);
    const id = host.durable.start("waitForever");
    host.durable.terminate(id, "done");
    expect((await fetch(`${base}/instances/${id}/raiseEvent/x`, { method: "POST", body: "1" })).status).toBe(
      410,
    );
  });
});
