/**
 * Group commit: items added while a write is in flight go together in the next write. One write is in flight at a
 * time, so a lone item is written at once, and under a burst each write carries everything that arrived during
 * the previous one. Fifty requests at once then cost a few storage round trips instead of fifty.
 *
 * Each `add` resolves once its own write has succeeded, and rejects with that write's error: a caller never hears
 * "stored" for an item that is not.
 */
export interface GroupLimits<T> {
  /** Items per write (a Table Storage transaction holds at most 100 entities). */
  maxItems: number;
  /** The most `weigh` may add up to in one write (a transaction's payload is at most 4 MiB). */
  maxWeight: number;
  weigh: (item: T) => number;
}

interface Waiting<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommit<T> {
  readonly #write: (items: T[]) => Promise<void>;
  readonly #limits: GroupLimits<T>;
  #waiting: Waiting<T>[] = [];
  #writing = false;

  constructor(write: (items: T[]) => Promise<void>, limits: GroupLimits<T>) {
    this.#write = write;
    this.#limits = limits;
  }

  add(item: T): Promise<void> {
    if (this.#limits.weigh(item) > this.#limits.maxWeight)
      return Promise.reject(new RangeError("the item is larger than one write may carry"));
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#writing) void this.#writeGroups();
    });
  }

  async #writeGroups(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#waiting.length > 0) {
        const group = this.#nextGroup();
        try {
          await this.#write(group.map((w) => w.item));
          for (const w of group) w.resolve();
        } catch (error) {
          for (const w of group) w.reject(error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /** The oldest waiting items, as many as one write may carry (always at least one). */
  #nextGroup(): Waiting<T>[] {
    const { maxItems, maxWeight, weigh } = this.#limits;
    let weight = 0;
    let count = 0;
    while (count < this.#waiting.length && count < maxItems) {
      const next = weigh(this.#waiting[count].item);
      if (count > 0 && weight + next > maxWeight) break;
      weight += next;
      count += 1;
    }
    return this.#waiting.splice(0, count);
  }
}
