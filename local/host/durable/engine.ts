/**
 * The local Durable Functions engine: it drives the app's registered orchestrators through the
 * durable-functions SDK's own replay (history in, OrchestratorState out), runs activities, timers,
 * sub-orchestrations and external events, and keeps every instance in a store so a restart resumes it.
 *
 * Completions are matched to tasks by sequence number only, so the engine numbers new actions exactly as
 * the SDK does (see flattenActions) and also mirrors the numbers the SDK takes without emitting an action
 * (see timers.ts). An event that makes the SDK take such a number is delivered first in its episode, so the
 * number the SDK takes is the next one, before any task the resumed orchestrator yields.
 *
 * Its parts: instance.ts (what an instance is and how its state changes), tasks.ts (activities,
 * sub-orchestrations and entity calls an action starts), timers.ts (timers and retries), entities.ts,
 * write-queue.ts (getting instances into the store in order) and driver.ts (settle and the virtual clock,
 * for tests).
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "./clock";
import { TestDriver } from "./driver";
import { EntityScheduler, schedulerId } from "./entities";
import {
  beginNextExecution,
  completionForParent,
  historyEvent,
  isTerminal,
  newInstance,
  stripAction,
  toJson,
  toStatus,
  type InstanceState,
  type LiveInstance,
  type OrchestrationStatus,
  type ParentTask,
  type RuntimeStatus,
} from "./instance";
import {
  ActionType,
  EventType,
  SCHEMA_VERSION,
  consumesSequenceNumber,
  decodeActionInput,
  checkDeterminism,
  flattenActions,
  stateFromFailure,
  toTimeSpan,
  type Action,
  type HistoryEvent,
  type OrchestratorState,
} from "./protocol";
import type { DurableStore } from "./store";
import { Tasks, type FunctionRunner } from "./tasks";
import { Timers } from "./timers";
import { entityFromSnapshot, WriteQueue } from "./write-queue";

export { TERMINAL_STATUSES, type OrchestrationStatus, type RuntimeStatus } from "./instance";
export type { EntityBatchResult } from "./entities";
export type { FunctionRunner } from "./tasks";

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
  /**
   * Work the app runs outside Durable Functions that tests must wait for as well (an HTTP function's work after
   * its answer): settle() waits until it is idle too.
   */
  background?: BackgroundWork;
}

export interface BackgroundWork {
  readonly idle: boolean;
  /** Calls `listener` whenever the work goes idle; returns the unsubscribe. */
  onSettled(listener: () => void): () => void;
}

export class DurableEngine {
  private readonly instances = new Map<string, LiveInstance>();
  private readonly ready = new Set<string>();
  private pumping = false;
  private stopped = false;
  private entityWork = 0;
  private readonly tasks: Tasks;
  private readonly entities: EntityScheduler;
  private readonly timers: Timers;
  private readonly writes: WriteQueue;
  private readonly driver: TestDriver;
  private readonly unsubscribeBackground: () => void;

  constructor(private readonly options: DurableEngineOptions) {
    this.driver = new TestDriver({
      clock: options.clock,
      isIdle: () => this.isIdle(),
      getStatus: (instanceId) => this.getStatus(instanceId),
    });
    this.unsubscribeBackground =
      options.background?.onSettled(() => this.driver.notifyIdle()) ?? (() => undefined);
    this.writes = new WriteQueue(options.store, {
      onSettled: () => this.driver.notifyIdle(),
      log: options.log,
    });
    this.timers = new Timers(
      {
        clock: options.clock,
        deliver: (instanceId, event) => this.deliver(instanceId, event),
        startAttempt: (live, retry, attemptId) => this.tasks.startAttempt(live, retry, attemptId),
      },
      options,
    );
    this.entities = new EntityScheduler({
      runEntity: (name, bindingInfo) => options.runner.runEntity(name, bindingInfo),
      entityFunction: (name) => options.runner.entityFunction(name),
      respond: (instanceId, requestId, response) =>
        this.deliver(
          instanceId,
          this.event(EventType.EventRaised, { Name: requestId, Input: JSON.stringify(response) }),
        ),
      persist: (entity) => {
        this.driver.notifyChange();
        this.writes.saveEntity(entity);
      },
      now: () => this.clock.now(),
      onWork: (delta) => {
        this.entityWork += delta;
        this.driver.notifyIdle();
      },
    });
    this.tasks = new Tasks({
      runner: options.runner,
      clock: options.clock,
      timers: this.timers,
      entities: this.entities,
      maxConcurrentActivities: options.maxConcurrentActivities ?? 10,
      instance: (instanceId) => this.instances.get(instanceId),
      deliver: (instanceId, event) => this.deliver(instanceId, event),
      createInstance: (name, instanceId, input, parent) =>
        this.createInstance(name, instanceId, input, parent),
      fail: (live, message) => this.fail(live, message),
      onSettled: () => this.driver.notifyIdle(),
    });
  }

