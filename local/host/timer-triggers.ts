/**
 * Timer triggers on the real clock: NCRONTAB schedules, `runOnStartup`, and `isPastDue` when an occurrence
 * runs later than it was due: the process was busy or suspended, or (with a status store) an occurrence fell
 * while the host was down, which runs once at start-up, as the Functions host does.
 */
import type { Clock } from "./durable/clock";
import type { RegisteredFunction } from "./functions-core";
import { parseSchedule } from "./ncrontab";

/** Past-due tolerance: an occurrence that starts this much later than its time is reported as past due. */
const PAST_DUE_AFTER_MS = 1_000;

/** The trigger value the host passes to a timer function (the library camel-cases it to `Timer`). */
export function timerTriggerInput(status: { isPastDue: boolean; last?: Date; next?: Date }) {
  return {
    Schedule: { AdjustForDST: true },
    ScheduleStatus: {
      Last: (status.last ?? new Date(0)).toISOString(),
      Next: (status.next ?? new Date(0)).toISOString(),
      LastUpdated: new Date().toISOString(),
    },
    IsPastDue: status.isPastDue,
  };
}

/** Where the last occurrence of each timer function is kept across restarts. */
export interface TimerStatusStore {
  load(functionName: string): Promise<Date | undefined>;
  save(functionName: string, last: Date): Promise<void>;
}

export function startTimerTriggers(
  functions: RegisteredFunction[],
  clock: Clock,
  run: (name: string, input?: unknown) => Promise<unknown>,
  log: (line: string) => void,
  status?: TimerStatusStore,
): { stop(): void } {
  const cancels: (() => void)[] = [];
  let stopped = false;
  for (const fn of functions.filter((f) => f.trigger.type.toLowerCase() === "timertrigger")) {
    const schedule = parseSchedule(String(fn.trigger.schedule));
    const invoke = (isPastDue: boolean, last: Date | undefined, next: Date) =>
      run(fn.name, timerTriggerInput({ isPastDue, last, next })).catch((error: unknown) =>
        log(
          `[error] Timer function '${fn.name}' failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    const remember = (last: Date) =>
      status
        ?.save(fn.name, last)
        .catch((error: unknown) =>
          log(`[warning] Could not save the schedule status of '${fn.name}': ${String(error)}`),
        );
    const arm = (after: Date, last: Date | undefined) => {
      if (stopped) return;
      const due = schedule.next(after);
      cancels.push(
        clock.schedule(due.getTime(), () => {
          const late = clock.now() - due.getTime() > PAST_DUE_AFTER_MS;
          void remember(due);
          void invoke(late, last, schedule.next(due)).finally(() => arm(due, due));
        }),
      );
    };
    const start = async () => {
      const now = new Date(clock.now());
      const last = await status?.load(fn.name).catch(() => undefined);
      if (stopped) return;
      const missed = last !== undefined && schedule.next(last).getTime() <= now.getTime();
      if (missed) {
        void remember(now);
        void invoke(true, last, schedule.next(now));
      } else if (fn.trigger.runOnStartup === true) void invoke(false, last, schedule.next(now));
      arm(now, missed ? now : last);
    };
    void start();
  }
  return {
    stop() {
      stopped = true;
      for (const cancel of cancels) cancel();
    },
  };
}
