import { AsyncLocalStorage } from "node:async_hooks";
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  type Tracer,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { safeAttributes } from "./attributes";
import type { SPANS } from "./names";
import { ATTR, METRICS, type Attributes, type CounterId, type GaugeId, type HistogramId } from "./names";

/** A W3C trace context, stored with work that resumes elsewhere (a queued HR event, a host invocation). */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

export type SpanName = (typeof SPANS)[keyof typeof SPANS];

/** What the work inside a span may do with it. */
export interface SpanScope {
  /** Adds attributes; only allow-listed keys and identifier-like values are kept. */
  set(attributes: Attributes): void;
}

export interface SpanOptions {
  /** The parent, when it is not the active span: the trace an HR event was accepted in. */
  parent?: TraceCarrier;
  /** `client` for calls to another service (a Genesys request); `internal` otherwise. */
  kind?: "internal" | "client";
}

/**
 * The telemetry port. Handlers get it from the composition root; nothing imports a global tracer or meter,
 * and orchestrators never see it (they replay). Every name it accepts is one of src/telemetry/names.ts.
 */
export interface Telemetry {
  /** False for the no-op port: callers may skip work that only feeds telemetry (a table read for a gauge). */
  readonly enabled: boolean;
  /** Runs `work` in a span, child of `options.parent` or of the active span. Errors are recorded by type only. */
  inSpan<T>(
    name: SpanName,
    attributes: Attributes,
    work: (span: SpanScope) => Promise<T>,
    options?: SpanOptions,
  ): Promise<T>;
  count(metric: CounterId, attributes?: Attributes, value?: number): void;
  record(metric: HistogramId, value: number, attributes?: Attributes): void;
  gauge(metric: GaugeId, value: number, attributes?: Attributes): void;
  /** The active span's trace context, to store with work that continues in another invocation. */
  traceContext(): TraceCarrier | undefined;
  /** Runs `work` with `parent` as the active trace (the Functions host's invocation context). */
  withParent<T>(parent: TraceCarrier | undefined, work: () => T): T;
  /** Exports what is buffered (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const NO_SCOPE: SpanScope = { set: () => undefined };

/** Telemetry switched off: every call does nothing, at no cost. */
export const NO_TELEMETRY: Telemetry = {
  enabled: false,
  inSpan: (_name, _attributes, work) => work(NO_SCOPE),
  count: () => undefined,
  record: () => undefined,
  gauge: () => undefined,
  traceContext: () => undefined,
  withParent: (_parent, work) => work(),
  flush: async () => undefined,
  shutdown: async () => undefined,
};

/** Span attributes children inherit, so a Genesys request carries the employee and event it was made for. */
const INHERITED = [ATTR.employeeKey, ATTR.eventId, ATTR.batchId] as const;

interface ActiveTrace {
  context: Context;
  inherited: Attributes;
}

export interface OpenTelemetryPortOptions {
  tracer: Tracer;
  meter: Meter;
  flush?: () => Promise<void>;
  shutdown?: () => Promise<void>;
}

/**
 * The port over an OpenTelemetry tracer and meter. The active trace lives in this port's own async context,
 * not in a global context manager, so two ports (the app's and a test's) never see each other's spans.
 */
export class OpenTelemetryPort implements Telemetry {
  readonly enabled = true;
  readonly #tracer: Tracer;
  readonly #meter: Meter;
  readonly #active = new AsyncLocalStorage<ActiveTrace>();
  readonly #propagator = new W3CTraceContextPropagator();
  readonly #counters = new Map<CounterId, Counter>();
  readonly #histograms = new Map<HistogramId, Histogram>();
  readonly #gauges = new Map<GaugeId, Gauge>();
  readonly #flush: () => Promise<void>;
  readonly #shutdown: () => Promise<void>;

  constructor(options: OpenTelemetryPortOptions) {
    this.#tracer = options.tracer;
    this.#meter = options.meter;
    this.#flush = options.flush ?? (async () => undefined);
    this.#shutdown = options.shutdown ?? (async () => undefined);
  }

  async inSpan<T>(
    name: SpanName,
    attributes: Attributes,
    work: (span: SpanScope) => Promise<T>,
    options: SpanOptions = {},
  ): Promise<T> {
    const active = this.#active.getStore();
    const parent = options.parent ? this.#extract(options.parent) : (active?.context ?? ROOT_CONTEXT);
    const inherited: Attributes = {};
    for (const key of INHERITED)
      if (active?.inherited[key] !== undefined) inherited[key] = active.inherited[key];
    const span = this.#tracer.startSpan(
      name,
      {
        kind: options.kind === "client" ? SpanKind.CLIENT : SpanKind.INTERNAL,
        attributes: safeAttributes({ ...inherited, ...attributes }),
      },
      parent,
    );
    const trace_: ActiveTrace = { context: trace.setSpan(parent, span), inherited: { ...inherited } };
    const scope: SpanScope = {
      set: (more) => {
        span.setAttributes(safeAttributes(more));
        for (const key of INHERITED) if (more[key] !== undefined) trace_.inherited[key] = more[key];
      },
    };
    scope.set(attributes);
    try {
      return await this.#active.run(trace_, () => work(scope));
    } catch (error) {
      // The type or code only: an error message may quote a name or an email from the HR message.
      span.setAttributes(safeAttributes({ [ATTR.errorType]: errorType(error) }));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  count(metric: CounterId, attributes: Attributes = {}, value = 1): void {
    let counter = this.#counters.get(metric);
    if (!counter) {
      const { name, unit, description } = METRICS[metric];
      counter = this.#meter.createCounter(name, { unit, description });
      this.#counters.set(metric, counter);
    }
    counter.add(value, safeAttributes(attributes));
  }

  record(metric: HistogramId, value: number, attributes: Attributes = {}): void {
    let histogram = this.#histograms.get(metric);
    if (!histogram) {
      const { name, unit, description } = METRICS[metric];
      histogram = this.#meter.createHistogram(name, { unit, description });
      this.#histograms.set(metric, histogram);
    }
    histogram.record(value, safeAttributes(attributes));
  }

  gauge(metric: GaugeId, value: number, attributes: Attributes = {}): void {
    let gauge = this.#gauges.get(metric);
    if (!gauge) {
      const { name, unit, description } = METRICS[metric];
      gauge = this.#meter.createGauge(name, { unit, description });
      this.#gauges.set(metric, gauge);
    }
    gauge.record(value, safeAttributes(attributes));
  }

  traceContext(): TraceCarrier | undefined {
    const active = this.#active.getStore();
    if (!active) return undefined;
    const carrier: Record<string, string> = {};
    this.#propagator.inject(active.context, carrier, defaultTextMapSetter);
    if (!carrier.traceparent) return undefined;
    return {
      traceparent: carrier.traceparent,
      ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
    };
  }

  withParent<T>(parent: TraceCarrier | undefined, work: () => T): T {
    if (!parent) return work();
    return this.#active.run({ context: this.#extract(parent), inherited: {} }, work);
  }

  flush(): Promise<void> {
    return this.#flush();
  }

  shutdown(): Promise<void> {
    return this.#shutdown();
  }

  #extract(carrier: TraceCarrier): Context {
    return this.#propagator.extract(ROOT_CONTEXT, { ...carrier }, defaultTextMapGetter);
  }
}

/** An error's kind for `error.type`: a Genesys error code, else the error class name. */
function errorType(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === "string" && name !== "") return name;
  }
  return "Error";
}
