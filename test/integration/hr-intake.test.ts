import { composeDependencies } from "../../src/compose";
import { createHandedOverCheck } from "../../src/functions/dispatch";
import { HrIntake, UNFINISHED_AFTER_MS } from "../../src/hr/intake";
import { WorkdayWorkersClient } from "../../src/hr/workday-client";
import type { PendingItem } from "../../src/hr/normalize";
import type { HrEvent } from "../../src/lifecycle/hr-event";
import { EmployeeRepository } from "../../src/storage/employees";
import { InboxRepository } from "../../src/storage/inbox";
import { JOURNAL_MAX_CHARS } from "../../src/storage/intake-journal";
import { QuarantineRepository } from "../../src/storage/quarantine";
import type { TableClientFactory } from "../../src/storage/tables";
import { useAzuriteTables } from "../support/tables";

const event: HrEvent = {
  eventId: "e-1",
  type: "change",
  effectiveDate: "2026-03-01",
  worker: { employeeId: "7", email: "a@example.com", firstName: "A", lastName: "B", title: "Agent" },
};

/** An intake whose dispatch only records the ids of the events it is handed. */
function recordingIntake(tables: TableClientFactory, inbox: InboxRepository, now?: () => Date) {
  const dispatched: string[] = [];
  const intake = new HrIntake({
    inbox,
    quarantine: new QuarantineRepository(tables),
    dispatch: async (e) => {
      dispatched.push(e.eventId);
    },
    reinterpret: {},
    ...(now ? { now } : {}),
  });
  return { intake, dispatched };
}

