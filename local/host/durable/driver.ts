/**
 * How tests drive the local Durable engine: wait until it has nothing left to run now (settle), move the
 * virtual clock to the next timer or by a given time (runUntilIdle, advance), and wait for an instance to
 * reach a status. The engine tells the driver when it may have gone idle and when any instance changed.
 */
import { VirtualClock, type Clock } from "./clock";
import { TERMINAL_STATUSES, type OrchestrationStatus, type RuntimeStatus } from "./instance";

export interface DriverHost {
  clock: Clock;
  /** No episode, activity, entity batch or write is pending (timers may still be waiting). */
  isIdle(): boolean;
  getStatus(instanceId: string): OrchestrationStatus | undefined;
}

export class TestDriver {
  private idleWaiters: (() => void)[] = [];
  private readonly changeListeners = new Set<() => void>();

  constructor(private readonly host: DriverHost) {}

  /** The engine calls this whenever work finishes; waiters of settle() resume once nothing is pending. */
  notifyIdle(): void {
    if (!this.host.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** The engine calls this whenever an instance or entity changes. */
  notifyChange(): void {
    for (const listener of [...this.changeListeners]) listener();
  }

  /** Resolves when no episode, activity or write is pending (timers may still be waiting). */
  settle(): Promise<void> {
    if (this.host.isIdle()) return Promise.resolve();
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

  /** Virtual clock: moves time forward by `ms` and fires the timers due by then. */
  async advance(ms: number): Promise<void> {
    await this.settle();
    const { clock } = this.host;
    if (!(clock instanceof VirtualClock)) throw new Error("advance() needs the virtual clock.");
    clock.advanceBy(ms);
    await this.settle();
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
      const status = this.host.getStatus(instanceId);
      return status && statuses.includes(status.runtimeStatus) ? status : undefined;
    };
    if (this.host.clock.kind === "virtual") {
      for (;;) {
        await this.settle();
        const status = matches();
        if (status) return status;
        if (!this.advanceToNextTimer()) {
          const now = this.host.getStatus(instanceId);
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

  /** Moves the virtual clock to its earliest armed timer; false when there is none (or the clock is real). */
  private advanceToNextTimer(): boolean {
    const { clock } = this.host;
    if (!(clock instanceof VirtualClock)) return false;
    const due = clock.nextDue();
    if (due === undefined) return false;
    clock.advanceTo(due);
    return true;
  }
}
