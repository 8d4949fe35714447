import type { HrEvent, HrWorker } from "../../src/lifecycle/hr-event";
import { parseMapping, type Mapping } from "../../src/lifecycle/mapping";

/**
 * The worker the suites follow: Jane Doe, employee 100482, a Technical Support agent in Support. A test names
 * only what it is about and takes the rest from here.
 */
export function aWorker(overrides: Partial<HrWorker> = {}): HrWorker {
  return {
    employeeId: "100482",
    email: "jane.doe@example.com",
    firstName: "Jane",
    lastName: "Doe",
    title: "Technical Support",
    department: "Support",
    ...overrides,
  };
}

/** A normalized HR event (a hire of `aWorker()` on 2026-12-01 unless told otherwise). */
export function anEvent(
  overrides: Partial<Omit<HrEvent, "worker">> & { worker?: Partial<HrWorker> } = {},
): HrEvent {
  const { worker, ...event } = overrides;
  return { eventId: "e-1", type: "hire", effectiveDate: "2026-12-01", ...event, worker: aWorker(worker) };
}

/** A mapping from its YAML (or JSON) source; a source that does not parse fails the test with its errors. */
export function aMapping(source: string): Mapping {
  const result = parseMapping(source);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.mapping;
}
