/**
 * The local Durable Functions engine: it drives the app's registered orchestrators through the
 * durable-functions SDK's own replay (history in, OrchestratorState out), runs activities, timers,
 * sub-orchestrations and external events, and keeps every instance in a store so a restart resumes it.
 *
 * Completions are matched to tasks by sequence number only, so the engine numbers new actions exactly as
 * the SDK does (see flattenActions) and also mirrors the numbers the SDK takes without emitting an action:
 * the retry placeholders of callActivityWithRetry/callSubOrchestratorWithRetry and the sub-timers of long
 * timers. An event that makes the SDK take such a number is delivered first in its episode, so the number
 * the SDK takes is the next one, before any task the resumed orchestrator yields.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "./clock";
import { EntityScheduler, schedulerId, type EntityRecord } from "./entities";
import {
  ActionType,
  EventType,
  SCHEMA_VERSION,
  consumesSequenceNumber,
  decodeActionInput,
  describeAction,
  flattenActions,
  sameStep,
  stateFromFailure,
  toTimeSpan,
  type Action,
  type HistoryEvent,
  type OrchestratorState,
  type RetryOptionsJson,
} from "./protocol";
import type { DurableStore, InstanceSnapshot } from "./store";
import { WorkPool } from "./work-pool";

export type RuntimeStatus = "Pending" | "Running" | "Completed" | "Failed" | "Terminated" | "ContinuedAsNew";

export const TERMINAL_STATUSES: readonly RuntimeStatus[] = ["Completed", "Failed", "Terminated"];

/** How the engine runs the app's functions; the host passes the functions-core invoker. */
export interface FunctionRunner {
  /** Runs one orchestrator episode; resolves with the state or rejects with the SDK's failure. */
  runOrchestrator(name: string, bindingInfo: object): Promise<OrchestratorState>;
  /** Runs an activity and resolves with its result. */
  runActivity(name: string, input: unknown): Promise<unknown>;
  isOrchestrator(name: string): boolean;
  isActivity(name: string): boolean;
  /** Runs one batch of entity operations (the SDK's entity protocol). */
  runEntity(name: string, bindingInfo: object): Promise<EntityBatchResult>;
  /** The registered entity function for an entity name (names are case-insensitive). */
  entityFunction(name: string): string | undefined;
}

export interface EntityBatchResult {
  entityExists: boolean;
  entityState?: string;
  results: { isError: boolean; result?: string }[];
  signals: { target: { name: string; key: string }; name: string; input?: string }[];
}

export interface DurableEngineOptions {
  runner: FunctionRunner;
  clock: Clock;
  store: DurableStore;
  /** host.json durableTask.maxConcurrentActivityFunctions (10 when omitted). */
  maxConcurrentActivities?: number;
  /** Timers longer than this are split into sub-timers, as the extension does (6 days by default). */
  maximumShortTimerDurationInMs?: number;
  longRunningTimerIntervalInMs?: number;
  log?: (message: string) => void;
}

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

interface RetryTracker {
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

interface TimerInfo {
  fireAt: number;
  purpose: "user" | "retry" | "long";
  /** The task id of the retry task, or the id of the long timer's first sub-timer. */
  owner?: number;
  finalFireAt?: number;
}

/** Everything about an instance except its history; persisted as one JSON document. */
interface InstanceState extends InstanceSnapshot {
  parent?: { instanceId: string; taskId: number };
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

interface LiveInstance {
  state: InstanceState;
  history: HistoryEvent[];
  persistedHistory: number;
  cancelTimers: Map<number, () => void>;
}

const DAY = 86_400_000;

interface ActivityJob {
  instanceId: string;
  /** Results of an earlier execution (before continueAsNew) must not reach a later one. */
  execution: number;
  id: number;
  name: string;
  input: unknown;
  generation: number;
}

export class DurableEngine {
  private readonly instances = new Map<string, LiveInstance>();
  private readonly ready = new Set<string>();
  private pumping = false;
  private readonly activities: WorkPool<ActivityJob>;
  private pendingWrites = 0;
  private idleWaiters: (() => void)[] = [];
  private changeListeners = new Set<() => void>();
  private stopped = false;
  private readonly maxShortTimerMs: number;
  private readonly longTimerIntervalMs: number;
  private readonly writeChains = new Map<string, Promise<void>>();
  /** Bumped on stop so activity results that arrive late are dropped. */
  private generation = 0;
  private readonly entities: EntityScheduler;
  private entityWork = 0;
  /** Instances and entities with a write queued that has not started yet. */
  private readonly dirty = new Set<object>();

