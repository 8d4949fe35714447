/** Starting a reconciliation run on a stack and reading its report once it has ended. */
import type { LifecycleStack } from "./lifecycle-stack";

/** A drift item as the report shows it, with who changed it and when where Genesys's audit says so. */
export interface ReportedDriftItem {
  attribute: string;
  change: string;
  item?: string;
  changedBy?: string;
  changedAt?: string;
}

/** What `GET /api/reconciliation/runs/{id}` answers once a run has ended (the parts tests read). */
export interface RunReport {
  id: string;
  status: string;
  mode: string;
  hr: { source: string; via: string; status: string; eventsAccepted: number; workersRead: number }[];
  genesys: {
    managed: number;
    compared: number;
    drifted: number;
    orphans: number;
    fixesQueued: number;
    auditUnavailable?: string;
  };
  cost: { genesysCalls: number; callsPerManagedUser: number; wallPerFloor: number; backOffs: number };
  findings: {
    kind: string;
    employeeId?: string;
    type?: string;
    status?: string;
    action?: string;
    items?: ReportedDriftItem[];
  }[];
}

/**
 * Lets a run and everything it hands on finish, and reads its report. A slice that steps back (the events it
 * handed on go first, or Genesys said 429) waits on a timer: the clock is moved on a second at a time, never
 * run until idle, so the graceful leaver's retention timer does not fire here. The budget keeps a
 * Retry-After by the real clock, so each turn also lets a real second pass.
 */
export async function runEnded(stack: LifecycleStack, location: string): Promise<RunReport> {
  await stack.host.durable.settle();
  let read = await stack.call("GET", `${location}?pageSize=100`);
  for (let turns = 0; read.status === 202 && turns < 10; turns++) {
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await stack.host.durable.advance(1_000);
    await stack.host.durable.settle();
    read = await stack.call("GET", `${location}?pageSize=100`);
  }
  expect(read.status).toBe(200);
  return (await read.json()) as RunReport;
}

/** Starts a run, lets it and everything it hands on finish, and reads the report. */
export async function reconcile(stack: LifecycleStack, mode: "report" | "fix"): Promise<RunReport> {
  const started = await stack.call("POST", "/api/reconciliation/runs", { mode });
  expect(started.status).toBe(202);
  const location = started.headers.get("location")!;
  expect(location).toMatch(/^\/api\/reconciliation\/runs\/[A-Za-z0-9-]+$/);
  const report = await runEnded(stack, location);
  expect(report).toMatchObject({ status: "completed", mode });
  return report;
}
