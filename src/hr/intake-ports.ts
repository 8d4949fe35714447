/**
 * What the HR intake hands its events to, and what it needs to run: the ports between the intake and the
 * lifecycle, apart from the intake's rules themselves.
 */
import type { HrEvent, HrSource } from "../lifecycle/hr-event";
import type { InboxItem, InboxRepository, StoredMessage } from "../storage/inbox";
import type { QuarantineRepository } from "../storage/quarantine";
import type { Telemetry } from "../telemetry";
import type { PendingItem } from "./normalize";
import type { Parsed } from "./result";

/**
 * Hands an accepted event to whatever applies it (the employee's orchestration). It must be idempotent per
 * `idempotencyKey`: a replay hands the same event over again.
 */
export type DispatchPort = (
  event: HrEvent,
  meta: { source: HrSource; idempotencyKey: string; replay?: boolean },
) => Promise<void>;

/**
 * Hands over an item whose event is only known once HR is asked back: it goes into the employee's queue as
 * awaiting HR, and the employee's orchestration reads it back (`HrIntake.enrichDeferred`).
 */
export interface DeferPort {
  /** Stores the item in the employee's queue. Idempotent per `idempotencyKey`; never overwrites a read-back. */
  store(ref: {
    source: HrSource;
    idempotencyKey: string;
    employeeKey: string;
    receivedAt: string;
  }): Promise<void>;
  /**
   * Wakes or starts the employee's orchestration. It does not fail: the stored item is what the answer promises,
   * and a wake-up that is lost is made good by the inbox sweep.
   */
  wake(employeeKey: string): Promise<void>;
}

/**
 * Whether an accepted event is in its employee's queue. A delivery that died between accepting an event and
 * handing it over left it accepted but queued nowhere; when HR delivers it again, it is handed over then.
 */
export type HandedOverPort = (ref: {
  source: HrSource;
  idempotencyKey: string;
  employeeKey: string;
}) => Promise<boolean>;

/**
 * What reading a deferred item back from HR came to: the event (now in the inbox), quarantined for good (HR has
 * no such worker, the record is invalid), or HR did not answer (retry later; quarantined on the final attempt).
 */
export type EnrichmentOutcome =
  | { kind: "accepted"; event: HrEvent }
  | { kind: "quarantined"; reason: string }
  | { kind: "hr_unavailable"; reason: string };

/**
 * Stores a message before its answer and takes it into the inbox after it (`JournalDrain`): the sender of a
 * notification waits for one shared write, not for the inbox, the employee's queue and the wake-up.
 */
export interface JournalPort {
  /** `employeeKeys`: whom the message is about, so that one employee's messages are taken in in order. */
  store(source: HrSource, message: StoredMessage, employeeKeys: string[]): Promise<void>;
}

/** What replaying a quarantined item came to. */
export type ReplayResult =
  | { kind: "not_found" }
  | { kind: "already_resolved"; resolvedAt?: string }
  | { kind: "in_progress"; since: string }
  | { kind: "resolved"; event: HrEvent }
  | { kind: "still_quarantined"; reason: string; field?: string };

/** Re-reads a stored raw message into its pending items, for a replay. */
export type Reinterpreter = (
  message: StoredMessage,
  item: Pick<InboxItem, "receivedAt" | "batchId">,
) => Parsed<PendingItem[]>;

/** Log lines carry the source, the idempotency key and the employee key: never names, emails or secrets. */
export type IntakeLog = (message: string) => void;

export interface HrIntakeDependencies {
  inbox: InboxRepository;
  quarantine: QuarantineRepository;
  dispatch: DispatchPort;
  /**
   * Where items that read back from HR go, so the HTTP answer never waits for HR. Without it they are read back
   * before the answer, as the fallback for hosts with no orchestrations.
   */
  defer?: DeferPort;
  /**
   * Where messages whose every item is read back from HR go before their answer; without it (or for a message
   * too large for the journal) they are accepted before the answer.
   */
  journal?: JournalPort;
  /** Absent, every accepted event counts as handed over (hosts with no employee queues). */
  handedOver?: HandedOverPort;
  reinterpret: Partial<Record<HrSource, Reinterpreter>>;
  /** Each event is a span (its trace context is stored with the event) and counted by source and outcome. */
  telemetry?: Telemetry;
  now?: () => Date;
}
