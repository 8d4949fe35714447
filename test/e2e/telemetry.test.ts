/**
 * Telemetry end to end: the real app in the local host, Azurite and the Genesys emulator, with its telemetry
 * port exporting to memory (test/fixtures/telemetry-app). One hire and one leaver each make one trace, from
 * the HTTP intake through every activity to each Genesys request, and nothing personal or secret is in it.
 */
import path from "node:path";
import { TableClient } from "@azure/data-tables";
import type { MetricData, ResourceMetrics } from "@opentelemetry/sdk-metrics";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { EmployeeRepository } from "../../src/storage/employees";
import { ATTR, METRICS, SPANS } from "../../src/telemetry";
import { metrics, spans, telemetry } from "../fixtures/telemetry-app/recorder";
import { E2E_MAPPING, FUNCTION_KEY, hireEvent, useLifecycleStack } from "../support/lifecycle-stack";

const ENTRY = path.join(__dirname, "../fixtures/telemetry-app/index.ts");

/** Personal data in the HR events, distinct enough that any appearance in telemetry is a leak. */
const PERSON = {
  firstName: "Marguerite",
  lastName: "Quennell-Abernathy",
  preferredName: "Margot",
  email: "marguerite.quennell@example.com",
  managerEmail: "sup.support@example.com",
};