  constructor(private readonly options: DurableEngineOptions) {
    this.entities = new EntityScheduler({
      runEntity: (name, bindingInfo) => options.runner.runEntity(name, bindingInfo),
      entityFunction: (name) => options.runner.entityFunction(name),
      respond: (instanceId, requestId, response) =>
        this.deliver(
          instanceId,
          this.event(EventType.EventRaised, { Name: requestId, Input: JSON.stringify(response) }),
        ),
      persist: (entity) => this.persistEntity(entity),
      now: () => this.clock.now(),
      onWork: (delta) => {
        this.entityWork += delta;
        this.notifyIdle();
      },
    });
    this.activities = new WorkPool(
      Math.max(1, options.maxConcurrentActivities ?? 10),
      (job) => this.runActivity(job),
      () => this.notifyIdle(),
    );
    this.maxShortTimerMs = options.maximumShortTimerDurationInMs ?? 6 * DAY;
    this.longTimerIntervalMs = options.longRunningTimerIntervalInMs ?? 3 * DAY;
  }

  private get clock(): Clock {
    return this.options.clock;
  }

  /** Loads every instance from the store and resumes those still in flight (activities run again). */
  async resume(): Promise<void> {
    for (const { snapshot, history } of await this.options.store.loadAll()) {
      if (snapshot.instanceId.startsWith("@")) {
        this.entities.restore((snapshot as unknown as { entity: EntityRecord }).entity);
        continue;
      }
      const state = snapshot as InstanceState;
      const live: LiveInstance = {
        state,
        history,
        persistedHistory: history.length,
        cancelTimers: new Map(),
      };
      this.instances.set(state.instanceId, live);
      if (this.isTerminal(state)) continue;
      for (const id of state.armedTimers) this.armTimer(live, id);
      for (const [id, activity] of Object.entries(state.activities)) {
        this.enqueueActivity(state.instanceId, Number(id), activity.name, activity.input);
      }
      if (state.inbox.length > 0) this.markReady(state.instanceId);
    }
  }

  // ---- client operations ---------------------------------------------------------------------------------

  /** Starts an orchestration; an existing instance with the same id is replaced unless it is still running. */
  startNew(name: string, options: { instanceId?: string; input?: unknown } = {}): string {
    if (!this.options.runner.isOrchestrator(name)) {
      throw new OrchestrationNotFoundError(`No orchestrator function named '${name}' is registered.`);
    }
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, "");
    const existing = this.instances.get(instanceId);
    if (existing && !this.isTerminal(existing.state)) {
      throw new InstanceConflictError(
        `An instance with ID '${instanceId}' already exists and is ${existing.state.runtimeStatus}.`,
      );
    }
    this.createInstance(name, instanceId, options.input);
    return instanceId;
  }

  getStatus(instanceId: string, options: { showHistory?: boolean; showInput?: boolean } = {}) {
    const live = this.instances.get(instanceId);
    return live ? this.toStatus(live, options) : undefined;
  }

  listStatuses(
    filter: { runtimeStatus?: RuntimeStatus[]; createdTimeFrom?: Date; createdTimeTo?: Date } = {},
  ) {
    return [...this.instances.values()]
      .filter(({ state }) => !filter.runtimeStatus || filter.runtimeStatus.includes(state.runtimeStatus))
      .filter(({ state }) => !filter.createdTimeFrom || new Date(state.createdTime) >= filter.createdTimeFrom)
      .filter(({ state }) => !filter.createdTimeTo || new Date(state.createdTime) <= filter.createdTimeTo)
      .map((live) => this.toStatus(live, {}));
  }

  /** Queues an external event; events wait in the inbox until the orchestrator asks for them (FIFO per name). */
  raiseEvent(instanceId: string, eventName: string, data: unknown): "accepted" | "gone" | "notFound" {
    const live = this.instances.get(instanceId);
    if (!live) return "notFound";
    if (this.isTerminal(live.state)) return "gone";
    live.state.inbox.push(
      this.event(EventType.EventRaised, {
        Name: eventName,
        Input: data === undefined ? undefined : JSON.stringify(data),
      }),
    );
    this.touch(live);
    this.markReady(instanceId);
    return "accepted";
  }

  terminate(instanceId: string, reason: string): "accepted" | "gone" | "notFound" {
    const live = this.instances.get(instanceId);
    if (!live) return "notFound";
    if (this.isTerminal(live.state)) return "gone";
    live.history.push(this.event(EventType.ExecutionTerminated, { Input: JSON.stringify(reason) }));
    this.finish(live, "Terminated", reason);
    return "accepted";
  }

