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
    await Promise.all(Array.from({ length: 30 }, (_, n) => drain.store("workday", message(n))));
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
    await drain.store("successfactors", message(1));
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

  it("takes in and removes more entries than one transaction may hold", async () => {
    const journal = new IntakeJournal(azurite.tables());
    const entries = Array.from({ length: 150 }, (_, n) => {
      const receivedAt = new Date(Date.parse("2026-12-07T08:00:00Z") + n);
      return {
        id: journalEntryId(receivedAt),
        source: "workday" as const,
        message: message(n),
        receivedAt: receivedAt.toISOString(),
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
      { ...at("2026-12-07T08:00:02.000Z"), source: "workday", message: message(2) },
      {
        ...at("2026-12-07T08:00:01.000Z"),
        source: "successfactors",
        message: { raw: "{}", contentType: "application/json" },
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
    expect(seen.map((e) => [e.source, e.message.contentType, e.receivedAt])).toEqual([
      ["successfactors", "application/json", "2026-12-07T08:00:01.000Z"],
      ["workday", "text/xml", "2026-12-07T08:00:02.000Z"],
    ]);
    expect(await journal.receivedBefore(new Date("2026-12-08T00:00:00Z"), 10)).toEqual([]);
    // Removing rows another instance has removed already is not an error.
    await expect(journal.remove(seen.map((e) => e.id))).resolves.toBeUndefined();
  });
});
