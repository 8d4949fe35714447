import type { PreInvocationContext } from "@azure/functions";
import { GenesysCloudError } from "../../../src/genesys";
import {
  ATTR,
  followHostTraceContext,
  METRICS,
  NO_TELEMETRY,
  pathTemplate,
  safeAttributes,
  SPANS,
  telemetryFromSettings,
} from "../../../src/telemetry";
import { ConsoleLineSpanExporter } from "../../../src/telemetry/console";
import { recordTelemetry } from "../../support/telemetry";

const credential = () => {
  throw new Error("no credential is needed without Azure Monitor");
};

describe("the attribute allow-list", () => {
  it("keeps allow-listed identifiers and drops every other key", () => {
    expect(
      safeAttributes({
        [ATTR.employeeKey]: "100482",
        [ATTR.eventId]: "wd-4a6f1c2e",
        [ATTR.statusCode]: 429,
        firstName: "Jane",
        "user.email": "jane.doe@example.com",
        authorization: "Bearer abc",
      }),
    ).toEqual({ [ATTR.employeeKey]: "100482", [ATTR.eventId]: "wd-4a6f1c2e", [ATTR.statusCode]: 429 });
  });

  it("drops a value that holds an email address or a control character, and cuts a long one", () => {
    expect(
      safeAttributes({
        [ATTR.employeeKey]: "jane.doe@example.com",
        [ATTR.eventId]: "line\nbreak",
        [ATTR.batchId]: "x".repeat(500),
        [ATTR.statusCode]: Number.NaN,
      }),
    ).toEqual({ [ATTR.batchId]: "x".repeat(128) });
  });

  it("turns Genesys paths into templates without ids", () => {
    expect(pathTemplate("/api/v2/users/6b1f1e0a-2c4d-4b8e-9a51-3c0f5d7e8a12/routingstatus")).toBe(
      "/api/v2/users/{id}/routingstatus",
    );
    expect(pathTemplate("/api/v2/conversations/calls/c-1/participants/p-2/replace")).toBe(
      "/api/v2/conversations/calls/{id}/participants/{id}/replace",
    );
    expect(pathTemplate("/api/v2/users/jane%40example.com?expand=x")).toBe("/api/v2/users/{id}");
  });

  it("names every metric once, each with a unit and a description", () => {
    const names = Object.values(METRICS).map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const metric of Object.values(METRICS)) {
      expect(metric.name).toMatch(/^(lifecycle|genesys)\.[a-z_.]+$/);
      expect(metric.unit).not.toBe("");
      expect(metric.description).not.toBe("");
    }
  });
});