  /** Deletes an instance's history and status; true when there was one. */
  async purge(instanceId: string): Promise<boolean> {
    const live = this.instances.get(instanceId);
    if (!live) return false;
    for (const cancel of live.cancelTimers.values()) cancel();
    this.instances.delete(instanceId);
    this.ready.delete(instanceId);
    await this.write(instanceId, () => this.options.store.delete(instanceId));
    return true;
  }

  /** Sends an operation to an entity without waiting for it (client signalEntity). */
  signalEntity(name: string, key: string, operation: string, inputJson: string | undefined): void {
    this.entities.enqueue(schedulerId(name, key), operation, inputJson, { signal: true });
  }

  /** An entity's state, parsed; undefined when the entity does not exist. */
  readEntity(name: string, key: string): { state: unknown } | undefined {
    const entity = this.entities.read(schedulerId(name, key));
    if (!entity?.exists) return undefined;
    return { state: entity.state === undefined ? null : (JSON.parse(entity.state) as unknown) };
  }

  // ---- test helpers --------------------------------------------------------------------------------------

  /** Resolves when no episode, activity or write is pending (timers may still be waiting). */
  settle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * With the virtual clock: settles, then jumps to the next due timer, again and again, until nothing is
   * left but instances waiting for external events. With the real clock it only settles.
   */
  async runUntilIdle(): Promise<void> {
    for (;;) {
      await this.settle();
      if (!this.advanceToNextTimer()) return;
    }
  }

  /** The earliest armed timer, when the clock is virtual. */
  private advanceToNextTimer(): boolean {
    const clock = this.clock as Clock & {
      nextDue?: () => number | undefined;
      advanceTo?: (t: number) => void;
    };
    if (clock.kind !== "virtual" || !clock.nextDue || !clock.advanceTo) return false;
    const due = clock.nextDue();
    if (due === undefined) return false;
    clock.advanceTo(due);
    return true;
  }

