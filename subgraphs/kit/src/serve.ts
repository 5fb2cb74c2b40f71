import type { FastifyInstance } from 'fastify';

/**
 * Listens on `port` (HOST, default 127.0.0.1) and closes the app cleanly on SIGINT/SIGTERM,
 * so in-flight requests finish and the pool is released.
 */
export async function serveSubgraph(app: FastifyInstance, port: number): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen({ port, host });
  const stop = () => {
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
