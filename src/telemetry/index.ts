export * from "./names";
export { pathTemplate, safeAttributes } from "./attributes";
export {
  NO_TELEMETRY,
  OpenTelemetryPort,
  type SpanScope,
  type Telemetry,
  type TraceCarrier,
} from "./telemetry";
export { startTelemetry, telemetryFromSettings, type TelemetryPipelines } from "./setup";
export { followHostTraceContext } from "./host-trace";