describe("telemetry, end to end: one trace per HR event, identifiers only", () => {
  const stack = useLifecycleStack({ entry: ENTRY, mapping: E2E_MAPPING });

  const hire = { ...hireEvent("740001", PERSON), eventId: "tel-hire-740001" };
  const leave = {
    ...hireEvent("740001", PERSON, "terminate"),
    eventId: "tel-leave-740001",
    effectiveDate: "2026-11-02",
  };
  let finished: ReadableSpan[] = [];
  let exported: ResourceMetrics[] = [];

  it("runs a hire and a leaver through the app", async () => {
    await stack.deliver(hire, "idle");
    const agent = stack.genesys.admin.user(PERSON.email)!;
    expect(agent.state).toBe("active");
    stack.genesys.admin.addInteraction({
      mediaType: "voice",
      agent: agent.id,
      queue: "Priority_Support_Queue",
    });

    const clock = new Date(stack.host.clock.now()).toISOString().slice(0, 10);
    await stack.deliver({ ...leave, effectiveDate: clock });
    expect(stack.genesys.admin.user(agent.id)?.state).toBe("inactive");

    await stack.host.invoke("telemetryGauges");
    await telemetry.flush();
    finished = spans.getFinishedSpans();
    exported = metrics.getMetrics();
  });

  const spansOfEvent = (eventId: string) => {
    const intake = finished.filter((s) => s.name === SPANS.hrEvent && s.attributes[ATTR.eventId] === eventId);
    expect(intake).toHaveLength(1);
    const traceId = intake[0].spanContext().traceId;
    return { intake: intake[0], trace: finished.filter((s) => s.spanContext().traceId === traceId) };
  };
  const activities = (trace: ReadableSpan[]) =>
    trace.filter((s) => s.name === SPANS.activity).map((s) => String(s.attributes[ATTR.functionName]));
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  it("follows the hire from the HTTP intake through each activity to each Genesys request", () => {
    const { intake, trace } = spansOfEvent(hire.eventId);
    expect(intake.attributes).toMatchObject({
      [ATTR.source]: "events",
      [ATTR.outcome]: "accepted",
      [ATTR.employeeKey]: "740001",
    });
    const http = trace.find((s) => s.name === SPANS.http);
    expect(http?.attributes).toMatchObject({
      [ATTR.functionName]: "hrEvents",
      [ATTR.httpRoute]: "hr/events",
      [ATTR.statusCode]: 202,
    });
    expect(parentOf(intake)).toBe(http?.spanContext().spanId);

    expect(activities(trace)).toEqual(
      expect.arrayContaining(["prepareConverge", "applyPlanStep", "verifyConverged", "completeEvent"]),
    );
    for (const activity of trace.filter((s) => s.name === SPANS.activity)) {
      expect(parentOf(activity)).toBe(intake.spanContext().spanId);
      expect(activity.attributes).toMatchObject({
        [ATTR.employeeKey]: "740001",
        [ATTR.eventId]: hire.eventId,
      });
    }
    const genesys = trace.filter((s) => s.name === SPANS.genesysRequest);
    const operations = genesys.map((s) => s.attributes[ATTR.genesysOperation]);
    expect(operations).toEqual(expect.arrayContaining(["POST /api/v2/users"]));
    const activityIds = new Set(
      trace.filter((s) => s.name === SPANS.activity).map((s) => s.spanContext().spanId),
    );
    for (const request of genesys) {
      expect(activityIds.has(parentOf(request) ?? "")).toBe(true);
      expect(request.attributes).toMatchObject({
        [ATTR.employeeKey]: "740001",
        [ATTR.eventId]: hire.eventId,
      });
      expect(request.attributes[ATTR.statusCode]).toEqual(expect.any(Number));
    }
  });

  it("follows the leaver through off-queue, hand-over and deactivation, transfer included", () => {
    const { intake, trace } = spansOfEvent(leave.eventId);
    expect(activities(trace)).toEqual(
      expect.arrayContaining([
        "prepareLeaver",
        "takeAgentOffQueue",
        "handOverInteractions",
        "checkDeactivationGuard",
        "deactivateLeaver",
        "completeEvent",
      ]),
    );
    const complete = trace.find((s) => s.attributes[ATTR.functionName] === "completeEvent");
    expect(complete?.attributes[ATTR.eventId]).toBe(leave.eventId);
    expect(trace.every((s) => s === intake || s.name === SPANS.http || parentOf(s) !== undefined)).toBe(true);
    const operations = trace.map((s) => s.attributes[ATTR.genesysOperation]).filter(Boolean);
    expect(operations).toEqual(
      expect.arrayContaining([
        "POST /api/v2/conversations/calls/{id}/participants/{id}/replace",
        "PUT /api/v2/users/{id}/routingstatus",
        "PATCH /api/v2/users/{id}/presences/purecloud",
      ]),
    );
  });

  /** Every exported metric point of one metric, as [attributes, value]. */
  const points = (name: string) =>
    exported
      .flatMap((r) => r.scopeMetrics)
      .flatMap((s) => s.metrics)
      .filter((m: MetricData) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints.map((p) => [p.attributes, p.value] as const));

  it("counts the events, the hire, the leaver, the transfer and the Genesys responses", () => {
    expect(points(METRICS.hrEvents.name)).toEqual([
      [{ [ATTR.source]: "events", [ATTR.outcome]: "accepted" }, 2],
    ]);
    expect(points(METRICS.hiresProvisioned.name)).toEqual([[{ [ATTR.change]: "created" }, 1]]);
    expect(points(METRICS.leaversCompleted.name)).toEqual([[{ [ATTR.eventType]: "terminate" }, 1]]);
    expect(points(METRICS.interactionsHandedOver.name)).toEqual([[{ [ATTR.action]: "transferred" }, 1]]);
    expect(points(METRICS.leaverLiveInteractions.name)).toEqual([
      [{ [ATTR.employeeKey]: "740001", [ATTR.eventId]: leave.eventId }, 0],
    ]);
    const statuses = points(METRICS.genesysRequests.name).map(([attributes]) => attributes[ATTR.statusCode]);
    expect(statuses).toEqual(expect.arrayContaining([200]));
    expect(points(METRICS.quarantineSize.name)).toEqual([[{}, 0]]);
    expect(points(METRICS.approvalsPending.name)).toEqual([[{}, 0]]);
  });

  it("carries no name, email or secret that was sent, in any span or metric", () => {
    expect(finished.length).toBeGreaterThan(20);
    const everything = JSON.stringify([
      finished.map((s) => ({
        name: s.name,
        attributes: s.attributes,
        status: s.status,
        events: s.events,
        links: s.links,
        resource: s.resource.attributes,
      })),
      exported.map((r) => ({ resource: r.resource.attributes, scopes: r.scopeMetrics })),
    ]);
    const secrets = [
      "lifecycle-local-secret", // GENESYS_CLIENT_SECRET
      FUNCTION_KEY,
      /AccountKey=([^;]+)/.exec(stack.azurite.connectionString)?.[1] ?? "no account key",
    ];
    for (const value of [...Object.values(PERSON), "@", ...secrets]) {
      expect({ value, found: everything.includes(value) }).toEqual({ value, found: false });
    }
  });

  it("counts a leaver past the drain deadline and the interaction disconnected as the last resort", async () => {
    await stack.deliver({ ...hireEvent("740002"), eventId: "tel-hire-740002" }, "idle");
    const agent = stack.genesys.admin.user("agent.740002@example.com")!;
    stack.genesys.admin.addInteraction({
      mediaType: "voice",
      agent: agent.id,
      queue: "Priority_Support_Queue",
    });
    // Every transfer fails (501 is never retried), so the interaction is still live at the deadline.
    stack.genesys.admin.setFaults({ errorRate: 1, errorStatuses: [501], pathPattern: "/replace" });
    try {
      const today = new Date(stack.host.clock.now()).toISOString().slice(0, 10);
      const leaver = {
        ...hireEvent("740002", {}, "terminate"),
        eventId: "tel-leave-740002",
        effectiveDate: today,
      };
      await stack.deliver(leaver);
      for (let minute = 0; minute < 130; minute += 5) await stack.host.durable.advance(5 * 60_000);
      expect(stack.genesys.admin.user(agent.id)?.state).toBe("inactive");
    } finally {
      stack.genesys.admin.clearFaults();
    }
    await telemetry.flush();
    exported = metrics.getMetrics().slice(-1);
    expect(points(METRICS.leaversPastDeadline.name)).toEqual([[{}, 1]]);
    expect(points(METRICS.interactionsHandedOver.name)).toEqual(
      expect.arrayContaining([[{ [ATTR.action]: "disconnected" }, 1]]),
    );
    // The last reading for this leaver: nothing live any more.
    expect(points(METRICS.leaverLiveInteractions.name)).toEqual(
      expect.arrayContaining([[{ [ATTR.employeeKey]: "740002", [ATTR.eventId]: "tel-leave-740002" }, 0]]),
    );
  });

  it("counts the employees the inbox sweep finds stuck: pending events and no orchestration", async () => {
    const employees = new EmployeeRepository(
      TableClient.fromConnectionString(stack.azurite.connectionString, "lifecycleemployees", {
        allowInsecureConnection: true,
      }),
    );
    // An event queued whose wake-up was lost: nothing started the employee's orchestration.
    await employees.enqueueEvent("740099", {
      source: "events",
      idempotencyKey: "lost-wake-up",
      eventId: "tel-lost-740099",
      type: "change",
      effectiveDate: "2026-11-01",
      receivedAt: new Date(stack.host.clock.now()).toISOString(),
    });
    await stack.host.invoke("inboxSweep");
    await telemetry.flush();
    exported = metrics.getMetrics().slice(-1);
    expect(points(METRICS.sweepStuckEmployees.name)).toEqual([[{}, 1]]);
    // A second sweep restarts nothing: the employee is running or done.
    await stack.host.invoke("inboxSweep");
    await telemetry.flush();
    exported = metrics.getMetrics().slice(-1);
    expect(points(METRICS.sweepStuckEmployees.name)).toEqual([[{}, 1]]);
  });
});
