import type { HrEvent, HrSource } from "../lifecycle/hr-event";
import type { InboxItem, StoredMessage } from "../storage/inbox";
import { JOURNAL_MAX_CHARS } from "../storage/intake-journal";
import { quarantineId } from "../storage/quarantine";
import type { EnrichmentOutcome, HrIntakeDependencies, IntakeLog, ReplayResult } from "./intake-ports";
import { logValue } from "./log-value";
import type { NormalizeOutcome, PendingItem } from "./normalize";
import { ATTR, NO_TELEMETRY, SPANS, type Telemetry } from "../telemetry";

export type ItemStatus = "accepted" | "duplicate" | "quarantined";

/** Which stored item an outcome is for. */
interface ItemRef {
  source: HrSource;
  idempotencyKey: string;
  /** The employee, when known (from the event, or named by the message). */
  employeeKey?: string;
  /** A bulk row's number as people see it: the CSV line (header = line 1), or a JSON batch's item number. */
  row?: number;
}

export interface ItemResult {
  idempotencyKey: string;
  /** A bulk row's number as people see it: the CSV line (header = line 1), or a JSON batch's item number. */
  row?: number;
  status: ItemStatus;
  employeeKey?: string;
  eventId?: string;
  quarantineId?: string;
  reason?: string;
}

/** How many items of one message are normalized at the same time (callbacks to HR systems are the slow part). */
const CONCURRENCY = 8;

/** Events claimed per storage write on the fast path: a Table Storage transaction holds at most 100 rows. */
const CLAIMS_PER_WRITE = 100;

/**
 * An inbox row still `received` after this long belongs to a delivery that died between storing and settling
 * (a crashed worker, a host restart), and so does one `accepted` that never reached its employee's queue. A
 * redelivery then finishes the job instead of being dropped as a duplicate. It is longer than any HR callback
 * timeout, so a delivery still in flight is never taken over.
 */
export const UNFINISHED_AFTER_MS = 5 * 60 * 1000;

/**
 * The intake rules in one place: store the raw message, claim each event's idempotency key (a duplicate starts
 * nothing), normalize, then either hand the event over or quarantine it with the reason. A message is stored
 * before the HTTP handler answers, in the inbox or in the journal, so a 2xx always means "stored".
 */
export class HrIntake {
  readonly #deps: HrIntakeDependencies;
  readonly #now: () => Date;
  readonly #telemetry: Telemetry;