  private get clock(): Clock {
    return this.options.clock;
  }

  /** Loads every instance from the store and resumes those still in flight (activities run again). */
  async resume(): Promise<void> {
    const damaged: Array<[LiveInstance, number]> = [];
    for (const { snapshot, history, missingEvent } of await this.options.store.loadAll()) {
      const entity = entityFromSnapshot(snapshot);
      if (entity) {
        this.entities.restore(entity);
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
      if (isTerminal(state)) continue;
      if (missingEvent !== undefined) {
        damaged.push([live, missingEvent]);
        continue;
      }
      this.timers.rearm(live);
      this.tasks.resumeActivities(live);
      if (state.inbox.length > 0) this.markReady(state.instanceId);
    }
    // Once every instance is loaded: children whose start or end a crash cut off from their parent.
    for (const live of this.instances.values()) if (!isTerminal(live.state)) this.tasks.resumeChildren(live);
    // Replayed without that event an orchestrator would wait for it forever: it fails instead, and says why
    // (once every instance is loaded, so its parent hears of it).
    for (const [live, missing] of damaged)
      this.fail(live, `its stored history lacks event ${missing}, so it cannot be replayed`);
  }

  /** Stops scheduling work; in-flight activities finish but their results are dropped. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribeBackground();
    this.tasks.stop();
    this.entities.stop();
    for (const live of this.instances.values()) this.timers.disarmAll(live);
    await this.writes.drain();
  }

  // ---- client operations ---------------------------------------------------------------------------------

  /** Starts an orchestration; an existing instance with the same id is replaced unless it is still running. */
  startNew(name: string, options: { instanceId?: string; input?: unknown } = {}): string {
    if (!this.options.runner.isOrchestrator(name)) {
      throw new OrchestrationNotFoundError(`No orchestrator function named '${name}' is registered.`);
    }
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, "");
    const existing = this.instances.get(instanceId);
    if (existing && !isTerminal(existing.state)) {
      throw new InstanceConflictError(
        `An instance with ID '${instanceId}' already exists and is ${existing.state.runtimeStatus}.`,
      );
    }
    this.createInstance(name, instanceId, options.input);
    return instanceId;
  }

  getStatus(instanceId: string, options: { showHistory?: boolean; showInput?: boolean } = {}) {
    const live = this.instances.get(instanceId);
    return live ? toStatus(live, options) : undefined;
  }

  listStatuses(
    filter: { runtimeStatus?: RuntimeStatus[]; createdTimeFrom?: Date; createdTimeTo?: Date } = {},
  ) {
    return [...this.instances.values()]
      .filter(({ state }) => !filter.runtimeStatus || filter.runtimeStatus.includes(state.runtimeStatus))
      .filter(({ state }) => !filter.createdTimeFrom || new Date(state.createdTime) >= filter.createdTimeFrom)
      .filter(({ state }) => !filter.createdTimeTo || new Date(state.createdTime) <= filter.createdTimeTo)
      .map((live) => toStatus(live, {}));
  }

  /** Queues an external event; events wait in the inbox until the orchestrator asks for them (FIFO per name). */
  raiseEvent(instanceId: string, eventName: string, data: unknown): "accepted" | "gone" | "notFound" {
    const live = this.instances.get(instanceId);
    if (!live) return "notFound";
    if (isTerminal(live.state)) return "gone";
    live.state.inbox.push(this.event(EventType.EventRaised, { Name: eventName, Input: toJson(data) }));
    this.touch(live);
    this.markReady(instanceId);
    return "accepted";
  }

  terminate(instanceId: string, reason: string): "accepted" | "gone" | "notFound" {
    const live = this.instances.get(instanceId);
    if (!live) return "notFound";
    if (isTerminal(live.state)) return "gone";
    live.history.push(this.event(EventType.ExecutionTerminated, { Input: JSON.stringify(reason) }));
    this.finish(live, "Terminated", reason);
    return "accepted";
  }

