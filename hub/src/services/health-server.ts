import Fastify from 'fastify';
import type { Registry } from 'prom-client';

export interface HealthServerOptions {
  name: string;
  host: string;
  port: number;
  /** Whether the service can do its work now (its queues and database answer). */
  ready: () => Promise<boolean>;
  /** Metrics served at /metrics. */
  metrics?: Registry;
}

/**
 * `/health` (the process answers), `/ready` (it can work) and `/metrics` for the services that
 * serve no GraphQL (connector workers, scheduler, webhook dispatcher), for probes and scrapers.
 */
export async function serveHealth(options: HealthServerOptions): Promise<{ close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ status: 'ok', service: options.name }));
  app.get('/ready', async (_request, reply) => {
    const ready = await options.ready().catch(() => false);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', service: options.name });
  });
  app.get('/metrics', async (_request, reply) => {
    if (!options.metrics) return reply.code(404).send();
    return reply.type(options.metrics.contentType).send(await options.metrics.metrics());
  });
  await app.listen({ host: options.host, port: options.port });
  return { close: () => app.close() };
}
