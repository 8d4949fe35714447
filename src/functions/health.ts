import type { HttpHandler } from "@azure/functions";

/** A named readiness check; it throws (or rejects) with an operator-readable message when the part is down. */
export type HealthCheck = () => Promise<void>;

export interface HealthDependencies {
  checks: Record<string, HealthCheck>;
  timeoutInMs?: number;
  /**
   * With details, each check's result and error (which may name hosts or settings); without, only the status,
   * for anonymous probes and load balancers.
   */
  detailed?: boolean;
}

interface CheckResult {
  ok: boolean;
  durationInMs: number;
  error?: string;
}

/**
 * `GET /api/health` (anonymous): 200 `{ status: "healthy" }` or 503 `{ status: "unhealthy" }`.
 * `GET /api/health/details` (function key): the same, naming the failing parts and each check's result.
 */
export function createHealthHandler({
  checks,
  timeoutInMs = 5000,
  detailed = true,
}: HealthDependencies): HttpHandler {
  return async () => {
    const entries = await Promise.all(
      Object.entries(checks).map(
        async ([name, check]) => [name, await runCheck(check, timeoutInMs)] as const,
      ),
    );
    const results = Object.fromEntries(entries);
    const failing = entries.filter(([, r]) => !r.ok).map(([name]) => name);
    const status = failing.length === 0 ? "healthy" : "unhealthy";
    return {
      status: failing.length === 0 ? 200 : 503,
      jsonBody: detailed ? { status, failing, checks: results } : { status },
      headers: { "Cache-Control": "no-store" },
    };
  };
}

async function runCheck(check: HealthCheck, timeoutInMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutInMs} ms`)), timeoutInMs);
      }),
    ]);
    return { ok: true, durationInMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      durationInMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}
