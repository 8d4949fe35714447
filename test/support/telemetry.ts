/**
 * A telemetry port that records in memory, and readers for what it recorded: the in-memory exporters are the
 * OpenTelemetry SDK's own, so a test sees exactly what an exporter to Azure Monitor or OTLP would be given.
 */
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  PeriodicExportingMetricReader,
  type MetricData,
} from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { startTelemetry, type Telemetry } from "../../src/telemetry";

export interface Recording {
  telemetry: Telemetry;
  /** Flushes, then every finished span. */
  spans(): Promise<ReadableSpan[]>;
  /** Flushes, then every point of one metric as [attributes, value] (cumulative). */
  points(name: string): Promise<Array<readonly [Record<string, unknown>, unknown]>>;
}

export function recordTelemetry(): Recording {
  const spans = new InMemorySpanExporter();
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const telemetry = startTelemetry({
    serviceName: "test",
    spanExporters: [spans],
    metricReaders: [
      new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 }),
    ],
  });
  return {
    telemetry,
    async spans() {
      await telemetry.flush();
      return spans.getFinishedSpans();
    },
    async points(name) {
      await telemetry.flush();
      const latest = metrics.getMetrics().at(-1);
      return (latest?.scopeMetrics ?? [])
        .flatMap((s) => s.metrics)
        .filter((m: MetricData) => m.descriptor.name === name)
        .flatMap((m) => m.dataPoints.map((p) => [p.attributes, p.value] as const));
    },
  };
}