describe("the telemetry port", () => {
  it("nests spans, and children inherit the employee and event of their parent", async () => {
    const recording = recordTelemetry();
    const { telemetry } = recording;
    await telemetry.inSpan(SPANS.activity, { [ATTR.employeeKey]: "100482" }, async (span) => {
      span.set({ [ATTR.eventId]: "wd-1" });
      await telemetry.inSpan(SPANS.genesysRequest, { [ATTR.statusCode]: 200 }, async () => undefined, {
        kind: "client",
      });
    });
    const [child, parent] = await recording.spans();
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(child.attributes).toEqual({
      [ATTR.employeeKey]: "100482",
      [ATTR.eventId]: "wd-1",
      [ATTR.statusCode]: 200,
    });
  });

  it("hands its trace context to work that resumes elsewhere, which continues the same trace", async () => {
    const recording = recordTelemetry();
    const { telemetry } = recording;
    const carrier = await telemetry.inSpan(SPANS.hrEvent, {}, async () => telemetry.traceContext());
    expect(carrier?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await telemetry.inSpan(SPANS.activity, {}, async () => undefined, { parent: carrier });
    await telemetry.withParent(carrier, () => telemetry.inSpan(SPANS.http, {}, async () => undefined));
    const [intake, activity, http] = await recording.spans();
    expect(activity.spanContext().traceId).toBe(intake.spanContext().traceId);
    expect(activity.parentSpanContext?.spanId).toBe(intake.spanContext().spanId);
    expect(http.parentSpanContext?.spanId).toBe(intake.spanContext().spanId);
    expect(telemetry.traceContext()).toBeUndefined();
  });

  it("records a failure by its type or Genesys code, never by its message", async () => {
    const recording = recordTelemetry();
    const error = new GenesysCloudError({
      statusCode: 409,
      code: "general.conflict",
      method: "POST",
      path: "/api/v2/users",
      message: "jane.doe@example.com is taken",
    });
    await expect(
      recording.telemetry.inSpan(SPANS.genesysRequest, {}, async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    const [span] = await recording.spans();
    expect(span.status).toEqual({ code: 2 });
    expect(span.attributes).toEqual({ [ATTR.errorType]: "general.conflict" });
    expect(span.events).toEqual([]);
  });

  it("counts, records and gauges only under the defined metric names", async () => {
    const recording = recordTelemetry();
    recording.telemetry.count("hrEvents", { [ATTR.source]: "workday", [ATTR.outcome]: "accepted" });
    recording.telemetry.count("hrEvents", { [ATTR.source]: "workday", [ATTR.outcome]: "accepted" });
    recording.telemetry.gauge("quarantineSize", 3);
    expect(await recording.points(METRICS.hrEvents.name)).toEqual([
      [{ [ATTR.source]: "workday", [ATTR.outcome]: "accepted" }, 2],
    ]);
    expect(await recording.points(METRICS.quarantineSize.name)).toEqual([[{}, 3]]);
  });

  it("is off, and costs nothing, when no exporter is configured", async () => {
    const off = telemetryFromSettings(
      { serviceName: "x", console: false, metricIntervalInMs: 60_000 },
      credential,
    );
    expect(off).toBe(NO_TELEMETRY);
    await expect(NO_TELEMETRY.inSpan(SPANS.http, {}, async (span) => (span.set({}), 7))).resolves.toBe(7);
    expect(NO_TELEMETRY.traceContext()).toBeUndefined();
  });

  it("is on with the console exporter alone, which prints one line per span", async () => {
    const on = telemetryFromSettings(
      { serviceName: "x", console: true, metricIntervalInMs: 60_000 },
      credential,
    );
    expect(on.enabled).toBe(true);
    await on.shutdown();
    const lines: string[] = [];
    const recording = recordTelemetry();
    await recording.telemetry.inSpan(
      SPANS.activity,
      {
        [ATTR.functionName]: "deactivateLeaver",
        [ATTR.employeeKey]: "100482",
        [ATTR.outcome]: "DEACTIVATED",
      },
      async () => undefined,
    );
    new ConsoleLineSpanExporter((line) => lines.push(line)).export(await recording.spans(), () => undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[trace [0-9a-f]{8}\] lifecycle\.activity deactivateLeaver \d+ ms employee_key=100482 outcome=DEACTIVATED$/,
    );
  });
});

describe("following the Functions host's trace context", () => {
  it("runs each invocation's handler under the host's traceparent", async () => {
    // The host's hook registry exists only inside the Azure Functions worker: a stand-in captures the hook.
    let hook: ((context: PreInvocationContext) => unknown) | undefined;
    const recording = recordTelemetry();
    let terminate: unknown;
    followHostTraceContext(
      {
        preInvocation: (callback) => ((hook = callback), { dispose: () => undefined }),
        appTerminate: (callback) => ((terminate = callback), { dispose: () => undefined }),
      },
      recording.telemetry,
    );
    const hostTrace = "0af7651916cd43dd8448eb211c80319c";
    const context = {
      invocationContext: { traceContext: { traceParent: `00-${hostTrace}-b7ad6b7169203331-01` } },
      functionHandler: () => recording.telemetry.inSpan(SPANS.http, {}, async () => undefined),
    } as unknown as PreInvocationContext;
    hook!(context);
    await (context.functionHandler as () => Promise<void>)();
    const [span] = await recording.spans();
    expect(span.spanContext().traceId).toBe(hostTrace);
    expect(span.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
    expect(terminate).toEqual(expect.any(Function)); // the worker's shutdown exports what is still buffered
  });

  it("registers no hook when telemetry is off", () => {
    const preInvocation = jest.fn();
    const appTerminate = jest.fn();
    followHostTraceContext({ preInvocation, appTerminate }, NO_TELEMETRY);
    expect(preInvocation).not.toHaveBeenCalled();
    expect(appTerminate).not.toHaveBeenCalled();
  });
});
