import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';

export interface TracingOptions {
  /** Names the process in every span (`service.name` hub-<service>). */
  service: string;
  /**
   * Where spans go: `otlp` (OTLP over HTTP to `endpoint`, batched), `console` (standard output),
   * or an exporter of the caller's (each span exported as it ends: tests use an in-memory one).
   */
  exporter: 'otlp' | 'console' | SpanExporter;
  /** OTLP traces endpoint. Default http://127.0.0.1:4318/v1/traces. */
  endpoint?: string;
  /**
   * Share of traces recorded, 0 to 1, decided by the trace ID, so every process of the hub
   * decides a trace alike. A caller's trace is continued (same trace ID) but recorded at the
   * same share: an outside caller that marks its traces sampled cannot make the hub record
   * every request. Default 1.
   */
  sampleRatio?: number;
}

export interface Tracing {
  /** Exports the spans still buffered and stops recording. */
  shutdown(): Promise<void>;
}

/**
 * Records this process's spans: registers a tracer provider (AsyncLocalStorage context, W3C
 * trace context propagation) that the spans of the gateway, Apollo Gateway's query
 * plans, the subgraphs and their SQL (`traceRequests`, `traceStatements` in the subgraph kit) are
 * recorded through. Without a call to it, nothing is recorded and tracing costs nothing.
 */
export function startTracing(options: TracingOptions): Tracing {
  const exporter = options.exporter === 'otlp'
    ? new OTLPTraceExporter({ url: options.endpoint ?? 'http://127.0.0.1:4318/v1/traces' })
    : options.exporter === 'console' ? new ConsoleSpanExporter() : options.exporter;
  const processor = typeof options.exporter === 'string' ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter);
  const ratio = new TraceIdRatioBasedSampler(options.sampleRatio ?? 1);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `hub-${options.service}`, 'service.namespace': 'health-hub' }),
    sampler: new ParentBasedSampler({ root: ratio, remoteParentSampled: ratio }),
    spanProcessors: [processor],
  });
  // Trace context only: a caller's baggage is not passed on to the subgraphs.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return { shutdown: () => provider.shutdown() };
}
