import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import Fastify from 'fastify';

/** Options of `startQueueBoard`. */
export interface QueueBoardOptions {
  /** Redis of the connector queues. Required. */
  redisUrl: string;
  /** Names of the queues to show (one per connector). Required. */
  queues: readonly string[];
  /** BullMQ key prefix the runtime uses. Default `hub`. */
  queuePrefix?: string;
  /** Port to listen on; 0 for a free one. Required. */
  port: number;
  /** Default 127.0.0.1: the board can retry and delete jobs, so it stays local. */
  host?: string;
}

/** A running queue dashboard. */
export interface QueueBoard {
  url: string;
  close(): Promise<void>;
}

// The UI's page asks a font CDN for its typeface; the hub sends nothing outside, so that link is
// dropped and the page falls back to local fonts. Every script and style is served from here.
const FONT_CDN_LINK = /<link[^>]+href="https:\/\/fonts\.googleapis\.com[^>]*>/g;

/**
 * Serves Bull Board (the queues' jobs: waiting, active, delayed, failed with their reasons,
 * completed with their results) for the connector queues, on its own Fastify server, with the
 * UI's assets from the installed `@bull-board/ui` package.
 */
export async function startQueueBoard(options: QueueBoardOptions): Promise<QueueBoard> {
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const queues = options.queues.map((name) => new Queue(name, { connection, prefix: options.queuePrefix ?? 'hub' }));
  const adapter = new FastifyAdapter();
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter, options: { uiConfig: { boardTitle: 'Health Hub connectors' } } });
  adapter.setBasePath('/');

  const app = Fastify({ logger: false });
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    return type.startsWith('text/html') && typeof payload === 'string' ? payload.replace(FONT_CDN_LINK, '') : payload;
  });
  await app.register(adapter.registerPlugin(), { prefix: '/' });
  try {
    await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    await Promise.allSettled(queues.map((q) => q.close()));
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    async close() {
      await app.close();
      await Promise.allSettled(queues.map((q) => q.close()));
    },
  };
}
