/**
 * Table Storage records an activity reads at once when it reads many (a slice's hires): enough to hide each read's
 * round trip, few enough not to queue the other slices' reads and writes behind a hundred of them.
 */
export const RECORDS_READ_AT_ONCE = 10;

/**
 * Starts `work` on every item with at most `width` calls in flight, in the items' order, and gives each item's
 * promise at once: a consumer can use the first results while later ones are still being worked on. A failed
 * item's promise rejects (and is marked handled here, so a consumer that stops early leaves no unhandled
 * rejection); no item starts after a failure.
 */
export function startBounded<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<R>,
): Promise<R>[] {
  const settle = items.map(() => {
    let resolve!: (value: R) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<R>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined);
    return { promise, resolve, reject };
  });
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      if (failed !== undefined) {
        settle[index].reject(failed);
        continue;
      }
      try {
        settle[index].resolve(await work(items[index]));
      } catch (error) {
        failed = error ?? new Error("failed");
        settle[index].reject(error);
      }
    }
  };
  for (let i = 0; i < Math.min(Math.max(1, width), items.length); i++) void worker();
  return settle.map((s) => s.promise);
}