  constructor(deps: HrIntakeDependencies) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
    this.#telemetry = deps.telemetry ?? NO_TELEMETRY;
  }

  /**
   * What an HTTP intake calls. A message whose every item is read back from HR later (a thin notification) is
   * answered once it is in the journal, and taken into the inbox (`accept`) after the answer, where a repeated
   * delivery is told apart and starts nothing. Any other message is accepted before the answer.
   */
  async receive(
    source: HrSource,
    message: StoredMessage,
    items: PendingItem[],
    options: { log?: IntakeLog } = {},
  ) {
    const { journal, defer } = this.#deps;
    const readBackLater = items.length > 0 && items.every((i) => i.readsBackFromHr && i.employeeKey);
    if (!journal || !defer || !readBackLater || message.raw.length > JOURNAL_MAX_CHARS)
      return this.accept(source, message, items, options);
    await journal.store(source, message, [...new Set(items.map((i) => i.employeeKey!))]);
    return items.map(({ idempotencyKey, employeeKey }): ItemResult => {
      options.log?.(
        `${source} ${logValue(idempotencyKey)}: journaled for employee ${logValue(employeeKey)}; taken in after the answer`,
      );
      return { idempotencyKey, status: "accepted", employeeKey };
    });
  }

  async accept(
    source: HrSource,
    message: StoredMessage,
    items: PendingItem[],
    options: { batchId?: string; log?: IntakeLog } = {},
  ): Promise<ItemResult[]> {
    const messageId = await this.#deps.inbox.storeMessage(message.raw, message.contentType);
    const results: ItemResult[] = new Array<ItemResult>(items.length);
    const { claimed, oneByOne } = await this.#claimAtOnce(source, messageId, items, options.batchId);
    // Claimed events are handed over, the rest taken one by one, a few at a time either way.
    const jobs = [
      ...claimed.map(({ index, event }) => () => {
        const { idempotencyKey, row } = items[index];
        const ref = {
          source,
          idempotencyKey,
          employeeKey: event.worker.employeeId,
          ...(row === undefined ? {} : { row }),
        };
        return this.#handOver(ref, event, options.log).then((result) =>
          row === undefined ? result : { ...result, row },
        );
      }),
      ...oneByOne.map((index) => () => this.#acceptOne(source, messageId, items[index], options)),
    ];
    const positions = [...claimed.map(({ index }) => index), ...oneByOne];
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = next++;
        results[positions[job]] = await this.#observed(source, jobs[job]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, worker));
    return results;
  }

  /**
   * The fast path: the items that need no HR callback and normalize cleanly are claimed already accepted, a
   * hundred per write (a bulk batch of 500 rows costs five writes, not a thousand). The others are left to take
   * one by one: items that are invalid, read back from HR, repeat an earlier one, or were seen before.
   */
  async #claimAtOnce(
    source: HrSource,
    messageId: string,
    items: PendingItem[],
    batchId: string | undefined,
  ): Promise<{ claimed: Array<{ index: number; event: HrEvent }>; oneByOne: number[] }> {
    const claimed: Array<{ index: number; event: HrEvent }> = [];
    const oneByOne: number[] = [];
    const ready: Array<{ index: number; event: HrEvent }> = [];
    // A key twice in one write would fail the whole write, not tell the second one apart as a duplicate.
    const keys = new Set<string>();
    for (const [index, item] of items.entries()) {
      const fast = !item.readsBackFromHr && item.duplicateOf === undefined && !keys.has(item.idempotencyKey);
      const outcome = fast ? await normalizeSafely(item) : undefined;
      if (outcome?.ok) {
        ready.push({ index, event: outcome.event });
        keys.add(item.idempotencyKey);
      } else oneByOne.push(index);
    }
    const now = this.#now();
    for (let start = 0; start < ready.length; start += CLAIMS_PER_WRITE) {
      const chunk = ready.slice(start, start + CLAIMS_PER_WRITE);
      const stored = await this.#deps.inbox.claimAccepted(
        chunk.map(({ index, event }) => {
          const { idempotencyKey, row } = items[index];
          return {
            source,
            idempotencyKey,
            messageId,
            event,
            now,
            ...(row === undefined ? {} : { row }),
            ...(batchId === undefined ? {} : { batchId }),
          };
        }),
      );
      if (stored) claimed.push(...chunk);
      else oneByOne.push(...chunk.map(({ index }) => index));
    }
    return { claimed, oneByOne: oneByOne.sort((a, b) => a - b) };
  }

  /**
   * Runs one event's intake in its span, and counts it by source and outcome. The dispatch runs inside the
   * span, so the event is queued with this trace's context and its orchestration's activities join the trace.
   */
  #observed(source: HrSource, work: () => Promise<ItemResult>): Promise<ItemResult> {
    return this.#telemetry.inSpan(SPANS.hrEvent, { [ATTR.source]: source }, async (span) => {
      const result = await work();
      const attributes = {
        [ATTR.source]: source,
        [ATTR.outcome]: result.status,
        [ATTR.employeeKey]: result.employeeKey,
        [ATTR.eventId]: result.eventId,
      };
      span.set(attributes);
      this.#telemetry.count("hrEvents", { [ATTR.source]: source, [ATTR.outcome]: result.status });
      return result;
    });
  }

  async #acceptOne(
    source: HrSource,
    messageId: string,
    item: PendingItem,
    options: { batchId?: string; log?: IntakeLog },
  ): Promise<ItemResult> {
    const claim = await this.#deps.inbox.claim({
      source,
      idempotencyKey: item.idempotencyKey,
      messageId,
      ...(item.employeeKey === undefined ? {} : { employeeKey: item.employeeKey }),
      ...(item.duplicateOf === undefined ? {} : { duplicateOf: item.duplicateOf }),
      ...(item.row === undefined ? {} : { row: item.row }),
      ...(options.batchId === undefined ? {} : { batchId: options.batchId }),
      now: this.#now(),
    });
    const base = {
      idempotencyKey: item.idempotencyKey,
      ...(item.employeeKey === undefined ? {} : { employeeKey: item.employeeKey }),
    };
    if (!claim.claimed) {
      const existing = claim.existing;
      const unfinished = await this.#unfinished(source, existing);
      if (!unfinished) {
        options.log?.(
          `${source} ${logValue(item.idempotencyKey)}: duplicate delivery (first received ${existing.receivedAt}); nothing started`,
        );
        return {
          ...base,
          status: "duplicate",
          ...(existing.event ? { eventId: existing.event.eventId } : {}),
        };
      }
      options.log?.(
        `${source} ${logValue(item.idempotencyKey)}: finishing an earlier delivery that was ${unfinished}`,
      );
    }
    if (item.readsBackFromHr && item.employeeKey !== undefined && this.#deps.defer) {
      return this.#defer(source, { ...item, employeeKey: item.employeeKey }, options.log);
    }
    const outcome = await normalizeSafely(item);
    const ref = {
      source,
      idempotencyKey: item.idempotencyKey,
      ...(item.employeeKey === undefined ? {} : { employeeKey: item.employeeKey }),
      ...(item.row === undefined ? {} : { row: item.row }),
    };
    const result = await this.#settle(ref, outcome, options.log);
    return item.row === undefined ? result : { ...result, row: item.row };
  }

  /**
   * What a delivery seen before left undone, when it died before it was done: stored but never settled, or
   * accepted but never handed over to the employee's queue. Only after UNFINISHED_AFTER_MS, so a delivery still
   * in flight is never taken over; undefined when there is nothing to finish (a duplicate).
   */
  async #unfinished(source: HrSource, existing: InboxItem): Promise<string | undefined> {
    if (this.#now().getTime() - Date.parse(existing.updatedAt) <= UNFINISHED_AFTER_MS) return undefined;
    if (existing.status === "received") return "stored but never settled";
    const { handedOver } = this.#deps;
    const { idempotencyKey, employeeKey } = existing;
    if (existing.status !== "accepted" || !handedOver || employeeKey === undefined) return undefined;
    return (await handedOver({ source, idempotencyKey, employeeKey }))
      ? undefined
      : "accepted but never handed over";
  }

  /**
   * Queues the item for its employee's orchestration, marks it as awaiting HR, then wakes the orchestration. In
   * that order: a crash before the mark leaves the row `received`, and a redelivery finishes the job (queueing
   * again changes nothing); and the orchestration, woken after the mark, cannot read the item back before it.
   */
  async #defer(
    source: HrSource,
    item: PendingItem & { employeeKey: string },
    log?: IntakeLog,
  ): Promise<ItemResult> {
    const { idempotencyKey, employeeKey } = item;
    const defer = this.#deps.defer!;
    const now = this.#now();
    try {
      await defer.store({ source, idempotencyKey, employeeKey, receivedAt: now.toISOString() });
    } catch (error) {
      const reason = `dispatch failed: ${error instanceof Error ? error.message : String(error)}`;
      return this.#quarantine({ source, idempotencyKey, employeeKey }, { reason }, log);
    }
    await this.#deps.inbox.update(source, idempotencyKey, { status: "awaiting_hr", employeeKey, now });
    await defer.wake(employeeKey);
    log?.(
      `${source} ${logValue(idempotencyKey)}: stored for employee ${logValue(employeeKey)}; read back from HR in the employee's lifecycle`,
    );
    return { idempotencyKey, status: "accepted", employeeKey };
  }

  /**
   * Reads a deferred item back from HR and settles it: the event is stored in the inbox (the caller queues it),
   * or it is quarantined. An HR that does not answer is reported as such, to be tried again later; on the
   * final attempt it is quarantined, to be replayed once HR is back. Safe to run again: a settled item answers
   * what it settled as.
   */
  async enrichDeferred(
    source: HrSource,
    idempotencyKey: string,
    { finalAttempt = false, log }: { finalAttempt?: boolean; log?: IntakeLog } = {},
  ): Promise<EnrichmentOutcome> {
    const item = await this.#deps.inbox.get(source, idempotencyKey);
    if (!item) return { kind: "quarantined", reason: "the inbox has no such item" };
    if (item.status === "quarantined") return { kind: "quarantined", reason: item.reason ?? "quarantined" };
    if (item.event && item.status !== "awaiting_hr") return { kind: "accepted", event: item.event };
    const ref = {
      source,
      idempotencyKey,
      ...(item.employeeKey === undefined ? {} : { employeeKey: item.employeeKey }),
    };
    const pending = await this.#reread(item);
    if (!pending.ok) {
      return this.#quarantinedFor(await this.#quarantine(ref, pending.problem, log));
    }
    let outcome: NormalizeOutcome;
    try {
      outcome = await pending.item.normalize();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!finalAttempt) return { kind: "hr_unavailable", reason };
      outcome = {
        ok: false,
        problem: { reason: `HR did not answer for the whole retry period; last error: ${reason}` },
      };
    }
    if (!outcome.ok) return this.#quarantinedFor(await this.#quarantine(ref, outcome.problem, log));
    const { event } = outcome;
    await this.#deps.inbox.update(source, idempotencyKey, {
      status: "accepted",
      event,
      employeeKey: event.worker.employeeId,
      now: this.#now(),
    });
    log?.(
      `${source} ${logValue(idempotencyKey)}: read back from HR: ${event.type} for employee ${logValue(event.worker.employeeId)} effective ${event.effectiveDate}`,
    );
    return { kind: "accepted", event };
  }

  #quarantinedFor(result: ItemResult): EnrichmentOutcome {
    return { kind: "quarantined", reason: result.reason ?? "quarantined" };
  }

  /** The pending item of a stored inbox row, read again from its raw message. */
  async #reread(
    item: InboxItem,
  ): Promise<{ ok: true; item: PendingItem } | { ok: false; problem: { reason: string } }> {
    const message = await this.#deps.inbox.readMessage(item.messageId);
    if (!message) return { ok: false, problem: { reason: "the stored message is missing from the inbox" } };
    const reinterpret = this.#deps.reinterpret[item.source];
    if (!reinterpret)
      return { ok: false, problem: { reason: `messages from ${item.source} cannot be read again here` } };
    const parsed = reinterpret(message, item);
    if (!parsed.ok) return { ok: false, problem: { reason: parsed.error.message } };
    const pending = parsed.value.find((p) => p.idempotencyKey === item.idempotencyKey);
    return pending
      ? { ok: true, item: pending }
      : { ok: false, problem: { reason: "the stored message no longer yields this event" } };
  }

  /** Stores the outcome, then dispatches or quarantines. A failing dispatch is quarantined too: nothing is lost. */
  async #settle(
    ref: ItemRef,
    outcome: NormalizeOutcome,
    log?: IntakeLog,
    replaying = false,
  ): Promise<ItemResult> {
    const { source, idempotencyKey } = ref;
    if (outcome.ok) {
      const event = outcome.event;
      const employeeKey = event.worker.employeeId;
      await this.#deps.inbox.update(source, idempotencyKey, {
        status: "accepted",
        event,
        employeeKey,
        now: this.#now(),
      });
      return this.#handOver({ ...ref, employeeKey }, event, log, replaying);
    }
    return this.#quarantine(ref, outcome.problem, log, undefined, replaying);
  }

  /** Dispatches an event stored as accepted; a failing dispatch is quarantined. */
  async #handOver(
    ref: ItemRef & { employeeKey: string },
    event: HrEvent,
    log?: IntakeLog,
    replaying = false,
  ): Promise<ItemResult> {
    const { source, idempotencyKey, employeeKey } = ref;
    try {
      await this.#deps.dispatch(event, { source, idempotencyKey, ...(replaying ? { replay: true } : {}) });
    } catch (error) {
      const reason = `dispatch failed: ${error instanceof Error ? error.message : String(error)}`;
      return this.#quarantine(ref, { reason }, log, event, replaying);
    }
    log?.(
      `${source} ${logValue(idempotencyKey)}: ${event.type} for employee ${logValue(employeeKey)} effective ${event.effectiveDate} accepted`,
    );
    return { idempotencyKey, status: "accepted", employeeKey, eventId: event.eventId };
  }

  async #quarantine(
    { source, idempotencyKey, employeeKey, row }: ItemRef,
    problem: { reason: string; field?: string },
    log: IntakeLog | undefined,
    event?: HrEvent,
    replaying = false,
  ): Promise<ItemResult> {
    const now = this.#now();
    await this.#deps.inbox.update(source, idempotencyKey, {
      status: "quarantined",
      reason: problem.reason,
      ...(problem.field === undefined ? {} : { field: problem.field }),
      ...(event === undefined ? {} : { event }),
      now,
    });
    // A replay holds the entry (by its ETag) and writes the new reason when it finishes.
    const entry = replaying
      ? { id: quarantineId(source, idempotencyKey) }
      : await this.#deps.quarantine.quarantine({
          source,
          idempotencyKey,
          reason: problem.reason,
          ...(problem.field === undefined ? {} : { field: problem.field }),
          ...(employeeKey === undefined ? {} : { employeeKey }),
          ...(row === undefined ? {} : { row }),
          now,
        });
    // The reason may quote a value from the message, so only the field name is logged.
    log?.(
      `${source} ${logValue(idempotencyKey)}: quarantined as ${entry.id}${employeeKey ? ` (employee ${logValue(employeeKey)})` : ""}${problem.field ? `; field ${logValue(problem.field)}` : ""}`,
    );
    return {
      idempotencyKey,
      status: "quarantined",
      quarantineId: entry.id,
      reason: problem.reason,
      ...(employeeKey === undefined ? {} : { employeeKey }),
    };
  }

  /**
   * Replays a quarantined item from its stored raw message: read again (so a fixed field map, a configured
   * callback or a Workday that is back up all take effect), then dispatched or quarantined again. The entry is
   * claimed first: a resolved entry is not replayed again, and of concurrent replays only one dispatches.
   */
  async replay(id: string, log?: IntakeLog): Promise<ReplayResult> {
    const claim = await this.#deps.quarantine.claimReplay(id, this.#now());
    if (claim.kind !== "claimed") return claim;
    const { entry } = claim;
    const item = await this.#deps.inbox.get(entry.source, entry.idempotencyKey);
    const message = item ? await this.#deps.inbox.readMessage(item.messageId) : undefined;
    const reinterpret = this.#deps.reinterpret[entry.source];
    let outcome: NormalizeOutcome;
    if (!item || !message) {
      outcome = { ok: false, problem: { reason: "the stored message is missing from the inbox" } };
    } else if (!reinterpret) {
      outcome = { ok: false, problem: { reason: `messages from ${entry.source} cannot be replayed here` } };
    } else {
      const parsed = reinterpret(message, item);
      const pending = parsed.ok
        ? parsed.value.find((p) => p.idempotencyKey === entry.idempotencyKey)
        : undefined;
      outcome = pending
        ? await normalizeSafely(pending)
        : {
            ok: false,
            problem: {
              reason: parsed.ok ? "the stored message no longer yields this event" : parsed.error.message,
            },
          };
    }
    const ref = {
      source: entry.source,
      idempotencyKey: entry.idempotencyKey,
      ...(entry.employeeKey === undefined ? {} : { employeeKey: entry.employeeKey }),
      ...(entry.row === undefined ? {} : { row: entry.row }),
    };
    const result = await this.#observed(entry.source, () => this.#settle(ref, outcome, log, true));
    const resolved = result.status === "accepted";
    await this.#deps.quarantine.finishReplay(id, claim.etag, {
      resolved,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
      ...(!outcome.ok && outcome.problem.field !== undefined ? { field: outcome.problem.field } : {}),
      now: this.#now(),
    });
    if (resolved && outcome.ok) return { kind: "resolved", event: outcome.event };
    return {
      kind: "still_quarantined",
      reason: result.reason ?? "unknown",
      ...(!outcome.ok && outcome.problem.field !== undefined ? { field: outcome.problem.field } : {}),
    };
  }
}

/** A throwing normalizer (an HR callback that is down) becomes a quarantine reason, never a lost message. */
async function normalizeSafely(item: PendingItem): Promise<NormalizeOutcome> {
  try {
    return await item.normalize();
  } catch (error) {
    return { ok: false, problem: { reason: error instanceof Error ? error.message : String(error) } };
  }
}
