import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import {
  ATTR_DB_OPERATION_NAME, ATTR_DB_QUERY_TEXT, ATTR_DB_SYSTEM_NAME, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE, DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';

/*
 * Spans of the hub's own choke points, through the OpenTelemetry API only: a request a service
 * answers (its trace context taken from the W3C `traceparent` header), and each statement sent to
 * PostgreSQL. The process that runs a service decides whether they are recorded and where they go
 * (`startTracing` in the hub package); without it every call here is a no-op costing next to
 * nothing, and nothing is wrapped.
 */

const tracer = trace.getTracer('@health-hub/subgraph-kit');

/** Attribute naming the request ID the gateway gave a partner's request (`x-request-id`), on every span of that request. */
export const REQUEST_ID_ATTRIBUTE = 'hub.request_id';
/** Attribute naming the ID a partner gave its own request (its `x-request-id`), on the gateway's span. */
export const PARTNER_REQUEST_ID_ATTRIBUTE = 'hub.partner_request_id';

/**
 * Fields a log line gets from the trace it is written in (a pino `mixin`), so a line leads to
 * its trace and a trace to its lines.
 */
export function traceLogFields(_line: object, _level: number, logger?: { bindings(): Record<string, unknown> }): Record<string, string> {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  // A request's own logger names its trace already (`traceRequests`): its lines end outside the span's context.
  if (logger?.bindings().trace_id !== undefined) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

const requestSpans = new WeakMap<FastifyRequest, { span: Span; context: Context }>();

/**
 * A server span for every request `app` answers, child of the caller's trace when the request
 * carries one. It is made active for the hooks and the handler: the body is read in the
 * socket's own context, so the span is entered again before the handlers run. Register it
 * before any other hook.
 */
export function traceRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(`${request.method} ${route ?? 'unknown route'}`, {
      kind: SpanKind.SERVER,
      attributes: { [ATTR_HTTP_REQUEST_METHOD]: request.method, ...(route ? { [ATTR_HTTP_ROUTE]: route } : {}) },
    }, parent);
    if (!span.isRecording()) return done();
    const active = trace.setSpan(parent, span);
    requestSpans.set(request, { span, context: active });
    // Fastify's own lines ("request completed") are written from the socket's events, outside the span's context.
    const { traceId, spanId } = span.spanContext();
    request.log = request.log.child({ trace_id: traceId, span_id: spanId });
    reply.log = request.log;
    context.with(active, done);
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const traced = requestSpans.get(request);
    if (traced) context.with(traced.context, done);
    else done();
  });
  const end = (request: FastifyRequest, statusCode: number) => {
    const traced = requestSpans.get(request);
    if (!traced) return;
    requestSpans.delete(request);
    traced.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
    if (statusCode >= 500) traced.span.setStatus({ code: SpanStatusCode.ERROR });
    traced.span.end();
  };
  app.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    requestSpans.get(request)?.span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection' });
    end(request, 499);
    done();
  });
}

/** Names the request ID (and the partner's own, when it gave one) on the active request's span (no-op when it is not recorded). */
export function tagRequestId(requestId: string, partnerRequestId?: string): void {
  const span = trace.getSpan(context.active());
  span?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
  if (partnerRequestId) span?.setAttribute(PARTNER_REQUEST_ID_ATTRIBUTE, partnerRequestId);
}

type QueryConfig = { name?: string; text?: string; submit?: unknown };

/**
 * A client span for each statement sent through `pool` while a recorded span is active. Named
 * statements carry their text (fixed by construction: values travel as parameters); other
 * statements only their first keyword, so no value can reach a trace. `pool.query` is traced where
 * it is called (the pool may hand the statement to a client from another request's context);
 * a transaction's client (`pool.connect`) is traced per statement. Callback-style calls and
 * streams (COPY, cursors) pass untouched.
 */
export function traceStatements(pool: pg.Pool): void {
  const poolQuery = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as { query: unknown }).query = (...args: unknown[]) => traced(poolQuery, args);
  pool.on('connect', (client) => {
    const clientQuery = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => traced(clientQuery, args);
  });
}

function traced(query: (...args: unknown[]) => unknown, args: unknown[]): unknown {
  const parent = context.active();
  if (!trace.getSpan(parent)?.isRecording()) return query(...args);
  const statement = args[0] as string | QueryConfig;
  if (typeof args.at(-1) === 'function' || (typeof statement === 'object' && typeof statement.submit === 'function')) return query(...args);
  const text = typeof statement === 'string' ? statement : statement.text ?? '';
  const name = typeof statement === 'string' ? undefined : statement.name;
  const operation = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
  const span = tracer.startSpan(name ? `${operation} ${name}` : operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
      [ATTR_DB_OPERATION_NAME]: operation,
      ...(name ? { [ATTR_DB_QUERY_TEXT]: text, 'db.statement.name': name } : {}),
    },
  }, parent);
  return (query(...args) as Promise<pg.QueryResult>).then(
    (result) => {
      if (typeof result?.rowCount === 'number') span.setAttribute('db.response.returned_rows', result.rowCount);
      span.end();
      return result;
    },
    (error: Error & { code?: string }) => {
      // The SQLSTATE only: PostgreSQL's messages may quote a value ("invalid input syntax … \"…\"").
      const sqlState = typeof error.code === 'string' ? error.code : 'unknown';
      span.setAttribute('db.response.status_code', sqlState);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `SQLSTATE ${sqlState}` });
      span.end();
      throw error;
    },
  );
}

/** Adds the active trace context to outgoing `headers` as W3C `traceparent` (no-op when nothing is traced). */
export function injectTraceContext(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}
