/** A FIFO queue of jobs run with at most `limit` at a time (host.json's maxConcurrentActivityFunctions). */
export class WorkPool<T> {
  private readonly queue: T[] = [];
  private active = 0;

  constructor(
    private readonly limit: number,
    private readonly run: (job: T) => Promise<void>,
    private readonly onSettled: () => void,
  ) {}

  push(job: T): void {
    this.queue.push(job);
    this.drain();
  }

  /** Drops queued jobs; running ones finish. */
  clear(): void {
    this.queue.length = 0;
  }

  get idle(): boolean {
    return this.queue.length === 0 && this.active === 0;
  }

  private drain(): void {
    while (this.active < this.limit && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active++;
      void this.run(job).finally(() => {
        this.active--;
        this.drain();
        this.onSettled();
      });
    }
  }
}
