import { JournalDrain, LEFT_BEHIND_AFTER_MS } from "../../../src/hr/journal-drain";
import { IntakeJournal, journalEntryId, type JournalEntry } from "../../../src/storage/intake-journal";
import { useAzuriteTables } from "../../support/tables";

const azurite = useAzuriteTables();

/** A drain on a fresh journal in Azurite, counting the journal's writes and recording what it takes in. */
function drainOnAzurite(options: { take?: (entry: JournalEntry) => Promise<void>; now?: () => Date } = {}) {
  const journal = new IntakeJournal(azurite.tables());
  const writes: number[] = [];
  const taken: string[] = [];
  const runs: Promise<void>[] = [];
  const logs: string[] = [];
  const drain = new JournalDrain({
    journal: {
      write: (entries) => {
        writes.push(entries.length);
        return journal.write(entries);
      },
      remove: (ids) => journal.remove(ids),
      receivedBefore: (before, limit) => journal.receivedBefore(before, limit),
    },
    take: async (entry) => {
      await options.take?.(entry);
      taken.push(entry.message.raw);
    },
    track: (run) => runs.push(run),
    log: (line) => logs.push(line),
    ...(options.now ? { now: options.now } : {}),
  });
  const left = () => journal.receivedBefore(new Date(Date.now() + 60_000), 1_000);
  return { journal, drain, writes, taken, logs, left, settled: () => Promise.all(runs) };
}

const message = (n: number) => ({ raw: `<notification n="${n}"/>`, contentType: "text/xml" });

describe("the intake journal and its drain (Azurite)", () => {
  it("stores a burst in fewer writes than messages, then takes each in once and empties the journal", async () => {
    const { drain, writes, taken, left, settled } = drainOnAzurite();
    await Promise.all(Array.from({ length: 30 }, (_, n) => drain.store("workday", message(n), [`E${n}`])));
    expect(writes.reduce((a, b) => a + b, 0)).toBe(30);
    expect(writes.length).toBeLessThan(30);
    // Answered: every message is in the journal, whether or not it has been taken in yet.
    await settled();
    expect([...taken].sort()).toEqual(Array.from({ length: 30 }, (_, n) => message(n).raw).sort());
    expect(await left()).toEqual([]);
  });

  it("keeps a message whose taking-in failed, and the sweep takes it in once it has waited a minute", async () => {
    let clock = Date.parse("2026-12-07T09:00:00Z");
    let failing = true;
    const { drain, taken, logs, left, settled } = drainOnAzurite({
      take: async () => {
        if (failing) throw new Error("the inbox did not answer");
      },
      now: () => new Date(clock),
    });
    await drain.store("successfactors", message(1), ["E1"]);
    await settled();
    expect(taken).toEqual([]);
    expect(logs.join("\n")).toMatch(
      /successfactors message .* not taken in yet \(the inbox did not answer\)/,
    );
    expect((await left()).map((e) => e.message.raw)).toEqual([message(1).raw]);

    failing = false;
    expect(await drain.recover()).toBe(0); // not a minute yet: its own process may still be at it
    clock += LEFT_BEHIND_AFTER_MS + 1_000;
    expect(await drain.recover()).toBe(1);
    expect(taken).toEqual([message(1).raw]);
    expect(await left()).toEqual([]);
  });

  it("takes one employee's messages in one after another, in arrival order, while other employees' go alongside", async () => {
    const events: string[] = [];
    const { drain, settled } = drainOnAzurite({
      take: async (entry) => {
        const n = entry.message.raw;
        events.push(`start ${n}`);
        // The first message of employee A is slow to take in: A's second must wait for it, B's need not.
        if (n === message(1).raw) await new Promise((resolve) => setTimeout(resolve, 100));
        events.push(`end ${n}`);
      },
    });
    await drain.store("workday", message(1), ["A"]);
    await drain.store("workday", message(2), ["A"]);
    await drain.store("workday", message(3), ["B"]);
    await settled();
    const at = (event: string) => events.indexOf(event);
    expect(at(`start ${message(2).raw}`)).toBeGreaterThan(at(`end ${message(1).raw}`));
    expect(at(`end ${message(3).raw}`)).toBeLessThan(at(`end ${message(1).raw}`));
  });

  it("after a failed taking-in, leaves that employee's later messages for the sweep, in order", async () => {
    let clock = Date.parse("2026-12-07T09:00:00Z");
    let failing = true;
    const { drain, taken, left, settled } = drainOnAzurite({
      take: async (entry) => {
        if (failing && entry.message.raw === message(1).raw) throw new Error("the inbox did not answer");
      },
      now: () => new Date((clock += 1)),
    });
    await drain.store("workday", message(1), ["A"]);
    await drain.store("workday", message(2), ["A"]);
    await drain.store("workday", message(3), ["B"]);
    await settled();
    expect(taken).toEqual([message(3).raw]);
    expect((await left()).map((e) => e.message.raw)).toEqual([message(1).raw, message(2).raw]);
    failing = false;
    clock += LEFT_BEHIND_AFTER_MS;
    expect(await drain.recover()).toBe(2);
    expect(taken).toEqual([message(3).raw, message(1).raw, message(2).raw]);
  });

  it("takes in and removes more entries than one transaction may hold", async () => {
    const journal = new IntakeJournal(azurite.tables());
    const entries = Array.from({ length: 150 }, (_, n) => {
      const receivedAt = new Date(Date.parse("2026-12-07T08:00:00Z") + n);
      return {
        id: journalEntryId(receivedAt),
        source: "workday" as const,
        message: message(n),
        receivedAt: receivedAt.toISOString(),
        employeeKeys: [`E${n}`],
      };
    });
    await journal.write(entries.slice(0, 100));
    await journal.write(entries.slice(100));
    let taken = 0;
    const drain = new JournalDrain({
      journal,
      take: async () => {
        taken += 1;
      },
      now: () => new Date("2026-12-07T09:00:00Z"),
    });
    expect(await drain.recover()).toBe(150);
    expect(taken).toBe(150);
    expect(await journal.receivedBefore(new Date("2026-12-08T00:00:00Z"), 1_000)).toEqual([]);
  });

  it("takes in what a stopped process left in the journal, in arrival order, keeping source and content type", async () => {
    const journal = new IntakeJournal(azurite.tables());
    const at = (iso: string) => ({ id: journalEntryId(new Date(iso)), receivedAt: iso });
    await journal.write([
      { ...at("2026-12-07T08:00:02.000Z"), source: "workday", message: message(2), employeeKeys: ["E2"] },
      {
        ...at("2026-12-07T08:00:01.000Z"),
        source: "successfactors",
        message: { raw: "{}", contentType: "application/json" },
        employeeKeys: ["E1", "E3"],
      },
    ]);
    const seen: JournalEntry[] = [];
    const drain = new JournalDrain({
      journal,
      take: async (entry) => {
        seen.push(entry);
      },
      now: () => new Date("2026-12-07T08:05:00Z"),
    });
    expect(await drain.recover()).toBe(2);
    expect(seen.map((e) => [e.source, e.message.contentType, e.receivedAt, e.employeeKeys])).toEqual([
      ["successfactors", "application/json", "2026-12-07T08:00:01.000Z", ["E1", "E3"]],
      ["workday", "text/xml", "2026-12-07T08:00:02.000Z", ["E2"]],
    ]);
    expect(await journal.receivedBefore(new Date("2026-12-08T00:00:00Z"), 10)).toEqual([]);
    // Removing rows another instance has removed already is not an error.
    await expect(journal.remove(seen.map((e) => e.id))).resolves.toBeUndefined();
  });
});
