import { listen, resolveOptions, type Simulator, type SimulatorOptions, simulatorApp } from './http';
import { RegistryFeed } from './registry-feed';

/** A running population registry simulator; `feed` gives the entries it serves, for tests. */
export interface RegistrySimulator extends Simulator {
  feed: RegistryFeed;
}

/** Largest soLuong the registry accepts. */
export const REGISTRY_MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

function positiveInteger(value: unknown, fallback: number): number | null {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/**
 * The population registry: `GET /api/v1/cong-dan/thay-doi?tu=<seq>&soLuong=<n>` with a bearer
 * token answers `{ duLieu, tiepTheo, conLai }` (see the README for the entry format).
 */
export async function startRegistrySimulator(options: SimulatorOptions): Promise<RegistrySimulator> {
  const resolved = resolveOptions(options);
  const feed = new RegistryFeed(resolved.population, resolved.seed, resolved.faults);
  const { app, dice } = simulatorApp(resolved, (loi) => ({ loi }));

  app.get('/api/v1/cong-dan/thay-doi', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const tu = positiveInteger(query.tu, 1);
    const soLuong = positiveInteger(query.soLuong, DEFAULT_PAGE);
    if (tu === null || tu < 1) return reply.code(400).send({ loi: 'Tham số "tu" phải là số nguyên ≥ 1' });
    if (soLuong === null || soLuong < 1 || soLuong > REGISTRY_MAX_PAGE) {
      return reply.code(400).send({ loi: `Tham số "soLuong" phải từ 1 đến ${REGISTRY_MAX_PAGE}` });
    }
    const duLieu = feed.page(tu, soLuong);
    if (resolved.faults.settings.outOfOrder) dice.shuffle(duLieu);
    const tiepTheo = tu + duLieu.length;
    return { duLieu, tiepTheo, conLai: tiepTheo <= feed.length };
  });

  const simulator = await listen(app, resolved);
  return { ...simulator, feed };
}
