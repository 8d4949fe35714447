/**
 * An orchestration instance as the local Durable engine keeps it: the state it persists as one document,
 * the history next to it, the bookkeeping of timers and retries, and the status the HTTP API serves.
 * The functions here only read or build that data; the engine decides when they run.
 */
import { EventType, type Action, type HistoryEvent, type RetryOptionsJson } from "./protocol";
import type { InstanceSnapshot } from "./store";

export type RuntimeStatus = InstanceSnapshot["runtimeStatus"];

export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ["Completed", "Failed", "Terminated"];

/** The status JSON the Durable HTTP API serves; `DurableOrchestrationStatus` requires these fields. */
export interface OrchestrationStatus {
  name: string;
  instanceId: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: HistoryEvent[];
  history?: HistoryEvent[];
}

/** One callActivityWithRetry / callSubOrchestratorWithRetry task and the attempts made for it so far. */
export interface RetryTracker {
  kind: "activity" | "subOrchestration";
  name: string;
  input: unknown;
  instanceId?: string;
  options: RetryOptionsJson;
  failures: number;
  firstAttemptAt: number;
  lastFailure?: HistoryEvent;
  /** The retry window (retryTimeout) has closed: later attempts fail at once with the last failure. */
  expired: boolean;
}

export interface TimerInfo {
  fireAt: number;
  purpose: "user" | "retry" | "long";
  /** The task id of the retry task, or the id of the long timer's first sub-timer. */
  owner?: number;
  finalFireAt?: number;
}

export interface ParentTask {
  instanceId: string;
  taskId: number;
}

/** Everything about an instance except its history; persisted as one JSON document. */
export interface InstanceState extends InstanceSnapshot {
  parent?: ParentTask;
  inbox: HistoryEvent[];
  /** Flattened actions recorded for the current execution and the sequence number each took (or null). */
  actions: { action: Action; id: number | null }[];
  nextSeq: number;
  retries: Record<number, RetryTracker>;
  /** Attempt or retry-timer id → id of the retry task it belongs to. */
  retryOf: Record<number, number>;
  timers: Record<number, TimerInfo>;
  armedTimers: number[];
  /** Long timers: id of the first sub-timer → id of the sub-timer pending now. */
  longTimers: Record<number, number>;
  activities: Record<number, { name: string; input: unknown }>;
}

/** An instance in memory: its state, its history, how much of it is stored, and its armed timers. */
export interface LiveInstance {
  state: InstanceState;
  history: HistoryEvent[];
  persistedHistory: number;
  cancelTimers: Map<number, () => void>;
}

/** The JSON text of a value as history events carry it; undefined stays undefined. */
export function toJson(value: unknown): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

export function isTerminal(state: InstanceSnapshot): boolean {
  return TERMINAL_STATUSES.includes(state.runtimeStatus);
}

/** The bookkeeping of an execution that has not done anything yet. */
export function freshExecution() {
  return {
    actions: [],
    nextSeq: 0,
    retries: {},
    retryOf: {},
    timers: {},
    armedTimers: [],
    longTimers: {},
    activities: {},
  } satisfies Partial<InstanceState>;
}

/** A new instance, Pending, with its ExecutionStarted waiting in the inbox. */
export function newInstance(
  name: string,
  instanceId: string,
  input: unknown,
  options: { now: number; execution: number; parent?: ParentTask },
): LiveInstance {
  const now = new Date(options.now).toISOString();
  const encodedInput = toJson(input);
  const state: InstanceState = {
    instanceId,
    name,
    input: encodedInput,
    parent: options.parent,
    createdTime: now,
    lastUpdatedTime: now,
    runtimeStatus: "Pending",
    output: null,
    customStatus: null,
    execution: options.execution,
    inbox: [historyEvent(options.now, EventType.ExecutionStarted, { Name: name, Input: encodedInput })],
    ...freshExecution(),
  };
  return { state, history: [], persistedHistory: 0, cancelTimers: new Map() };
}

export function historyEvent(now: number, type: number, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    EventType: type,
    EventId: -1,
    IsPlayed: false,
    Timestamp: new Date(now).toISOString(),
    ...fields,
  };
}

/** A TaskFailed or SubOrchestrationInstanceFailed event for the task `taskId`. */
export function failureEvent(
  now: number,
  type: number,
  taskId: number,
  error: { name: string; message: string; stack?: string },
): HistoryEvent {
  return historyEvent(now, type, {
    TaskScheduledId: taskId,
    Reason: error.message,
    Details: error.stack ?? "",
    FailureDetails: { ErrorType: error.name, ErrorMessage: error.message, StackTrace: error.stack },
  });
}

/** What the determinism check compares, without inputs, so recorded actions stay small. */
export function stripAction(action: Action): Action {
  return {
    actionType: action.actionType,
    functionName: action.functionName,
    externalEventName: action.externalEventName,
    operation: action.operation,
  };
}

export function toStatus(
  live: LiveInstance,
  options: { showHistory?: boolean; showInput?: boolean },
): OrchestrationStatus {
  const { state } = live;
  const status: OrchestrationStatus = {
    name: state.name,
    instanceId: state.instanceId,
    runtimeStatus: state.runtimeStatus,
    input:
      options.showInput === false || state.input === undefined ? null : (JSON.parse(state.input) as unknown),
    customStatus: state.customStatus ?? null,
    output: state.output ?? null,
    createdTime: state.createdTime,
    lastUpdatedTime: state.lastUpdatedTime,
  };
  if (options.showHistory) {
    // The real API calls it historyEvents; the v3 SDK's DurableOrchestrationStatus reads `history`.
    status.historyEvents = live.history;
    status.history = live.history;
  }
  return status;
}

/**
 * continueAsNew: the instance starts its next execution in place, with fresh bookkeeping and an empty
 * history; events already waiting are kept for the new execution, after its start.
 */
export function beginNextExecution(live: LiveInstance, input: unknown, now: number): void {
  const { state } = live;
  const encoded = toJson(input);
  Object.assign(state, {
    input: encoded,
    execution: state.execution + 1,
    ...freshExecution(),
    runtimeStatus: "Running",
  } satisfies Partial<InstanceState>);
  state.inbox.unshift(historyEvent(now, EventType.ExecutionStarted, { Name: state.name, Input: encoded }));
  live.history = [];
  live.persistedHistory = 0;
}

/** The event that tells the parent of a sub-orchestration how it ended. */
export function completionForParent(
  state: InstanceState,
  parent: ParentTask,
  status: RuntimeStatus,
  output: unknown,
  now: number,
): HistoryEvent {
  return status === "Completed"
    ? historyEvent(now, EventType.SubOrchestrationInstanceCompleted, {
        TaskScheduledId: parent.taskId,
        Result: JSON.stringify(output ?? null),
      })
    : failureEvent(now, EventType.SubOrchestrationInstanceFailed, parent.taskId, {
        name: status === "Terminated" ? "TerminatedError" : "OrchestrationFailure",
        message: `Sub-orchestration '${state.name}' (${state.instanceId}) ${status.toLowerCase()}: ${String(output)}`,
      });
}
