import path from "node:path";
import { TableClient } from "@azure/data-tables";
import { startLocalHost, type LocalHost } from "../../../local/host";
import { startAzuriteTables, type AzuriteTables } from "../../../local/azurite";
import { TableDurableStore } from "../../../local/host/durable/store";
import { ROW_CHUNKS } from "../../../local/host/durable/table-text";
import { spawnService, type ChildService } from "../../support/processes";

/** What the fixture's longTexts orchestration reports of a text: its length and a hash of its code units. */
function digest(text: string): string {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return `${text.length}:${hash}`;
}

const fixtures = path.resolve(__dirname, "../../fixtures/host-app");
const root = path.resolve(__dirname, "../../..");

describe("local host: Durable state in Table Storage", () => {
  let azurite: AzuriteTables;
  const children: ChildService[] = [];
  beforeAll(async () => {
    azurite = await startAzuriteTables();
  });
  afterAll(async () => {
    await Promise.all(children.map((child) => child.stop("SIGKILL")));
    await azurite.close();
  });

  it("resumes an instance waiting on a timer and an event, and entity state, after an in-process restart", async () => {
    const options = {
      entry: path.join(fixtures, "index.ts"),
      port: 0,
      clock: "virtual" as const,
      storageConnection: azurite.connectionString,
      hubName: "InProcessRestart",
      log: () => undefined,
    };
    let host: LocalHost = await startLocalHost(options);
    const id = host.durable.start("approval", { instanceId: "approval-1" });
    await fetch(`${host.url}/api/budgets/kept`, { method: "POST", body: "10" });
    await host.durable.settle();
    await host.stop();

    host = await startLocalHost(options);
    try {
      expect(await (await fetch(`${host.url}/api/budgets/kept`)).json()).toEqual({ remaining: 90 });
      expect(host.durable.status(id)).toMatchObject({ runtimeStatus: "Running", name: "approval" });
      host.durable.raiseEvent(id, "Approve", { user: "ada" });
      expect(await host.durable.waitForStatus(id)).toMatchObject({
        runtimeStatus: "Completed",
        output: { approved: true, by: { user: "ada" } },
      });
    } finally {
      await host.stop();
    }
  });

  it("starts again a child whose parent was stored but which was not (a crash between the two writes)", async () => {
    const options = {
      entry: path.join(fixtures, "index.ts"),
      port: 0,
      clock: "virtual" as const,
      storageConnection: azurite.connectionString,
      hubName: "LostChild",
      log: () => undefined,
    };
    let host: LocalHost = await startLocalHost(options);
    const id = host.durable.start("awaitsApproval", { instanceId: "parent-1" });
    await host.durable.settle();
    expect(host.durable.status("parent-1-approval")).toMatchObject({ runtimeStatus: "Running" });
    await host.stop();
    // Each instance is written on its own: the parent's write landed, the child's did not.
    await new TableDurableStore(azurite.connectionString, "LostChild").delete("parent-1-approval");

    host = await startLocalHost(options);
    try {
      await host.durable.settle();
      expect(host.durable.status("parent-1-approval")).toMatchObject({
        runtimeStatus: "Running",
        name: "approval",
      });
      host.durable.raiseEvent("parent-1-approval", "Approve", { user: "ada" });
      expect(await host.durable.waitForStatus(id)).toMatchObject({
        runtimeStatus: "Completed",
        output: { approved: true, by: { user: "ada" } },
      });
    } finally {
      await host.stop();
    }
  });

  it("tells a parent of a child that ended while the parent's hearing of it was lost", async () => {
    const options = {
      entry: path.join(fixtures, "index.ts"),
      port: 0,
      clock: "virtual" as const,
      storageConnection: azurite.connectionString,
      hubName: "UnheardChild",
      log: () => undefined,
    };
    let host: LocalHost = await startLocalHost(options);
    const id = host.durable.start("awaitsApproval", { instanceId: "parent-2" });
    await host.durable.settle();
    await host.stop();
    // The child's last write landed (it completed), the parent's (the completion in its inbox) did not.
    const store = new TableDurableStore(azurite.connectionString, "UnheardChild");
    const child = (await store.loadAll()).find((i) => i.snapshot.instanceId === "parent-2-approval")!;
    const ended = { ...child.snapshot, runtimeStatus: "Completed" as const, output: { approved: true } };
    await store.save(ended, ended.execution, child.history.length, []);

    host = await startLocalHost(options);
    try {
      expect(await host.durable.waitForStatus(id)).toMatchObject({
        runtimeStatus: "Completed",
        output: { approved: true },
      });
    } finally {
      await host.stop();
    }
  });

  it("does not take a child of the same id that ended before the parent started it for its own", async () => {
    const options = {
      entry: path.join(fixtures, "index.ts"),
      port: 0,
      clock: "virtual" as const,
      storageConnection: azurite.connectionString,
      hubName: "StaleChild",
      log: () => undefined,
    };
    let host: LocalHost = await startLocalHost(options);
    const id = host.durable.start("awaitsApproval", { instanceId: "parent-3" });
    await host.durable.settle();
    await host.stop();
    // What the store holds under the child's id ended before this parent started it: an earlier run's.
    const store = new TableDurableStore(azurite.connectionString, "StaleChild");
    const child = (await store.loadAll()).find((i) => i.snapshot.instanceId === "parent-3-approval")!;
    const stale = {
      ...child.snapshot,
      runtimeStatus: "Completed" as const,
      output: { approved: true },
      createdTime: new Date(Date.parse(child.snapshot.createdTime) - 60_000).toISOString(),
    };
    await store.save(stale, stale.execution, child.history.length, []);

    host = await startLocalHost(options);
    try {
      await host.durable.settle();
      expect(host.durable.status(id)).toMatchObject({ runtimeStatus: "Running" });
    } finally {
      await host.stop();
    }
  });

  it("keeps an input and an activity result longer than a table row whole across a restart", async () => {
    const options = {
      entry: path.join(fixtures, "index.ts"),
      port: 0,
      clock: "virtual" as const,
      storageConnection: azurite.connectionString,
      hubName: "LongTexts",
      log: () => undefined,
    };
    // Longer than a property (32K characters) and than a row (1 MiB), in the instance's status row (its
    // input) and in two history events (its start and the activity's result); surrogate pairs throughout,
    // so some fall where a text is split.
    const text = "ab\u00e9\u{1F600}".repeat(60_000);
    let host: LocalHost = await startLocalHost(options);
    const id = host.durable.start("longTexts", { instanceId: "long-1", input: { text } });
    await host.durable.settle();
    await host.stop();
    // The input is stored once, in the history's ExecutionStarted event, not again in the status rows that are
    // rewritten at every step.
    const instances = TableClient.fromConnectionString(azurite.connectionString, "LongTextsInstances", {
      allowInsecureConnection: true,
    });
    const status = await instances.getEntity<Record<string, unknown>>("long-1", "status");
    let statusText = 0;
    for await (const row of instances.listEntities<Record<string, unknown>>({
      queryOptions: { filter: "PartitionKey eq 'long-1'" },
    }))
      if (row.rowKey === "status" || row.rowKey!.startsWith(`status.${String(status.stateSet)}.`))
        for (const value of Object.values(row)) if (typeof value === "string") statusText += value.length;
    expect(statusText).toBeLessThan(10_000);

    host = await startLocalHost(options);
    try {
      expect(host.durable.status(id)).toMatchObject({ runtimeStatus: "Running" });
      host.durable.raiseEvent(id, "Go", null);
      expect(await host.durable.waitForStatus(id)).toMatchObject({
        runtimeStatus: "Completed",
        output: { input: digest(text), echoed: digest(text) },
      });
    } finally {
      await host.stop();
    }
  });

  it("fails, saying why, an instance whose stored history lacks an event, instead of waiting forever", async () => {
    const options = {
      entry: path.join(fixtures, "index.ts"),
      port: 0,
      clock: "virtual" as const,
      storageConnection: azurite.connectionString,
      hubName: "LostEvent",
      log: () => undefined,
    };
    let host: LocalHost = await startLocalHost(options);
    const id = host.durable.start("longTexts", { instanceId: "lost-1", input: { text: "short" } });
    await host.durable.settle();
    await host.stop();
    const history = TableClient.fromConnectionString(azurite.connectionString, "LostEventHistory", {
      allowInsecureConnection: true,
    });
    const keys: string[] = [];
    for await (const row of history.listEntities({ queryOptions: { filter: `PartitionKey eq '${id}'` } }))
      keys.push(row.rowKey!);
    // The last save's row: the events it held start where its key says.
    const last = keys.at(-1)!;
    await history.deleteEntity(id, last);
    const lost = Number(last.split("-")[1]);

    host = await startLocalHost(options);
    try {
      expect(await host.durable.waitForStatus(id)).toMatchObject({
        runtimeStatus: "Failed",
        output: `its stored history lacks event ${lost}, so it cannot be replayed`,
      });
    } finally {
      await host.stop();
    }
  });

  it("reads an instance stored by an older build: the whole state on its status row, one property per event", async () => {
    const snapshot = {
      instanceId: "older-1",
      name: "longTexts",
      input: JSON.stringify({ text: "x".repeat(470_000) }),
      createdTime: "2026-12-01T00:00:00.000Z",
      lastUpdatedTime: "2026-12-01T00:00:00.000Z",
      runtimeStatus: "Running",
      output: null,
      customStatus: null,
      execution: 1,
    };
    const event = { EventType: 12, EventId: -1, IsPlayed: false, Timestamp: snapshot.createdTime };
    const json = JSON.stringify(snapshot);
    const chunks = Object.fromEntries(
      Array.from({ length: Math.ceil(json.length / 30_000) }, (_, i) => [
        `state${i}`,
        json.slice(i * 30_000, (i + 1) * 30_000),
      ]),
    );
    expect(Object.keys(chunks).length).toBeGreaterThan(ROW_CHUNKS); // more chunks than a row holds now
    const table = (name: string) =>
      TableClient.fromConnectionString(azurite.connectionString, `OlderBuild${name}`, {
        allowInsecureConnection: true,
      });
    await table("Instances").createTable();
    await table("History").createTable();
    await table("Instances").createEntity({
      partitionKey: "older-1",
      rowKey: "status",
      runtimeStatus: "Running",
      historyLength: 1,
      stateChunks: Object.keys(chunks).length,
      ...chunks,
    });
    await table("History").createEntity({
      partitionKey: "older-1",
      rowKey: "000001-0000000000",
      event: JSON.stringify(event),
    });

    const [stored] = await new TableDurableStore(azurite.connectionString, "OlderBuild").loadAll();
    expect(stored).toEqual({ snapshot, history: [event] });
  });

  describe("history rows", () => {
    const snapshot = {
      instanceId: "saves-1",
      name: "longTexts",
      createdTime: "2026-12-01T00:00:00.000Z",
      lastUpdatedTime: "2026-12-01T00:00:00.000Z",
      runtimeStatus: "Running" as const,
      output: null,
      customStatus: null,
      execution: 1,
    };
    const event = (EventId: number) => ({
      EventType: 4,
      EventId,
      IsPlayed: false,
      Timestamp: snapshot.createdTime,
    });
    const rowsOf = async (hub: string) => {
      const history = TableClient.fromConnectionString(azurite.connectionString, `${hub}History`, {
        allowInsecureConnection: true,
      });
      const keys: string[] = [];
      for await (const row of history.listEntities()) keys.push(row.rowKey!);
      return { history, keys };
    };

    it("are one per save, holding its events, and load back in order", async () => {
      const store = new TableDurableStore(azurite.connectionString, "OneRowPerSave");
      await store.save(snapshot, 1, 0, [event(0), event(1), event(2)]);
      await store.save(snapshot, 1, 3, [event(3)]);

      expect((await rowsOf("OneRowPerSave")).keys).toEqual(["000001-0000000000", "000001-0000000003"]);
      const [stored] = await new TableDurableStore(azurite.connectionString, "OneRowPerSave").loadAll();
      expect(stored.history).toEqual([0, 1, 2, 3].map(event));
    });

    it("skip a row a crashed save left behind once the next save wrote over it from an earlier event", async () => {
      const store = new TableDurableStore(azurite.connectionString, "StaleRow");
      await store.save(snapshot, 1, 0, [event(0)]);
      // An older build wrote a row per event and crashed after event 2's row, before its status row.
      const { history } = await rowsOf("StaleRow");
      await history.createEntity({
        partitionKey: "saves-1",
        rowKey: "000001-0000000002",
        event: JSON.stringify(event(99)),
      });
      // Restarted, the episode ran again and saved events 1 and 2 in one row, from event 1.
      await store.save(snapshot, 1, 1, [event(1), event(2)]);
      await store.save(snapshot, 1, 3, [event(3)]);

      const [stored] = await new TableDurableStore(azurite.connectionString, "StaleRow").loadAll();
      expect(stored).toEqual({ snapshot, history: [0, 1, 2, 3].map(event) });
    });
  });

  /** Starts the fixture host in a child process and resolves with its URL. */
  async function startChild(): Promise<{ child: ChildService; url: string }> {
    const child = await spawnService(path.join(fixtures, "serve.ts"), /LISTENING (\S+)/, {
      cwd: root,
      env: {
        STORAGE_CONNECTION: azurite.connectionString,
        EFFECTS_CONNECTION: azurite.connectionString,
        HUB_NAME: "CrashRestart",
      },
    });
    children.push(child);
    return { child, url: child.ready };
  }

  it("completes an orchestration after the host is killed with SIGKILL mid-run, each effect present once", async () => {
    const effects = TableClient.fromConnectionString(azurite.connectionString, "Effects", {
      allowInsecureConnection: true,
    });
    await effects.createTable();
    const countRows = async (partition: string) => {
      let n = 0;
      for await (const _ of effects.listEntities({
        queryOptions: { filter: `PartitionKey eq '${partition}'` },
      }))
        n++;
      return n;
    };
    const steps = 12;

    const first = await startChild();
    const started = await fetch(`${first.url}/api/orchestrators/sequence/crash-1`, {
      method: "POST",
      body: JSON.stringify({ steps, delayInMs: 200 }),
    });
    expect(started.status).toBe(202);
    // Kill while an activity is running: it has counted its start but not yet written its effect.
    const activityInFlight = async () => {
      const done = await countRows("crash-1");
      return done >= 3 && (await countRows("crash-1-runs")) > done;
    };
    for (let i = 0; i < 400 && !(await activityInFlight()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await first.child.stop("SIGKILL");
    const doneBeforeCrash = await countRows("crash-1");
    expect(doneBeforeCrash).toBeLessThan(steps);

    const second = await startChild();
    let status: { runtimeStatus: string; output: unknown } | undefined;
    for (let i = 0; i < 400; i++) {
      const response = await fetch(`${second.url}/runtime/webhooks/durabletask/instances/crash-1`);
      status = (await response.json()) as { runtimeStatus: string; output: unknown };
      if (response.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await second.child.stop("SIGKILL");

    expect(status).toMatchObject({ runtimeStatus: "Completed", output: (steps * (steps - 1)) / 2 });
    expect(await countRows("crash-1")).toBe(steps); // every step's effect, exactly once
    expect(await countRows("crash-1-runs")).toBeGreaterThan(steps); // the interrupted activity ran again
  });
});