describe("HR intake pipeline (Azurite)", () => {
  const azurite = useAzuriteTables();

  it("finishes a delivery that was stored but never settled when it is redelivered later", async () => {
    const tables = azurite.tables();
    const inbox = new InboxRepository(tables);
    let clock = new Date("2026-01-15T10:00:00Z");
    const { intake, dispatched } = recordingIntake(tables, inbox, () => clock);
    // The first delivery dies after the claim: the row stays `received`.
    const messageId = await inbox.storeMessage("{}", "application/json");
    await inbox.claim({ source: "events", idempotencyKey: "e-1", messageId, now: clock });
    const item: PendingItem = { idempotencyKey: "e-1", normalize: async () => ({ ok: true, event }) };

    const soon = await intake.accept("events", { raw: "{}", contentType: "application/json" }, [item]);
    expect(soon).toEqual([expect.objectContaining({ status: "duplicate" })]);
    expect(dispatched).toEqual([]);

    clock = new Date(clock.getTime() + UNFINISHED_AFTER_MS + 1000);
    const later = await intake.accept("events", { raw: "{}", contentType: "application/json" }, [item]);
    expect(later).toEqual([expect.objectContaining({ status: "accepted" })]);
    expect(dispatched).toEqual(["e-1"]);
    expect(await inbox.get("events", "e-1")).toMatchObject({ status: "accepted" });
  });

  describe("a delivery that died between accepting an event and handing it over", () => {
    it("hands the event over when HR delivers it again, once the first delivery cannot still be running", async () => {
      const tables = azurite.tables();
      const inbox = new InboxRepository(tables);
      let clock = new Date("2026-01-15T10:00:00Z");
      const employees = new EmployeeRepository(azurite.table("employees"));
      const dispatched: string[] = [];
      const intake = new HrIntake({
        inbox,
        quarantine: new QuarantineRepository(tables),
        dispatch: async (e, meta) => {
          dispatched.push(e.eventId);
          await employees.enqueueEvent(e.worker.employeeId, {
            source: meta.source,
            idempotencyKey: meta.idempotencyKey,
            eventId: e.eventId,
            type: e.type,
            effectiveDate: e.effectiveDate,
            receivedAt: clock.toISOString(),
          });
        },
        handedOver: createHandedOverCheck({ employees }),
        reinterpret: {},
        now: () => clock,
      });
      // The first delivery died right after storing the event as accepted: no queue holds it.
      await inbox.claimAccepted([
        { source: "events", idempotencyKey: "e-1", messageId: "m-1", now: clock, event },
      ]);
      const item: PendingItem = { idempotencyKey: "e-1", normalize: async () => ({ ok: true, event }) };
      const deliver = () => intake.accept("events", { raw: "{}", contentType: "application/json" }, [item]);

      // Soon after, the first delivery might still be handing it over: a duplicate.
      expect(await deliver()).toEqual([expect.objectContaining({ status: "duplicate" })]);
      expect(dispatched).toEqual([]);

      clock = new Date(clock.getTime() + UNFINISHED_AFTER_MS + 1000);
      expect(await deliver()).toEqual([expect.objectContaining({ status: "accepted", eventId: "e-1" })]);
      expect(dispatched).toEqual(["e-1"]);
      expect(await employees.getEvent("7", "events:e-1")).toMatchObject({ status: "pending" });

      // Handed over now: later deliveries are duplicates, and a bulk row always waits for its batch.
      clock = new Date(clock.getTime() + UNFINISHED_AFTER_MS + 1000);
      expect(await deliver()).toEqual([expect.objectContaining({ status: "duplicate" })]);
      expect(dispatched).toEqual(["e-1"]);
      const check = createHandedOverCheck({ employees });
      expect(await check({ source: "batch", idempotencyKey: "b1:0000001", employeeKey: "7" })).toBe(true);
      expect(await check({ source: "events", idempotencyKey: "e-2", employeeKey: "7" })).toBe(false);
    });
  });

  describe("many events of one message at once", () => {
    const rowEvent = (n: number): HrEvent => ({
      ...event,
      eventId: `row-${n}`,
      type: "hire",
      worker: { ...event.worker, employeeId: String(1000 + n), email: `r${n}@example.com` },
    });
    const rows = (count: number): PendingItem[] =>
      Array.from({ length: count }, (_, i) => ({
        idempotencyKey: `b1:${String(i + 1).padStart(7, "0")}`,
        row: i + 2,
        employeeKey: String(1000 + i),
        normalize: async () =>
          i === 42
            ? { ok: false, problem: { reason: "title is required", field: "title" } }
            : { ok: true, event: rowEvent(i) },
      }));
    /** The inbox over Azurite, with every write to its items table counted by kind. */
    const setUp = () => {
      const tables = azurite.tables();
      const writes = { transactions: 0, creates: 0, updates: 0 };
      const counted: typeof tables = (name) => {
        const client = tables(name);
        if (name !== "hrinbox") return client;
        const wrap = <K extends "submitTransaction" | "createEntity" | "updateEntity">(
          method: K,
          kind: keyof typeof writes,
        ) => {
          const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
          (client as unknown as Record<K, unknown>)[method] = (...args: unknown[]) => {
            writes[kind] += 1;
            return original(...args);
          };
        };
        wrap("submitTransaction", "transactions");
        wrap("createEntity", "creates");
        wrap("updateEntity", "updates");
        return client;
      };
      const inbox = new InboxRepository(counted);
      const { intake, dispatched } = recordingIntake(tables, inbox);
      const accept = (items: PendingItem[]) =>
        intake.accept("batch", { raw: "csv", contentType: "text/csv" }, items, { batchId: "b1" });
      const acceptEvent = (item: PendingItem) =>
        intake.accept("events", { raw: "{}", contentType: "application/json" }, [item]);
      return { inbox, writes, dispatched, accept, acceptEvent };
    };

    it("stores valid rows already accepted, a hundred per write, and still quarantines the invalid one", async () => {
      const { inbox, writes, dispatched, accept } = setUp();
      const results = await accept(rows(250));

      // 249 valid rows in three transactions; the invalid row is claimed, then quarantined, on its own.
      expect(writes).toEqual({ transactions: 3, creates: 1, updates: 1 });
      expect(results.filter((r) => r.status === "accepted")).toHaveLength(249);
      expect(results[42]).toMatchObject({ status: "quarantined", row: 44, reason: "title is required" });
      expect(results[0]).toMatchObject({ status: "accepted", row: 2, employeeKey: "1000", eventId: "row-0" });
      expect(dispatched).toHaveLength(249);
      expect(await inbox.get("batch", "b1:0000250")).toMatchObject({
        status: "accepted",
        batchId: "b1",
        row: 251,
        employeeKey: "1249",
        event: rowEvent(249),
      });
    });

    it("stores a single event already accepted in one write, and a redelivery writes nothing", async () => {
      const { inbox, writes, dispatched, acceptEvent } = setUp();
      const [item] = rows(1);

      expect(await acceptEvent(item)).toEqual([
        expect.objectContaining({ status: "accepted", eventId: "row-0" }),
      ]);
      expect(writes).toEqual({ transactions: 0, creates: 1, updates: 0 });
      expect(await inbox.get("events", item.idempotencyKey)).toMatchObject({
        status: "accepted",
        employeeKey: "1000",
      });

      expect(await acceptEvent(item)).toEqual([expect.objectContaining({ status: "duplicate" })]);
      // The fast path's create is refused, then the claim's: neither changes the row.
      expect(writes).toEqual({ transactions: 0, creates: 3, updates: 0 });
      expect(dispatched).toEqual(["row-0"]);
    });

    it("takes a hundred one by one when one of them was seen before, and starts nothing for that one", async () => {
      const { inbox, dispatched, accept } = setUp();
      const seen = rows(150);
      await inbox.claimAccepted([
        {
          source: "batch",
          idempotencyKey: seen[120].idempotencyKey,
          messageId: "earlier",
          now: new Date(),
          event: rowEvent(120),
        },
      ]);

      const results = await accept(seen);

      expect(results[120]).toMatchObject({ status: "duplicate", eventId: "row-120" });
      expect(results.filter((r) => r.status === "accepted")).toHaveLength(148);
      expect(dispatched).not.toContain("row-120");
      expect(dispatched).toHaveLength(148);
      // The other rows of the hundred that held the duplicate were stored one by one, none lost.
      expect(await inbox.get("batch", seen[149].idempotencyKey)).toMatchObject({ status: "accepted" });
      const again = await accept(seen);
      expect(again.every((r) => r.status === "duplicate" || r.status === "quarantined")).toBe(true);
      expect(dispatched).toHaveLength(148);
    });
    it("hands the events it stored at once over a few at a time, not one after another", async () => {
      const tables = azurite.tables();
      // The first hand-over waits until the second has started: only hand-overs side by side finish.
      let secondStarted!: () => void;
      const second = new Promise<void>((resolve) => (secondStarted = resolve));
      const handedOver: string[] = [];
      const intake = new HrIntake({
        inbox: new InboxRepository(tables),
        quarantine: new QuarantineRepository(tables),
        dispatch: async (e) => {
          if (e.eventId === "row-0") await second;
          else secondStarted();
          handedOver.push(e.eventId);
        },
        reinterpret: {},
      });
      const results = await intake.accept("events", { raw: "[]", contentType: "application/json" }, rows(3));

      expect(results.map((r) => r.status)).toEqual(["accepted", "accepted", "accepted"]);
      expect(handedOver).toEqual(["row-1", "row-2", "row-0"]);
    });

    it("tells a key sent twice in one message apart as a duplicate instead of failing the whole write", async () => {
      const { dispatched, accept } = setUp();
      const [first, second] = rows(2);
      const results = await accept([first, second, { ...first, row: 4 }]);

      expect(results.map((r) => r.status)).toEqual(["accepted", "accepted", "duplicate"]);
      expect(dispatched).toEqual(["row-0", "row-1"]);
    });
  });

  describe("items read back from HR after the acknowledgement", () => {
    const raw = "<thin/>";
    let hrUp = false;
    let hrCalls = 0;
    const thin: PendingItem = {
      idempotencyKey: "wid-9",
      employeeKey: "7",
      readsBackFromHr: true,
      normalize: async () => {
        hrCalls += 1;
        if (!hrUp) throw new Error("Get_Workers for employee 7 answered HTTP 503");
        return { ok: true, event };
      },
    };
    const setUp = () => {
      const tables = azurite.tables();
      const inbox = new InboxRepository(tables);
      const quarantine = new QuarantineRepository(tables);
      const deferred: string[] = [];
      const dispatched: string[] = [];
      const woken: string[] = [];
      const intake = new HrIntake({
        inbox,
        quarantine,
        dispatch: async (e) => {
          dispatched.push(e.eventId);
        },
        defer: {
          store: async ({ idempotencyKey, employeeKey }) => {
            deferred.push(`${employeeKey}/${idempotencyKey}`);
          },
          // What the employee's orchestration would find if it ran at once: the item already marked.
          wake: async (employeeKey) => {
            woken.push(`${employeeKey}: ${(await inbox.get("workday", "wid-9"))?.status}`);
          },
        },
        reinterpret: { workday: () => ({ ok: true, value: [thin] }) },
      });
      return { inbox, quarantine, intake, deferred, dispatched, woken };
    };
    beforeEach(() => {
      hrUp = false;
      hrCalls = 0;
    });

    it("receive: journals a message whose items are all read back later, and accepts any other before answering", async () => {
      const tables = azurite.tables();
      const inbox = new InboxRepository(tables);
      const journaled: string[] = [];
      const intake = new HrIntake({
        inbox,
        quarantine: new QuarantineRepository(tables),
        dispatch: async () => undefined,
        defer: { store: async () => undefined, wake: async () => undefined },
        journal: {
          store: async (source, message) => {
            journaled.push(`${source}: ${message.raw}`);
          },
        },
        reinterpret: {},
      });
      const xml = (body: string) => ({ raw: body, contentType: "text/xml" });
      expect(await intake.receive("workday", xml(raw), [thin])).toEqual([
        { idempotencyKey: "wid-9", status: "accepted", employeeKey: "7" },
      ]);
      expect(journaled).toEqual([`workday: ${raw}`]);
      expect(await inbox.get("workday", "wid-9")).toBeUndefined();

      // No employee named, an event that arrived complete, a message too large for the journal: inbox first.
      const nameless: PendingItem = { ...thin, idempotencyKey: "wid-10", employeeKey: undefined };
      const complete: PendingItem = {
        idempotencyKey: "wid-11",
        employeeKey: "7",
        normalize: async () => ({ ok: true, event }),
      };
      const large = xml(`<thin>${"x".repeat(JOURNAL_MAX_CHARS)}</thin>`);
      await intake.receive("workday", xml("<nameless/>"), [nameless]);
      await intake.receive("workday", xml("<complete/>"), [complete]);
      await intake.receive("workday", large, [{ ...thin, idempotencyKey: "wid-12" }]);
      expect(journaled).toHaveLength(1);
      expect((await inbox.get("workday", "wid-10"))?.status).toBe("quarantined");
      expect((await inbox.get("workday", "wid-11"))?.status).toBe("accepted");
      expect((await inbox.get("workday", "wid-12"))?.status).toBe("awaiting_hr");
    });

    it("acknowledges without asking HR, and a redelivery is a duplicate that defers nothing", async () => {
      const { inbox, intake, deferred, dispatched, woken } = setUp();
      const message = { raw, contentType: "text/xml" };
      expect(await intake.accept("workday", message, [thin])).toEqual([
        { idempotencyKey: "wid-9", employeeKey: "7", status: "accepted" },
      ]);
      expect(await intake.accept("workday", message, [thin])).toEqual([
        expect.objectContaining({ status: "duplicate" }),
      ]);
      expect(hrCalls).toBe(0);
      expect(deferred).toEqual(["7/wid-9"]);
      expect(woken).toEqual(["7: awaiting_hr"]);
      expect(dispatched).toEqual([]);
      expect(await inbox.get("workday", "wid-9")).toMatchObject({ status: "awaiting_hr", employeeKey: "7" });
    });

    it("reports HR unavailable without quarantining, then stores the event once HR answers; again is the same", async () => {
      const { inbox, quarantine, intake } = setUp();
      await intake.accept("workday", { raw, contentType: "text/xml" }, [thin]);
      expect(await intake.enrichDeferred("workday", "wid-9")).toEqual({
        kind: "hr_unavailable",
        reason: "Get_Workers for employee 7 answered HTTP 503",
      });
      expect(await inbox.get("workday", "wid-9")).toMatchObject({ status: "awaiting_hr" });
      expect(await quarantine.list()).toEqual([]);

      hrUp = true;
      expect(await intake.enrichDeferred("workday", "wid-9")).toEqual({ kind: "accepted", event });
      expect(await inbox.get("workday", "wid-9")).toMatchObject({ status: "accepted", event });
      expect(await intake.enrichDeferred("workday", "wid-9")).toEqual({ kind: "accepted", event });
      expect(hrCalls).toBe(2);
    });

    it("quarantines on the final attempt while HR still does not answer, to be replayed later", async () => {
      const { inbox, quarantine, intake, dispatched } = setUp();
      await intake.accept("workday", { raw, contentType: "text/xml" }, [thin]);
      const final = await intake.enrichDeferred("workday", "wid-9", { finalAttempt: true });
      expect(final).toMatchObject({
        kind: "quarantined",
        reason: expect.stringMatching(/retry period.*HTTP 503/),
      });
      expect(await inbox.get("workday", "wid-9")).toMatchObject({ status: "quarantined" });
      const [entry] = await quarantine.list();
      expect(entry).toMatchObject({ idempotencyKey: "wid-9", employeeKey: "7" });

      hrUp = true;
      expect(await intake.replay(entry.id)).toEqual({ kind: "resolved", event });
      expect(dispatched).toEqual(["e-1"]);
    });
  });

  /** The app's settings on this Azurite, with a Genesys nobody answers at: composition only. */
  const settings = (extra: Record<string, string>) => ({
    TABLES_CONNECTION: azurite.connectionString,
    GENESYS_API_BASE_URL: "http://127.0.0.1:9",
    GENESYS_LOGIN_BASE_URL: "http://127.0.0.1:9",
    GENESYS_CLIENT_ID: "c",
    GENESYS_CLIENT_SECRET: "s",
    ...extra,
  });

  it("reports an unknown field-map entry through the health endpoint's configuration check", async () => {
    const errors = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const deps = composeDependencies(settings({ WORKDAY_RAAS_FIELD_MAP: '{"shoeSize":["x"]}' }));
    expect(deps.hr).toBeUndefined();
    await expect(deps.health.configuration()).rejects.toThrow(/WORKDAY_RAAS_FIELD_MAP/);
    errors.mockRestore();
  });

  it("composes the HR intake and the lifecycle from valid settings", () => {
    const deps = composeDependencies(
      settings({
        WORKDAY_API_URL: "http://localhost:8086/ccx/service/t/Human_Resources/v40.0",
        WORKDAY_API_USER: "isu",
        WORKDAY_API_PASSWORD: "p",
      }),
    );
    expect(deps.hr?.workers).toBeInstanceOf(WorkdayWorkersClient);
    expect(deps.hr?.odata).toBeUndefined();
    expect(deps.lifecycle?.activities.inbox).toBe(deps.hr?.inbox);
  });
});
