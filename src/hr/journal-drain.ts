import { AsyncLocalStorage } from "node:async_hooks";
import type { HrSource } from "../lifecycle/hr-event";
import { GroupCommit } from "../storage/group-commit";
import type { StoredMessage } from "../storage/inbox";
import {
  JOURNAL_CHARS_PER_WRITE,
  JOURNAL_ROWS_PER_WRITE,
  journalEntryId,
  type IntakeJournal,
  type JournalEntry,
} from "../storage/intake-journal";

/**
 * How long the intake must be quiet (no message journaled) before journaled messages are taken in: during a
 * burst of notifications, the answers come first and the work they set off waits. A steady stream is taken in
 * at least every MAX_HOLD_MS.
 */
const QUIET_MS = 100;
const MAX_HOLD_MS = 1_000;

/** Employees whose messages are taken into the inbox at the same time. */
const TAKEN_AT_ONCE = 8;

/** A journal entry older than this that is still there was left by a process that stopped before taking it in. */
export const LEFT_BEHIND_AFTER_MS = 60_000;

/** Entries one sweep takes in; the next sweep takes the rest. */
const RECOVERED_PER_SWEEP = 500;

interface Held {
  entry: JournalEntry;
  /** Runs work in the async context of the request that received the message (its Durable client, its trace). */
  inRequestContext: <R>(work: () => R) => R;
}

export interface JournalDrainOptions {
  journal: Pick<IntakeJournal, "write" | "remove" | "receivedBefore">;
  /** Takes one journaled message into the inbox (the intake's `accept`); safe to run twice for one message. */
  take: (entry: JournalEntry) => Promise<void>;
  /** Told about each run that takes messages in after their answer (the local host waits for them). */
  track?: (work: Promise<void>) => void;
  /** Failures only: source and entry id, never the message. */
  log?: (line: string) => void;
  now?: () => Date;
}

/**
 * Stores HR messages in the intake journal before their answer (group commits), and takes them into the inbox
 * after it, once the intake is quiet. A message whose taking-in fails stays in the journal, and so does one left
 * by a process that stopped: `recover`, run by a timer, takes in whatever has been there too long.
 */
export class JournalDrain {
  readonly #options: JournalDrainOptions;
  readonly #commits: GroupCommit<JournalEntry>;
  readonly #now: () => Date;
  #held: Held[] = [];
  /** Entries held or being taken in by this process: a sweep leaves them alone. */
  readonly #inHand = new Set<string>();
  #lastHeldAt = 0;
  #running = false;

  constructor(options: JournalDrainOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#commits = new GroupCommit((entries) => options.journal.write(entries), {
      maxItems: JOURNAL_ROWS_PER_WRITE,
      maxWeight: JOURNAL_CHARS_PER_WRITE,
      weigh: (entry) => entry.message.raw.length,
    });
  }

  /** Resolves once the message is in the journal; it is taken into the inbox after the caller's answer. */
  async store(source: HrSource, message: StoredMessage, employeeKeys: string[]): Promise<void> {
    const receivedAt = this.#now();
    const id = journalEntryId(receivedAt);
    const entry = { id, source, message, receivedAt: receivedAt.toISOString(), employeeKeys };
    await this.#commits.add(entry);
    this.#held.push({ entry, inRequestContext: AsyncLocalStorage.snapshot() });
    this.#inHand.add(entry.id);
    this.#lastHeldAt = performance.now();
    if (!this.#running) {
      this.#running = true;
      this.#options.track?.(this.#takeHeld());
    }
  }

  async #takeHeld(): Promise<void> {
    try {
      while (this.#held.length > 0) {
        await this.#quiet();
        await this.#takeIn(this.#held.splice(0));
      }
    } finally {
      // At once, not in a later callback: a message held in between would otherwise wait for the sweep.
      this.#running = false;
    }
  }

  /** Waits until nothing has been journaled for QUIET_MS, or MAX_HOLD_MS at most. */
  async #quiet(): Promise<void> {
    const latest = performance.now() + MAX_HOLD_MS;
    for (;;) {
      const wait = Math.min(this.#lastHeldAt + QUIET_MS, latest) - performance.now();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /**
   * Takes the entries in, a few employees at a time and each employee's in arrival order, then removes from the
   * journal those that were. After a failure, that employee's later entries wait in the journal too, so the sweep
   * takes them in after it, in order.
   */
  async #takeIn(batch: Held[]): Promise<number> {
    const lanes = new Map<string, Held[]>();
    for (const held of batch) {
      const lane = held.entry.employeeKeys.join(" ");
      const earlier = lanes.get(lane);
      if (earlier) earlier.push(held);
      else lanes.set(lane, [held]);
    }
    const queue = [...lanes.values()];
    const taken: string[] = [];
    const worker = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const { entry, inRequestContext } of lane) {
          try {
            await inRequestContext(() => this.#options.take(entry));
            taken.push(entry.id);
          } catch (error) {
            this.#options.log?.(
              `intake journal: ${entry.source} message ${entry.id} not taken in yet (${error instanceof Error ? error.message : String(error)}); the journal sweep tries again`,
            );
            break;
          }
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(TAKEN_AT_ONCE, queue.length) }, worker));
      await this.#options.journal.remove(taken);
    } catch (error) {
      this.#options.log?.(
        `intake journal: taken-in entries not removed (${error instanceof Error ? error.message : String(error)}); the journal sweep takes them in again, as duplicates`,
      );
    } finally {
      for (const { entry } of batch) this.#inHand.delete(entry.id);
    }
    return taken.length;
  }

  /**
   * Takes in the entries left in the journal for longer than LEFT_BEHIND_AFTER_MS: by a process that stopped
   * after the answer, or whose taking-in failed. Runs in the caller's context (the sweep's Durable client).
   * Returns how many were taken in.
   */
  async recover(): Promise<number> {
    const before = new Date(this.#now().getTime() - LEFT_BEHIND_AFTER_MS);
    const entries = (await this.#options.journal.receivedBefore(before, RECOVERED_PER_SWEEP)).filter(
      (entry) => !this.#inHand.has(entry.id),
    );
    for (const entry of entries) this.#inHand.add(entry.id);
    return this.#takeIn(entries.map((entry) => ({ entry, inRequestContext: (work) => work() })));
  }
}
