/**
 * Work an HTTP function leaves running after its answer: the HR intake takes journaled messages into the inbox
 * once their senders have had their 2xx. Azure does not wait for such work, and nothing needs it to: what it
 * finishes is stored first, and a timer sweep finishes what a stopped process left. It is counted here so that
 * the local host can tell when everything a request set off is done (its `settle()` waits for it).
 */
export class WorkAfterAnswer {
  #running = 0;
  readonly #listeners = new Set<() => void>();

  get idle(): boolean {
    return this.#running === 0;
  }

  /** Counts `work` until it ends, whichever way it ends. */
  track(work: Promise<unknown>): void {
    this.#running += 1;
    void work
      .catch(() => undefined)
      .finally(() => {
        this.#running -= 1;
        if (this.#running === 0) for (const listener of [...this.#listeners]) listener();
      });
  }

  /** Calls `listener` whenever the last tracked work ends; returns the unsubscribe. */
  onSettled(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The app's one tracker (the local host's Durable engine counts it as pending work). */
export const afterAnswer = new WorkAfterAnswer();
