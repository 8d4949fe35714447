/**
 * Durable timers and retries for the local engine: user timers (split into legs when long, as the extension
 * does), the retry tasks of callActivityWithRetry / callSubOrchestratorWithRetry and their back-off timers.
 *
 * Both make the SDK take sequence numbers without emitting an action: a failed attempt takes one for its
 * retry timer, a fired retry timer one for the next attempt, a fired leg of a long timer one for the next
 * leg. This module mirrors those numbers (afterDelivery) and says which events cause them
 * (takesHiddenNumber), so the engine can deliver such an event first in its episode.
 */
import type { Clock } from "./clock";
import {
  historyEvent,
  type InstanceState,
  type LiveInstance,
  type RetryTracker,
  type TimerInfo,
} from "./instance";
import { ActionType, EventType, decodeActionInput, type Action, type HistoryEvent } from "./protocol";

const DAY = 86_400_000;

export interface TimerHost {
  clock: Clock;
  /** Queues an event for the instance's next episode. */
  deliver(instanceId: string, event: HistoryEvent): void;
  /** Starts one attempt of a retried activity or sub-orchestration as task `attemptId`. */
  startAttempt(live: LiveInstance, retry: RetryTracker, attemptId: number): void;
}

export interface TimerOptions {
  /** Timers longer than this are split into sub-timers, as the extension does (6 days by default). */
  maximumShortTimerDurationInMs?: number;
  longRunningTimerIntervalInMs?: number;
}

export class Timers {
  readonly maxShortTimerMs: number;
  readonly longTimerIntervalMs: number;

  constructor(
    private readonly host: TimerHost,
    options: TimerOptions = {},
  ) {
    this.maxShortTimerMs = options.maximumShortTimerDurationInMs ?? 6 * DAY;
    this.longTimerIntervalMs = options.longRunningTimerIntervalInMs ?? 3 * DAY;
  }

  /** A createTimer action: its first leg when it is longer than the longest short timer. */
  createUserTimer(live: LiveInstance, id: number, fireAt: number, now: number): void {
    if (fireAt - now > this.maxShortTimerMs) {
      live.state.longTimers[id] = id;
      return this.create(live, id, {
        fireAt: now + this.longTimerIntervalMs,
        purpose: "long",
        owner: id,
        finalFireAt: fireAt,
      });
    }
    this.create(live, id, { fireAt, purpose: "user" });
  }

  /** A callActivityWithRetry / callSubOrchestratorWithRetry action: tracks its attempts and starts the first. */
  startRetry(live: LiveInstance, action: Action, id: number, now: number): void {
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
    live.state.retries[id] = retry;
    live.state.retryOf[id] = id;
    this.host.startAttempt(live, retry, id);
  }

  /** Arms again the timers a stored instance had armed (after a restart). */
  rearm(live: LiveInstance): void {
    for (const id of live.state.armedTimers) this.arm(live, id);
  }

  /** Cancels a timer the orchestrator abandoned (the loser of Task.any); for a long timer, its current leg. */
  cancel(live: LiveInstance, id: number): void {
    const current = live.state.longTimers[id] ?? id;
    const cancel = live.cancelTimers.get(current);
    if (!cancel) return;
    cancel();
    live.cancelTimers.delete(current);
    live.state.armedTimers = live.state.armedTimers.filter((t) => t !== current);
    delete live.state.timers[current];
  }

  /** Disarms every timer of the instance (it finished, continued as new, or the engine stops). */
  disarmAll(live: LiveInstance): void {
    for (const cancel of live.cancelTimers.values()) cancel();
    live.cancelTimers.clear();
  }

  /** Whether delivering this event makes the SDK take a sequence number without emitting an action. */
  takesHiddenNumber(state: InstanceState, event: HistoryEvent, now: number): boolean {
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

  /** Mirrors the SDK's hidden numbers for retries and long timers, and schedules what follows from them. */
  afterDelivery(live: LiveInstance, event: HistoryEvent, now: number): void {
    if (
      event.EventType === EventType.TaskFailed ||
      event.EventType === EventType.SubOrchestrationInstanceFailed
    ) {
      return this.afterFailedAttempt(live, event, now);
    }
    if (event.EventType !== EventType.TimerFired) return;
    const { state } = live;
    const timer = state.timers[event.TimerId ?? -1];
    if (!timer) return;
    delete state.timers[event.TimerId ?? -1];
    if (timer.purpose === "retry") this.afterRetryTimer(live, timer.owner!);
    else if (timer.purpose === "long" && timer.finalFireAt !== undefined && timer.finalFireAt > now) {
      this.nextLeg(live, timer.owner!, timer.finalFireAt, now);
    }
  }

  /** A failed attempt of a retry task: the SDK takes a number for the retry timer. */
  private afterFailedAttempt(live: LiveInstance, event: HistoryEvent, now: number): void {
    const { state } = live;
    const owner = state.retryOf[event.TaskScheduledId ?? -1];
    if (owner === undefined) return;
    const retry = state.retries[owner];
    retry.failures++;
    retry.lastFailure = event;
    const timerId = state.nextSeq++;
    state.retryOf[timerId] = owner;
    const delay = retryDelay(retry, now);
    if (delay === undefined) retry.expired = true;
    this.create(live, timerId, { fireAt: now + (delay ?? 0), purpose: "retry", owner });
  }

  /** A fired retry timer: the SDK takes a number for the next attempt, unless it has given up. */
  private afterRetryTimer(live: LiveInstance, owner: number): void {
    const { state } = live;
    const retry = state.retries[owner];
    if (retry.failures >= retry.options.maxNumberOfAttempts) return;
    const attemptId = state.nextSeq++;
    state.retryOf[attemptId] = owner;
    if (retry.expired && retry.lastFailure) {
      // DTFx stops retrying once retryTimeout has passed; the SDK still counts attempts, so each one fails
      // at once with the last failure until the SDK gives up.
      this.host.deliver(state.instanceId, { ...retry.lastFailure, TaskScheduledId: attemptId });
      return;
    }
    this.host.startAttempt(live, retry, attemptId);
  }

  /** A fired leg of a long timer that is not due yet: the SDK takes a number for the next leg. */
  private nextLeg(live: LiveInstance, first: number, finalFireAt: number, now: number): void {
    const { state } = live;
    const nextId = state.nextSeq++;
    state.longTimers[first] = nextId;
    const fireAt = finalFireAt - now > this.maxShortTimerMs ? now + this.longTimerIntervalMs : finalFireAt;
    this.create(live, nextId, { fireAt, purpose: "long", owner: first, finalFireAt });
  }

  private create(live: LiveInstance, id: number, timer: TimerInfo): void {
    live.state.timers[id] = timer;
    live.history.push(
      historyEvent(this.host.clock.now(), EventType.TimerCreated, {
        EventId: id,
        FireAt: new Date(timer.fireAt).toISOString(),
      }),
    );
    live.state.armedTimers.push(id);
    this.arm(live, id);
  }

  private arm(live: LiveInstance, id: number): void {
    const timer = live.state.timers[id];
    if (!timer) return;
    const cancel = this.host.clock.schedule(timer.fireAt, () => {
      live.cancelTimers.delete(id);
      live.state.armedTimers = live.state.armedTimers.filter((t) => t !== id);
      this.host.deliver(
        live.state.instanceId,
        historyEvent(this.host.clock.now(), EventType.TimerFired, {
          TimerId: id,
          FireAt: new Date(timer.fireAt).toISOString(),
        }),
      );
    });
    live.cancelTimers.set(id, cancel);
  }
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
