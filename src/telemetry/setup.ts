import type { TokenCredential } from "@azure/identity";
import { AzureMonitorMetricExporter, AzureMonitorTraceExporter } from "@azure/monitor-opentelemetry-exporter";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricReader,
  type PushMetricExporter,
} from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { TelemetrySettings } from "../config/settings";
import { ConsoleLineMetricExporter, ConsoleLineSpanExporter } from "./console";
import { NO_TELEMETRY, OpenTelemetryPort, type Telemetry } from "./telemetry";

export interface TelemetryPipelines {
  serviceName: string;
  spanExporters: SpanExporter[];
  /** Readers that pull metrics: a periodic reader around an exporter, or a test's own. */
  metricReaders: MetricReader[];
}

/** A telemetry port over its own tracer and meter providers: no global registration, nothing at import. */
export function startTelemetry(pipelines: TelemetryPipelines): Telemetry {
  const resource = resourceFromAttributes({ "service.name": pipelines.serviceName });
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: pipelines.spanExporters.map((exporter) => new BatchSpanProcessor(exporter)),
  });
  const meterProvider = new MeterProvider({ resource, readers: pipelines.metricReaders });
  return new OpenTelemetryPort({
    tracer: tracerProvider.getTracer(pipelines.serviceName),
    meter: meterProvider.getMeter(pipelines.serviceName),
    flush: async () => {
      await tracerProvider.forceFlush();
      await meterProvider.forceFlush();
    },
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  });
}

/**
 * The exporters the settings ask for: Azure Monitor (the Functions guidance for the Node.js worker is the
 * Azure Monitor *exporter*, not the distro, whose automatic request tracking would duplicate the host's),
 * an OTLP endpoint, the console. With none, the no-op port.
 */
export function telemetryFromSettings(
  settings: TelemetrySettings,
  credential: () => TokenCredential,
): Telemetry {
  const spanExporters: SpanExporter[] = [];
  const metricExporters: PushMetricExporter[] = [];
  if (settings.azureMonitor) {
    const options = {
      connectionString: settings.azureMonitor.connectionString,
      ...(settings.azureMonitor.entraId ? { credential: credential() } : {}),
    };
    spanExporters.push(new AzureMonitorTraceExporter(options));
    metricExporters.push(new AzureMonitorMetricExporter(options));
  }
  if (settings.otlpEndpoint) {
    const base = settings.otlpEndpoint.replace(/\/+$/, "");
    spanExporters.push(new OTLPTraceExporter({ url: `${base}/v1/traces` }));
    metricExporters.push(new OTLPMetricExporter({ url: `${base}/v1/metrics` }));
  }
  if (settings.console) {
    spanExporters.push(new ConsoleLineSpanExporter());
    metricExporters.push(new ConsoleLineMetricExporter());
  }
  if (spanExporters.length === 0) return NO_TELEMETRY;
  return startTelemetry({
    serviceName: settings.serviceName,
    spanExporters,
    metricReaders: metricExporters.map(
      (exporter) =>
        new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: settings.metricIntervalInMs }),
    ),
  });
}
