import { InboxRepository } from "../../src/storage/inbox";
import { QuarantineRepository, quarantineId } from "../../src/storage/quarantine";
import { anEvent } from "../support/builders";
import { useAzuriteTables } from "../support/tables";

const event = anEvent();
const now = new Date("2026-01-15T10:00:00Z");

describe("inbox and quarantine repositories (Azurite)", () => {
  const azurite = useAzuriteTables();
  let inbox: InboxRepository;
  let quarantine: QuarantineRepository;
  beforeEach(() => {
    const tables = azurite.tables();
    inbox = new InboxRepository(tables);
    quarantine = new QuarantineRepository(tables);
  });

  it("stores a raw message once and reads it back byte for byte", async () => {
    const raw = `<x>${"é—\u{1F600}".repeat(10)}</x>`;
    const id = await inbox.storeMessage(raw, "text/xml");
    expect(await inbox.storeMessage(raw, "text/xml")).toBe(id);
    expect(await inbox.readMessage(id)).toEqual({ raw, contentType: "text/xml" });
    expect(await inbox.readMessage("0".repeat(64))).toBeUndefined();
  });

  it("stores a 1 MB message that does not compress, across several binary chunks", async () => {
    let seed = 7;
    const noise = Array.from({ length: 1024 * 1024 - 16 }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return String.fromCharCode(33 + (seed % 90));
    }).join("");
    const id = await inbox.storeMessage(noise, "text/csv");
    expect((await inbox.readMessage(id))?.raw).toBe(noise);
  });

  it("claims an idempotency key once; a second claim returns the first delivery", async () => {
    const entry = {
      source: "workday" as const,
      idempotencyKey: "wid/with#odd?chars\\",
      messageId: "m1",
      employeeKey: "100482",
      now,
    };
    const first = await inbox.claim(entry);
    expect(first).toMatchObject({ claimed: true, item: { status: "received", employeeKey: "100482" } });
    const second = await inbox.claim({ ...entry, messageId: "m2" });
    expect(second).toMatchObject({
      claimed: false,
      existing: { messageId: "m1", idempotencyKey: entry.idempotencyKey },
    });
  });

  it("lets exactly one of many concurrent deliveries claim the key", async () => {
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        inbox.claim({ source: "events", idempotencyKey: "same", messageId: `m${i}`, now }),
      ),
    );
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
  });

  it("keeps the normalized event and status, and lists a batch's rows", async () => {
    await inbox.claim({ source: "batch", idempotencyKey: "b1:2", messageId: "m", batchId: "b1", now });
    await inbox.claim({ source: "batch", idempotencyKey: "b1:3", messageId: "m", batchId: "b1", now });
    await inbox.claim({ source: "batch", idempotencyKey: "b2:2", messageId: "m", batchId: "b2", now });
    // Batch ids that share a prefix with b1 or sort right next to it hold none of its rows.
    for (const other of ["b1x", "b10", "b1 "])
      await inbox.claim({
        source: "batch",
        idempotencyKey: `${other}:2`,
        messageId: "m",
        batchId: other,
        now,
      });
    await inbox.update("batch", "b1:2", { status: "accepted", event, now });
    await inbox.update("batch", "b1:3", {
      status: "quarantined",
      reason: "CSV row 3: worker.email is missing",
      field: "worker.email",
      now,
    });
    expect(await inbox.get("batch", "b1:2")).toMatchObject({ status: "accepted", event });
    const rows = await inbox.listBatch("b1");
    expect(rows.map((r) => [r.idempotencyKey, r.status])).toEqual([
      ["b1:2", "accepted"],
      ["b1:3", "quarantined"],
    ]);
    expect(rows[1]).toMatchObject({ reason: "CSV row 3: worker.email is missing", field: "worker.email" });
  });

  it("quarantines with a reason, lists open entries, and records replays", async () => {
    const entry = await quarantine.quarantine({
      source: "successfactors",
      idempotencyKey: "x:y",
      reason: "worker.email is missing",
      field: "worker.email",
      employeeKey: "82001",
      now,
    });
    expect(entry.id).toBe(quarantineId("successfactors", "x:y"));
    expect(entry.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await quarantine.list()).toEqual([entry]);

    const first = await quarantine.claimReplay(entry.id, now);
    if (first.kind !== "claimed") throw new Error(first.kind);
    expect(await quarantine.claimReplay(entry.id, now)).toEqual({
      kind: "in_progress",
      since: now.toISOString(),
    });
    await quarantine.finishReplay(entry.id, first.etag, {
      resolved: false,
      reason: "OData answered HTTP 503",
      now,
    });
    expect(await quarantine.get(entry.id)).toMatchObject({
      status: "open",
      replayCount: 1,
      reason: "OData answered HTTP 503",
    });

    const second = await quarantine.claimReplay(entry.id, now);
    if (second.kind !== "claimed") throw new Error(second.kind);
    await quarantine.finishReplay(entry.id, second.etag, { resolved: true, now });
    expect(await quarantine.claimReplay(entry.id, now)).toEqual({
      kind: "already_resolved",
      resolvedAt: now.toISOString(),
    });
    expect(await quarantine.list()).toEqual([]);
    expect(await quarantine.list({ includeResolved: true })).toEqual([
      expect.objectContaining({
        id: entry.id,
        status: "resolved",
        replayCount: 2,
        resolvedAt: now.toISOString(),
      }),
    ]);
    expect(await quarantine.get("missing")).toBeUndefined();
    expect(await quarantine.claimReplay("missing", now)).toEqual({ kind: "not_found" });
  });

  it("lets exactly one of twenty concurrent replays claim an entry, counting it once", async () => {
    const entry = await quarantine.quarantine({ source: "events", idempotencyKey: "e-1", reason: "x", now });
    const claims = await Promise.all(Array.from({ length: 20 }, () => quarantine.claimReplay(entry.id, now)));
    expect(claims.filter((c) => c.kind === "claimed")).toHaveLength(1);
    expect(claims.filter((c) => c.kind === "in_progress")).toHaveLength(19);
    expect(await quarantine.get(entry.id)).toMatchObject({ replayCount: 1 });
  });

  it("lists in pages with a continuation token", async () => {
    for (let i = 0; i < 5; i++)
      await quarantine.quarantine({ source: "events", idempotencyKey: `p-${i}`, reason: "x", now });
    const first = await quarantine.listPage({ pageSize: 2 });
    expect(first.items).toHaveLength(2);
    const second = await quarantine.listPage({ pageSize: 2, continuationToken: first.continuationToken });
    const third = await quarantine.listPage({ pageSize: 2, continuationToken: second.continuationToken });
    expect(third).toEqual({ items: [expect.anything()] });
    const ids = [...first.items, ...second.items, ...third.items].map((e) => e.idempotencyKey).sort();
    expect(ids).toEqual(["p-0", "p-1", "p-2", "p-3", "p-4"]);
  });
});
