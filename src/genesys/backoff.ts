/** Retry timing for transient failures (5xx other than 501, timeouts, dropped connections). */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** First backoff before jitter. Default 500 ms. */
  retryDelayInMs?: number;
  /** Backoff ceiling before jitter. Default 8 000 ms. */
  maxRetryDelayInMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxRetries: 3,
  retryDelayInMs: 500,
  maxRetryDelayInMs: 8_000,
};

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries from many workers
 * hit by the same outage spread out while each still waits a predictable minimum.
 * `retry` counts from 1; `random` returns [0, 1).
 */
export function backoffDelay(
  retry: number,
  options: RetryOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.retryDelayInMs ?? DEFAULT_RETRY.retryDelayInMs;
  const cap = options.maxRetryDelayInMs ?? DEFAULT_RETRY.maxRetryDelayInMs;
  const exponential = Math.min(cap, base * 2 ** Math.max(0, retry - 1));
  return exponential / 2 + random() * (exponential / 2);
}

/** Splits a list into calls the API accepts (queue members: 100, skills and languages: 50). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError("chunk size must be a positive integer");
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
