/**
 * The tasks an orchestrator's actions ask for: activities (run on a pool of at most
 * maxConcurrentActivityFunctions), sub-orchestrations, entity operations, timers and retries (timers.ts).
 * Each task is started under the sequence number the engine gave its action, and its outcome comes back as
 * the history event that completes that number.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "./clock";
import type { EntityBatchResult, EntityScheduler } from "./entities";
import {
  completionForParent,
  failureEvent,
  historyEvent,
  isTerminal,
  toJson,
  type LiveInstance,
  type ParentTask,
  type RetryTracker,
} from "./instance";
import {
  ActionType,
  EventType,
  decodeActionInput,
  describeAction,
  type Action,
  type HistoryEvent,
  type OrchestratorState,
} from "./protocol";
import type { Timers } from "./timers";
import { WorkPool } from "./work-pool";

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

export interface TaskHost {
  runner: FunctionRunner;
  clock: Clock;
  timers: Timers;
  entities: EntityScheduler;
  /** host.json durableTask.maxConcurrentActivityFunctions. */
  maxConcurrentActivities: number;
  /** The instance now registered under this id, if any. */
  instance(instanceId: string): LiveInstance | undefined;
  /** Queues an event for the instance's next episode. */
  deliver(instanceId: string, event: HistoryEvent): void;
  createInstance(name: string, instanceId: string, input: unknown, parent: ParentTask): void;
  fail(live: LiveInstance, message: string): void;
  /** Called whenever an activity finishes (the engine may have gone idle). */
  onSettled(): void;
}

interface ActivityJob {
  instanceId: string;
  /** Results of an earlier execution (before continueAsNew) must not reach a later one. */
  execution: number;
  id: number;
  name: string;
  input: unknown;
  generation: number;
}

export class Tasks {
  private readonly activities: WorkPool<ActivityJob>;
  private stopped = false;
  /** Bumped on stop so activity results that arrive late are dropped. */
  private generation = 0;

  constructor(private readonly host: TaskHost) {
    this.activities = new WorkPool(
      Math.max(1, host.maxConcurrentActivities),
      (job) => this.runActivity(job),
      () => host.onSettled(),
    );
  }

  /** No activity is queued or running. */
  get idle(): boolean {
    return this.activities.idle;
  }

  /** Starts the task for a new action numbered `id`. */
  schedule(live: LiveInstance, action: Action, id: number, now: number): void {
    const { state } = live;
    switch (action.actionType) {
      case ActionType.CallActivity:
        return this.scheduleActivity(live, id, action.functionName!, decodeActionInput(action));
      case ActionType.CallActivityWithRetry:
      case ActionType.CallSubOrchestratorWithRetry:
        return this.host.timers.startRetry(live, action, id, now);
      case ActionType.CallSubOrchestrator:
        return this.startSubOrchestration(live, id, action.functionName!, action.instanceId, action.input);
      case ActionType.CallEntity:
      case ActionType.SignalEntity:
        return this.callEntity(live, action, id);
      case ActionType.CreateTimer:
        return this.host.timers.createUserTimer(live, id, Date.parse(action.fireAt!), now);
      default:
        return this.host.fail(
          live,
          `Orchestrator '${state.name}' asked for ${describeAction(action)}, which the local host does not support ` +
            `(entity locks and callHttp run only on the real Durable extension).`,
        );
    }
  }

  /** One attempt of a retried activity or sub-orchestration, as task `attemptId`. */
  startAttempt(live: LiveInstance, retry: RetryTracker, attemptId: number): void {
    if (retry.kind === "activity") return this.scheduleActivity(live, attemptId, retry.name, retry.input);
    this.startSubOrchestration(live, attemptId, retry.name, retry.instanceId, retry.input);
  }

  /** Runs again the activities a stored instance was waiting for (after a restart). */
  resumeActivities(live: LiveInstance): void {
    for (const [id, activity] of Object.entries(live.state.activities)) {
      this.enqueueActivity(live.state.instanceId, Number(id), activity.name, activity.input);
    }
  }