  /**
   * Waits until the instance reaches one of `statuses` (a terminal one by default). With the virtual clock
   * it runs timers as needed and fails fast when the instance can make no more progress.
   */
  async waitForStatus(
    instanceId: string,
    statuses: readonly RuntimeStatus[] = TERMINAL_STATUSES,
    { timeoutInMs = 30_000 }: { timeoutInMs?: number } = {},
  ): Promise<OrchestrationStatus> {
    const matches = () => {
      const status = this.getStatus(instanceId);
      return status && statuses.includes(status.runtimeStatus) ? status : undefined;
    };
    if (this.clock.kind === "virtual") {
      for (;;) {
        await this.settle();
        const status = matches();
        if (status) return status;
        if (!this.advanceToNextTimer()) {
          const now = this.getStatus(instanceId);
          throw new Error(
            now
              ? `Instance '${instanceId}' is ${now.runtimeStatus} and has nothing left to do (waiting for an external event?); expected ${statuses.join("/")}.`
              : `No instance '${instanceId}'.`,
          );
        }
      }
    }
    return new Promise((resolve, reject) => {
      const check = () => {
        const status = matches();
        if (!status) return;
        cleanup();
        resolve(status);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`Instance '${instanceId}' did not reach ${statuses.join("/")} within ${timeoutInMs} ms.`),
        );
      }, timeoutInMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.changeListeners.delete(check);
      };
      this.changeListeners.add(check);
      check();
    });
  }

  /** Stops scheduling work; in-flight activities finish but their results are dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    this.entities.stop();
    for (const live of this.instances.values()) for (const cancel of live.cancelTimers.values()) cancel();
    this.activities.clear();
    await Promise.all(this.writeChains.values());
  }

  // ---- instances -----------------------------------------------------------------------------------------

  private createInstance(
    name: string,
    instanceId: string,
    input: unknown,
    parent?: { instanceId: string; taskId: number },
  ): LiveInstance {
    const previous = this.instances.get(instanceId);
    if (previous) for (const cancel of previous.cancelTimers.values()) cancel();
    const now = new Date(this.clock.now()).toISOString();
    const encodedInput = input === undefined ? undefined : JSON.stringify(input);
    const state: InstanceState = {
      instanceId,
      name,
      input: encodedInput,
      parent,
      createdTime: now,
      lastUpdatedTime: now,
      runtimeStatus: "Pending",
      output: null,
      customStatus: null,
      execution: (previous?.state.execution ?? 0) + 1,
      inbox: [this.event(EventType.ExecutionStarted, { Name: name, Input: encodedInput })],
      ...freshExecution(),
    };
    const live: LiveInstance = { state, history: [], persistedHistory: 0, cancelTimers: new Map() };
    this.instances.set(instanceId, live);
    this.persist(live);
    this.markReady(instanceId);
    return live;
  }

  private isTerminal(state: InstanceSnapshot): boolean {
    return TERMINAL_STATUSES.includes(state.runtimeStatus);
  }

  private toStatus(
    live: LiveInstance,
    options: { showHistory?: boolean; showInput?: boolean },
  ): OrchestrationStatus {
    const { state } = live;
    const status: OrchestrationStatus = {
      name: state.name,
      instanceId: state.instanceId,
      runtimeStatus: state.runtimeStatus,
      input:
        options.showInput === false || state.input === undefined
          ? null
          : (JSON.parse(state.input) as unknown),
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

  private event(type: number, fields: Partial<HistoryEvent> = {}): HistoryEvent {
    return {
      EventType: type,
      EventId: -1,
      IsPlayed: false,
      Timestamp: new Date(this.clock.now()).toISOString(),
      ...fields,
    };
  }

  private touch(live: LiveInstance): void {
    live.state.lastUpdatedTime = new Date(this.clock.now()).toISOString();
    this.persist(live);
  }

  private deliver(instanceId: string, event: HistoryEvent): void {
    const live = this.instances.get(instanceId);
    if (!live || this.isTerminal(live.state)) return;
    live.state.inbox.push(event);
    this.persist(live);
    this.markReady(instanceId);
  }

  // ---- the episode loop ----------------------------------------------------------------------------------

  private markReady(instanceId: string): void {
    if (this.stopped) return;
    this.ready.add(instanceId);
    if (!this.pumping) {
      this.pumping = true;
      setImmediate(() => void this.pump());
    }
  }

  private async pump(): Promise<void> {
    try {
      while (this.ready.size > 0 && !this.stopped) {
        const instanceId = this.ready.values().next().value as string;
        this.ready.delete(instanceId);
        const live = this.instances.get(instanceId);
        if (!live || this.isTerminal(live.state) || live.state.inbox.length === 0) continue;
        try {
          await this.runEpisode(live);
        } catch (error) {
          this.fail(live, `The local host could not run an episode: ${errorText(error)}`);
        }
        if (live.state.inbox.length > 0 && !this.isTerminal(live.state)) this.ready.add(instanceId);
      }
    } finally {
      this.pumping = false;
      this.notifyIdle();
    }
  }

  /** Whether delivering this event makes the SDK take a sequence number without emitting an action. */
  private takesHiddenNumber(state: InstanceState, event: HistoryEvent, now: number): boolean {
    if (
      event.EventType === EventType.TaskFailed ||
      event.EventType === EventType.SubOrchestrationInstanceFailed
    ) {
      return state.retryOf[event.TaskScheduledId ?? -1] !== undefined;
    }
    if (event.EventType === EventType.TimerFired) {
      const timer = state.timers[event.TimerId ?? -1];
      if (timer?.purpose === "retry") {
        const retry = state.retries[timer.owner ?? -1];
        return retry !== undefined && retry.failures < retry.options.maxNumberOfAttempts;
      }
      if (timer?.purpose === "long") return (timer.finalFireAt ?? 0) > now;
    }
    return false;
  }

  /**
   * Events for one episode: an event that takes a hidden number only ever comes first. They stay in the inbox
   * until the episode is committed, so a write (or a crash) in between never loses them.
   */
  private peekBatch(state: InstanceState, now: number): HistoryEvent[] {
    let count = 0;
    while (count < state.inbox.length) {
      if (count > 0 && this.takesHiddenNumber(state, state.inbox[count], now)) break;
      count++;
    }
    return state.inbox.slice(0, count);
  }

  private async runEpisode(live: LiveInstance): Promise<void> {
    const { state } = live;
    const now = this.clock.now();
    const batch = this.peekBatch(state, now);
    const started = this.event(EventType.OrchestratorStarted);
    const newEvents = [started, ...batch];
    const history = [...live.history.map((e) => ({ ...e, IsPlayed: true })), ...newEvents];
    if (state.runtimeStatus === "Pending") state.runtimeStatus = "Running";

    const bindingInfo = {
      history,
      input: state.input === undefined ? undefined : (JSON.parse(state.input) as unknown),
      instanceId: state.instanceId,
      isReplaying: live.history.length > 0,
      parentInstanceId: state.parent?.instanceId,
      upperSchemaVersion: SCHEMA_VERSION,
      upperSchemaVersionNew: SCHEMA_VERSION,
      maximumShortTimerDuration: toTimeSpan(this.maxShortTimerMs),
      longRunningTimerIntervalDuration: toTimeSpan(this.longTimerIntervalMs),
      defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
    };
    let orchestratorState: OrchestratorState;
    let failed = false;
    try {
      orchestratorState = await this.options.runner.runOrchestrator(state.name, bindingInfo);
    } catch (error) {
      const fromSdk = stateFromFailure(error);
      if (!fromSdk) {
        live.history.push(...newEvents);
        return this.fail(live, errorText(error));
      }
      orchestratorState = fromSdk;
      failed = true;
    }
    if (this.isTerminal(state)) return; // terminated while the episode ran
    state.inbox.splice(0, batch.length); // events that arrived meanwhile stay queued behind them
    live.history.push(...newEvents);

    // The numbers the SDK took while processing the delivered events come before any new task's number.
    for (const event of batch) this.afterDelivery(live, event, now);

    const flat = flattenActions(orchestratorState);
    const mismatch = this.checkDeterminism(state, flat);
    if (mismatch) return this.fail(live, mismatch);
    state.customStatus = orchestratorState.customStatus ?? null;
    if (failed) return this.fail(live, orchestratorState.error ?? "The orchestrator failed.");

    for (let i = 0; i < state.actions.length && i < flat.length; i++) {
      const recorded = state.actions[i];
      if (flat[i].actionType === ActionType.CreateTimer && flat[i].isCanceled && recorded.id !== null) {
        this.cancelTimer(live, recorded.id);
      }
    }
    let continueAsNew: Action | undefined;
    for (const action of flat.slice(state.actions.length)) {
      const id = consumesSequenceNumber(action) ? state.nextSeq++ : null;
      state.actions.push({ action: stripAction(action), id });
      if (action.actionType === ActionType.ContinueAsNew) continueAsNew = action;
      else if (id !== null) this.schedule(live, action, id, now);
      if (this.isTerminal(state)) return;
    }

    live.history.push(this.event(EventType.OrchestratorCompleted));
    if (continueAsNew && orchestratorState.isDone)
      return this.continueAsNew(live, decodeActionInput(continueAsNew));
    if (orchestratorState.isDone) {
      live.history.push(
        this.event(EventType.ExecutionCompleted, {
          OrchestrationStatus: "Completed",
          Result: JSON.stringify(orchestratorState.output ?? null),
        }),
      );
      return this.finish(live, "Completed", orchestratorState.output ?? null);
    }
    this.touch(live);
  }

  /** The determinism check the SDK itself does not do: replay must ask for what the history recorded. */
  private checkDeterminism(state: InstanceState, flat: Action[]): string | undefined {
    for (let i = 0; i < state.actions.length && i < flat.length; i++) {
      const recorded = state.actions[i];
      if (sameStep(recorded.action, flat[i])) continue;
      const where = recorded.id !== null ? `sequence number ${recorded.id}` : `action #${i}`;
      return (
        `Non-deterministic workflow detected in orchestrator '${state.name}' (instance '${state.instanceId}'): ` +
        `at ${where} the history has ${describeAction(recorded.action)}, but the replay asked for ` +
        `${describeAction(flat[i])}. Orchestrator code must make the same calls in the same order on every replay ` +
        `(no Date.now, Math.random, I/O or changed code for in-flight instances).`
      );
    }
    return undefined;
  }

  /** Mirrors the SDK's hidden numbers for retries and long timers, and schedules what follows from them. */
  private afterDelivery(live: LiveInstance, event: HistoryEvent, now: number): void {
    const { state } = live;
    if (
      event.EventType === EventType.TaskFailed ||
      event.EventType === EventType.SubOrchestrationInstanceFailed
    ) {
      const owner = state.retryOf[event.TaskScheduledId ?? -1];
      if (owner === undefined) return;
      const retry = state.retries[owner];
      retry.failures++;
      retry.lastFailure = event;
      const timerId = state.nextSeq++;
      state.retryOf[timerId] = owner;
      const delay = retryDelay(retry, now);
      if (delay === undefined) retry.expired = true;
      this.createTimer(live, timerId, { fireAt: now + (delay ?? 0), purpose: "retry", owner });
      return;
    }
    if (event.EventType !== EventType.TimerFired) return;
    const timer = state.timers[event.TimerId ?? -1];
    if (!timer) return;
    delete state.timers[event.TimerId ?? -1];
    if (timer.purpose === "retry") {
      const retry = state.retries[timer.owner!];
      if (retry.failures >= retry.options.maxNumberOfAttempts) return;
      const attemptId = state.nextSeq++;
      state.retryOf[attemptId] = timer.owner!;
      if (retry.expired && retry.lastFailure) {
        // DTFx stops retrying once retryTimeout has passed; the SDK still counts attempts, so each one fails
        // at once with the last failure until the SDK gives up.
        this.deliver(state.instanceId, { ...retry.lastFailure, TaskScheduledId: attemptId });
        return;
      }
      this.startAttempt(live, retry, attemptId, now);
    } else if (timer.purpose === "long" && timer.finalFireAt !== undefined && timer.finalFireAt > now) {
      const nextId = state.nextSeq++;
      const first = timer.owner!;
      state.longTimers[first] = nextId;
      const fireAt =
        timer.finalFireAt - now > this.maxShortTimerMs ? now + this.longTimerIntervalMs : timer.finalFireAt;
      this.createTimer(live, nextId, {
        fireAt,
        purpose: "long",
        owner: first,
        finalFireAt: timer.finalFireAt,
      });
    }
  }

  private schedule(live: LiveInstance, action: Action, id: number, now: number): void {
    const { state } = live;
    switch (action.actionType) {
      case ActionType.CallActivity:
        return this.scheduleActivity(live, id, action.functionName!, decodeActionInput(action));
      case ActionType.CallActivityWithRetry:
      case ActionType.CallSubOrchestratorWithRetry: {
        const retry: RetryTracker = {
          kind: action.actionType === ActionType.CallActivityWithRetry ? "activity" : "subOrchestration",
          name: action.functionName!,
          input: decodeActionInput(action),
          instanceId: action.instanceId,
          options: action.retryOptions!,
          failures: 0,
          firstAttemptAt: now,
          expired: false,
        };
        state.retries[id] = retry;
        state.retryOf[id] = id;
        return this.startAttempt(live, retry, id, now);
      }
      case ActionType.CallSubOrchestrator:
        return this.startSubOrchestration(live, id, action.functionName!, action.instanceId, action.input);
      case ActionType.CallEntity:
      case ActionType.SignalEntity: {
        const signal = action.actionType === ActionType.SignalEntity;
        const requestId = randomUUID();
        const inputJson = action.input === undefined ? undefined : JSON.stringify(action.input);
        live.history.push(
          this.event(EventType.EventSent, {
            EventId: id,
            InstanceId: action.instanceId,
            Name: action.operation,
            Input: JSON.stringify({
              id: requestId,
              op: action.operation,
              signal,
              input: inputJson,
              parent: state.instanceId,
            }),
          }),
        );
        this.entities.enqueue(action.instanceId!, action.operation!, inputJson, {
          signal,
          parentInstanceId: signal ? undefined : state.instanceId,
          requestId,
        });
        return;
      }
      case ActionType.CreateTimer: {
        const fireAt = Date.parse(action.fireAt!);
        if (fireAt - now > this.maxShortTimerMs) {
          state.longTimers[id] = id;
          return this.createTimer(live, id, {
            fireAt: now + this.longTimerIntervalMs,
            purpose: "long",
            owner: id,
            finalFireAt: fireAt,
          });
        }
        return this.createTimer(live, id, { fireAt, purpose: "user" });
      }
      default:
        return this.fail(
          live,
          `Orchestrator '${state.name}' asked for ${describeAction(action)}, which the local host does not support ` +
            `(entity locks and callHttp run only on the real Durable extension).`,
        );
    }
  }

  private startAttempt(live: LiveInstance, retry: RetryTracker, attemptId: number, _now: number): void {
    if (retry.kind === "activity") return this.scheduleActivity(live, attemptId, retry.name, retry.input);
    this.startSubOrchestration(live, attemptId, retry.name, retry.instanceId, retry.input);
  }

  private scheduleActivity(live: LiveInstance, id: number, name: string, input: unknown): void {
    live.history.push(
      this.event(EventType.TaskScheduled, {
        EventId: id,
        Name: name,
        Input: input === undefined ? undefined : JSON.stringify(input),
      }),
    );
    live.state.activities[id] = { name, input };
    this.enqueueActivity(live.state.instanceId, id, name, input);
  }

  private startSubOrchestration(
    live: LiveInstance,
    id: number,
    name: string,
    instanceId: string | undefined,
    input: unknown,
  ): void {
    const childId = instanceId ?? `${live.state.instanceId}:${id}`;
    live.history.push(
      this.event(EventType.SubOrchestrationInstanceCreated, {
        EventId: id,
        Name: name,
        InstanceId: childId,
        Input: input === undefined ? undefined : JSON.stringify(input),
      }),
    );
    if (!this.options.runner.isOrchestrator(name)) {
      this.deliver(
        live.state.instanceId,
        this.failureEvent(EventType.SubOrchestrationInstanceFailed, id, {
          name: "Error",
          message: `No orchestrator function named '${name}' is registered.`,
        }),
      );
      return;
    }
    this.createInstance(name, childId, input, { instanceId: live.state.instanceId, taskId: id });
  }

  private createTimer(live: LiveInstance, id: number, timer: TimerInfo): void {
    live.state.timers[id] = timer;
    live.history.push(
      this.event(EventType.TimerCreated, { EventId: id, FireAt: new Date(timer.fireAt).toISOString() }),
    );
    live.state.armedTimers.push(id);
    this.armTimer(live, id);
  }

  private armTimer(live: LiveInstance, id: number): void {
    const timer = live.state.timers[id];
    if (!timer) return;
    const cancel = this.clock.schedule(timer.fireAt, () => {
      live.cancelTimers.delete(id);
      live.state.armedTimers = live.state.armedTimers.filter((t) => t !== id);
      this.deliver(
        live.state.instanceId,
        this.event(EventType.TimerFired, { TimerId: id, FireAt: new Date(timer.fireAt).toISOString() }),
      );
    });
    live.cancelTimers.set(id, cancel);
  }

  /** Cancels a timer the orchestrator abandoned (the loser of Task.any); for a long timer, its current leg. */
  private cancelTimer(live: LiveInstance, id: number): void {
    const current = live.state.longTimers[id] ?? id;
    const cancel = live.cancelTimers.get(current);
    if (!cancel) return;
    cancel();
    live.cancelTimers.delete(current);
    live.state.armedTimers = live.state.armedTimers.filter((t) => t !== current);
    delete live.state.timers[current];
  }

  private continueAsNew(live: LiveInstance, input: unknown): void {
    const { state } = live;
    for (const cancel of live.cancelTimers.values()) cancel();
    live.cancelTimers.clear();
    const encoded = input === undefined ? undefined : JSON.stringify(input);
    Object.assign(state, {
      input: encoded,
      execution: state.execution + 1,
      ...freshExecution(),
      runtimeStatus: "Running",
    } satisfies Partial<InstanceState>);
    // Events already waiting are kept for the new execution, after its start.
    state.inbox.unshift(this.event(EventType.ExecutionStarted, { Name: state.name, Input: encoded }));
    live.history = [];
    live.persistedHistory = 0;
    this.touch(live);
    this.markReady(state.instanceId);
  }

  private fail(live: LiveInstance, message: string): void {
    this.options.log?.(`Orchestration '${live.state.name}' (${live.state.instanceId}) failed: ${message}`);
    live.history.push(
      this.event(EventType.ExecutionCompleted, {
        OrchestrationStatus: "Failed",
        Result: JSON.stringify(message),
      }),
    );
    this.finish(live, "Failed", message);
  }

  private finish(live: LiveInstance, status: RuntimeStatus, output: unknown): void {
    const { state } = live;
    state.runtimeStatus = status;
    state.output = output;
    state.inbox = [];
    state.activities = {};
    state.armedTimers = [];
    for (const cancel of live.cancelTimers.values()) cancel();
    live.cancelTimers.clear();
    this.touch(live);
    const parent = state.parent;
    if (parent) {
      this.deliver(
        parent.instanceId,
        status === "Completed"
          ? this.event(EventType.SubOrchestrationInstanceCompleted, {
              TaskScheduledId: parent.taskId,
              Result: JSON.stringify(output ?? null),
            })
          : this.failureEvent(EventType.SubOrchestrationInstanceFailed, parent.taskId, {
              name: status === "Terminated" ? "TerminatedError" : "OrchestrationFailure",
              message: `Sub-orchestration '${state.name}' (${state.instanceId}) ${status.toLowerCase()}: ${String(output)}`,
            }),
      );
    }
  }

  private failureEvent(
    type: number,
    taskId: number,
    error: { name: string; message: string; stack?: string },
  ) {
    return this.event(type, {
      TaskScheduledId: taskId,
      Reason: error.message,
      Details: error.stack ?? "",
      FailureDetails: { ErrorType: error.name, ErrorMessage: error.message, StackTrace: error.stack },
    });
  }

  // ---- activities ----------------------------------------------------------------------------------------

  private enqueueActivity(instanceId: string, id: number, name: string, input: unknown): void {
    if (this.stopped) return;
    const execution = this.instances.get(instanceId)?.state.execution ?? 0;
    this.activities.push({ instanceId, execution, id, name, input, generation: this.generation });
  }

  private async runActivity(job: ActivityJob): Promise<void> {
    let completion: HistoryEvent;
    try {
      if (!this.options.runner.isActivity(job.name)) {
        throw new Error(`No activity function named '${job.name}' is registered.`);
      }
      const result = await this.options.runner.runActivity(job.name, job.input);
      completion = this.event(EventType.TaskCompleted, {
        TaskScheduledId: job.id,
        Result: JSON.stringify(result ?? null),
      });
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      completion = this.failureEvent(EventType.TaskFailed, job.id, err);
    }
    if (job.generation !== this.generation) return;
    const live = this.instances.get(job.instanceId);
    if (!live || live.state.execution !== job.execution || !(job.id in live.state.activities)) return;
    delete live.state.activities[job.id];
    this.deliver(job.instanceId, completion);
  }

  // ---- persistence and idleness --------------------------------------------------------------------------

  /**
   * Queues a write of the entity's state. Writes coalesce: one queued write takes whatever the state is when
   * it runs, so a burst of changes costs one write.
   */
  private persistEntity(entity: EntityRecord): void {
    this.notifyChange();
    if (!this.options.store.persistent || this.dirty.has(entity)) return;
    this.dirty.add(entity);
    void this.write(entity.schedulerId, async () => {
      this.dirty.delete(entity);
      const snapshot = {
        instanceId: entity.schedulerId,
        name: entity.name,
        createdTime: entity.lastModifiedTime,
        lastUpdatedTime: entity.lastModifiedTime,
        runtimeStatus: "Running" as const,
        output: null,
        customStatus: null,
        execution: 1,
        entity: structuredClone(entity),
      };
      await this.options.store.save(snapshot, 1, 0, []);
    });
  }

  /**
   * Queues a write of the instance: new history rows, then the status row with its bookkeeping. Writes
   * coalesce (see persistEntity); the snapshot is taken when the write starts, between episodes, so it is
   * always consistent: the inbox holds every event not yet in the history.
   */
  private persist(live: LiveInstance): void {
    const { instanceId } = live.state;
    this.notifyChange();
    if (!this.options.store.persistent || this.dirty.has(live)) return;
    this.dirty.add(live);
    void this.write(instanceId, async () => {
      this.dirty.delete(live);
      if (this.instances.get(instanceId) !== live) return; // purged or replaced meanwhile
      const snapshot = structuredClone(live.state);
      const from = live.persistedHistory;
      const fresh = live.history.slice(from);
      live.persistedHistory = live.history.length;
      await this.options.store.save(snapshot, snapshot.execution, from, fresh);
    });
  }

  /** Writes for one instance happen in order; settle() waits for them. */
  private write(instanceId: string, op: () => Promise<void>): Promise<void> {
    this.pendingWrites++;
    const previous = this.writeChains.get(instanceId) ?? Promise.resolve();
    const next = previous
      .then(op)
      .catch((error: unknown) =>
        this.options.log?.(`Could not persist instance '${instanceId}': ${errorText(error)}`),
      )
      .finally(() => {
        this.pendingWrites--;
        if (this.writeChains.get(instanceId) === next) this.writeChains.delete(instanceId);
        this.notifyIdle();
      });
    this.writeChains.set(instanceId, next);
    return next;
  }

  private isIdle(): boolean {
    return (
      this.ready.size === 0 &&
      !this.pumping &&
      this.activities.idle &&
      this.entityWork === 0 &&
      this.pendingWrites === 0
    );
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private notifyChange(): void {
    for (const listener of [...this.changeListeners]) listener();
  }
}

/** The bookkeeping of an execution that has not done anything yet. */
function freshExecution() {
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

/** DTFx RetryInterceptor: first × backoff^(failures-1), capped; undefined once retryTimeout has passed. */
function retryDelay(retry: RetryTracker, now: number): number | undefined {
  const { options } = retry;
  if (options.retryTimeoutInMilliseconds !== undefined && options.retryTimeoutInMilliseconds > 0) {
    if (now >= retry.firstAttemptAt + options.retryTimeoutInMilliseconds) return undefined;
  }
  const delay =
    options.firstRetryIntervalInMilliseconds * Math.pow(options.backoffCoefficient ?? 1, retry.failures - 1);
  const cap = options.maxRetryIntervalInMilliseconds;
  return cap !== undefined && cap > 0 && delay > cap ? cap : delay;
}

function stripAction(action: Action): Action {
  return {
    actionType: action.actionType,
    functionName: action.functionName,
    externalEventName: action.externalEventName,
    operation: action.operation,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class OrchestrationNotFoundError extends Error {
  override name = "OrchestrationNotFoundError";
}

export class InstanceConflictError extends Error {
  override name = "InstanceConflictError";
}