  /** Deletes an instance's history and status; true when there was one. */
  async purge(instanceId: string): Promise<boolean> {
    const live = this.instances.get(instanceId);
    if (!live) return false;
    this.timers.disarmAll(live);
    this.instances.delete(instanceId);
    this.ready.delete(instanceId);
    await this.writes.delete(instanceId);
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

  // ---- test driver (driver.ts) ---------------------------------------------------------------------------

  /** Resolves when no episode, activity or write is pending (timers may still be waiting). */
  settle(): Promise<void> {
    return this.driver.settle();
  }

  /** Virtual clock: runs everything, jumping to each next timer, until only external events are awaited. */
  runUntilIdle(): Promise<void> {
    return this.driver.runUntilIdle();
  }

  /** Virtual clock: moves time forward by `ms` and fires the timers due by then. */
  advance(ms: number): Promise<void> {
    return this.driver.advance(ms);
  }

  /** Waits until the instance reaches one of `statuses` (a terminal one by default). */
  waitForStatus(
    instanceId: string,
    statuses?: readonly RuntimeStatus[],
    options?: { timeoutInMs?: number },
  ): Promise<OrchestrationStatus> {
    return this.driver.waitForStatus(instanceId, statuses, options);
  }

  private isIdle(): boolean {
    return (
      this.ready.size === 0 &&
      !this.pumping &&
      this.tasks.idle &&
      this.entityWork === 0 &&
      this.writes.idle &&
      (this.options.background?.idle ?? true)
    );
  }

  // ---- instances -----------------------------------------------------------------------------------------

  private createInstance(name: string, instanceId: string, input: unknown, parent?: ParentTask): void {
    const previous = this.instances.get(instanceId);
    if (previous) this.timers.disarmAll(previous);
    const live = newInstance(name, instanceId, input, {
      now: this.clock.now(),
      execution: (previous?.state.execution ?? 0) + 1,
      parent,
    });
    this.instances.set(instanceId, live);
    this.persist(live);
    this.markReady(instanceId);
  }

  private event(type: number, fields: Partial<HistoryEvent> = {}): HistoryEvent {
    return historyEvent(this.clock.now(), type, fields);
  }

  private touch(live: LiveInstance): void {
    live.state.lastUpdatedTime = new Date(this.clock.now()).toISOString();
    this.persist(live);
  }

  private deliver(instanceId: string, event: HistoryEvent): void {
    const live = this.instances.get(instanceId);
    if (!live || isTerminal(live.state)) return;
    live.state.inbox.push(event);
    this.persist(live);
    this.markReady(instanceId);
  }

  private persist(live: LiveInstance): void {
    this.driver.notifyChange();
    this.writes.saveInstance(live, () => this.instances.get(live.state.instanceId) === live);
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
        if (!live || isTerminal(live.state) || live.state.inbox.length === 0) continue;
        try {
          await this.runEpisode(live);
        } catch (error) {
          this.fail(live, `The local host could not run an episode: ${errorText(error)}`);
        }
        if (live.state.inbox.length > 0 && !isTerminal(live.state)) this.ready.add(instanceId);
      }
    } finally {
      this.pumping = false;
      this.driver.notifyIdle();
    }
  }

  /**
   * Events for one episode: an event that takes a hidden number only ever comes first. They stay in the inbox
   * until the episode is committed, so a write (or a crash) in between never loses them.
   */
  private peekBatch(state: InstanceState, now: number): HistoryEvent[] {
    let count = 0;
    while (count < state.inbox.length) {
      if (count > 0 && this.timers.takesHiddenNumber(state, state.inbox[count], now)) break;
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
      maximumShortTimerDuration: toTimeSpan(this.timers.maxShortTimerMs),
      longRunningTimerIntervalDuration: toTimeSpan(this.timers.longTimerIntervalMs),
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
    if (isTerminal(state)) return; // terminated while the episode ran
    state.inbox.splice(0, batch.length); // events that arrived meanwhile stay queued behind them
    live.history.push(...newEvents);

    // The numbers the SDK took while processing the delivered events come before any new task's number.
    for (const event of batch) this.timers.afterDelivery(live, event, now);

    const flat = flattenActions(orchestratorState);
    const mismatch = checkDeterminism(state.actions, flat, state);
    if (mismatch) return this.fail(live, mismatch);
    state.customStatus = orchestratorState.customStatus ?? null;
    if (failed) return this.fail(live, orchestratorState.error ?? "The orchestrator failed.");

    for (let i = 0; i < state.actions.length && i < flat.length; i++) {
      const recorded = state.actions[i];
      if (flat[i].actionType === ActionType.CreateTimer && flat[i].isCanceled && recorded.id !== null) {
        this.timers.cancel(live, recorded.id);
      }
    }
    let continueAsNew: Action | undefined;
    for (const action of flat.slice(state.actions.length)) {
      const id = consumesSequenceNumber(action) ? state.nextSeq++ : null;
      state.actions.push({ action: stripAction(action), id });
      if (action.actionType === ActionType.ContinueAsNew) continueAsNew = action;
      else if (id !== null) this.tasks.schedule(live, action, id, now);
      if (isTerminal(state)) return;
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

  private continueAsNew(live: LiveInstance, input: unknown): void {
    this.timers.disarmAll(live);
    beginNextExecution(live, input, this.clock.now());
    this.touch(live);
    this.markReady(live.state.instanceId);
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
    this.timers.disarmAll(live);
    this.touch(live);
    const { parent } = state;
    if (parent) {
      this.deliver(parent.instanceId, completionForParent(state, parent, status, output, this.clock.now()));
    }
  }
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