  /**
   * Reconnects a stored instance with the sub-orchestrations its history says it started and has not heard from
   * (after a restart). Each instance is written on its own, so a crash can keep a parent that started a child
   * without the child, or a child that ended without its parent hearing of it: the first child is started again
   * (its id and input are in the parent's history), the second one's end is delivered again.
   */
  resumeChildren(live: LiveInstance): void {
    const { state, history } = live;
    const heard = new Set(
      [...history, ...state.inbox]
        .filter(
          (e) =>
            e.EventType === EventType.SubOrchestrationInstanceCompleted ||
            e.EventType === EventType.SubOrchestrationInstanceFailed,
        )
        .map((e) => e.TaskScheduledId),
    );
    for (const started of history) {
      if (started.EventType !== EventType.SubOrchestrationInstanceCreated || heard.has(started.EventId))
        continue;
      const parent = { instanceId: state.instanceId, taskId: started.EventId };
      const child = this.host.instance(started.InstanceId!);
      if (!child) {
        const input = started.Input === undefined ? undefined : (JSON.parse(started.Input) as unknown);
        this.host.createInstance(started.Name!, started.InstanceId!, input, parent);
      } else if (
        isTerminal(child.state) &&
        child.state.parent?.instanceId === parent.instanceId &&
        child.state.parent.taskId === parent.taskId &&
        // Not a child of the same id that an earlier execution of the parent started and heard of.
        Date.parse(child.state.createdTime) >= Date.parse(started.Timestamp)
      ) {
        const { runtimeStatus, output } = child.state;
        this.host.deliver(
          state.instanceId,
          completionForParent(child.state, parent, runtimeStatus, output, this.host.clock.now()),
        );
      }
    }
  }

  /** Drops queued activities; running ones finish but their results are dropped. */
  stop(): void {
    this.stopped = true;
    this.generation++;
    this.activities.clear();
  }

  private scheduleActivity(live: LiveInstance, id: number, name: string, input: unknown): void {
    live.history.push(this.event(EventType.TaskScheduled, { EventId: id, Name: name, Input: toJson(input) }));
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
        Input: toJson(input),
      }),
    );
    if (!this.host.runner.isOrchestrator(name)) {
      this.host.deliver(
        live.state.instanceId,
        failureEvent(this.host.clock.now(), EventType.SubOrchestrationInstanceFailed, id, {
          name: "Error",
          message: `No orchestrator function named '${name}' is registered.`,
        }),
      );
      return;
    }
    this.host.createInstance(name, childId, input, { instanceId: live.state.instanceId, taskId: id });
  }

  /** callEntity / signalEntity: the request goes to the entity's queue; a call's answer is an EventRaised. */
  private callEntity(live: LiveInstance, action: Action, id: number): void {
    const { state } = live;
    const signal = action.actionType === ActionType.SignalEntity;
    const requestId = randomUUID();
    const inputJson = toJson(action.input);
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
    this.host.entities.enqueue(action.instanceId!, action.operation!, inputJson, {
      signal,
      parentInstanceId: signal ? undefined : state.instanceId,
      requestId,
    });
  }

  private enqueueActivity(instanceId: string, id: number, name: string, input: unknown): void {
    if (this.stopped) return;
    const execution = this.host.instance(instanceId)?.state.execution ?? 0;
    this.activities.push({ instanceId, execution, id, name, input, generation: this.generation });
  }

  private async runActivity(job: ActivityJob): Promise<void> {
    let completion: HistoryEvent;
    try {
      if (!this.host.runner.isActivity(job.name)) {
        throw new Error(`No activity function named '${job.name}' is registered.`);
      }
      const result = await this.host.runner.runActivity(job.name, job.input);
      completion = this.event(EventType.TaskCompleted, {
        TaskScheduledId: job.id,
        Result: JSON.stringify(result ?? null),
      });
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      completion = failureEvent(this.host.clock.now(), EventType.TaskFailed, job.id, err);
    }
    if (job.generation !== this.generation) return;
    const live = this.host.instance(job.instanceId);
    if (!live || live.state.execution !== job.execution || !(job.id in live.state.activities)) return;
    delete live.state.activities[job.id];
    this.host.deliver(job.instanceId, completion);
  }

  private event(type: number, fields: Partial<HistoryEvent>): HistoryEvent {
    return historyEvent(this.host.clock.now(), type, fields);
  }
}
