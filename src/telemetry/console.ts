import { SpanStatusCode } from "@opentelemetry/api";
import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from "@opentelemetry/core";
import {
  AggregationTemporality,
  type PushMetricExporter,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { ATTR } from "./names";

type Write = (line: string) => void;

const shortAttributes = (attributes: Record<string, unknown>) =>
  Object.entries(attributes)
    .map(([key, value]) => `${key.replace(/^lifecycle\./, "")}=${String(value)}`)
    .join(" ");

/**
 * One line per span on the console, for `npm start` with TELEMETRY_CONSOLE=true: short enough to follow an HR
 * event through intake, its activities and its Genesys calls by eye. The trace id ties the lines together.
 */
export class ConsoleLineSpanExporter implements SpanExporter {
  constructor(private readonly write: Write = (line) => console.log(line)) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) {
      const ms = Math.round(hrTimeToMilliseconds(span.duration));
      const trace = span.spanContext().traceId.slice(0, 8);
      const failed = span.status.code === SpanStatusCode.ERROR ? " FAILED" : "";
      const what = span.attributes[ATTR.functionName] ?? span.attributes[ATTR.genesysOperation] ?? "";
      const rest = { ...span.attributes };
      delete rest[ATTR.functionName];
      delete rest[ATTR.genesysOperation];
      this.write(
        `[trace ${trace}] ${span.name} ${String(what)} ${ms} ms${failed} ${shortAttributes(rest)}`.trimEnd(),
      );
    }
    done({ code: ExportResultCode.SUCCESS });
  }

  async shutdown(): Promise<void> {}
}

/** Each export's metric points, one line each (counters as the change since the previous line). */
export class ConsoleLineMetricExporter implements PushMetricExporter {
  constructor(private readonly write: Write = (line) => console.log(line)) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    for (const scope of metrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        for (const point of metric.dataPoints) {
          const value =
            typeof point.value === "number"
              ? String(point.value)
              : `count=${point.value.count} sum=${point.value.sum ?? 0}`;
          this.write(
            `[metric] ${metric.descriptor.name} ${value} ${shortAttributes(point.attributes)}`.trimEnd(),
          );
        }
      }
    }
    done({ code: ExportResultCode.SUCCESS });
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.DELTA;
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
