import { setPaused } from '../runtime/state-store';
import { availableConnector } from './available';
import type { CliContext } from './context';

/**
 * `pause <name>` / `resume <name>`: marks every stream of the connector paused (or not) in
 * PostgreSQL, where a run checks between pages and a runtime looks at start, and pauses (or
 * resumes) its BullMQ queue, so no new run starts in any process. A run in progress stops after
 * its current page and goes on from its cursor once resumed.
 */
export async function setConnectorPaused(ctx: CliContext, name: string, paused: boolean): Promise<void> {
  const { connector } = availableConnector(ctx.connectors, name);
  await setPaused(ctx.pool, name, connector.streams.map((s) => s.name), paused);
  const queue = ctx.queue(name);
  await (paused ? queue.pause() : queue.resume());
  ctx.out(paused ? `${name} paused: no run starts until \`resume ${name}\`.` : `${name} resumed.`);
}
