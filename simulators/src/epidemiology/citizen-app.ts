import { z } from 'zod';
import { listen, resolveOptions, type Simulator, type SimulatorOptions, simulatorApp } from '../servers/http';
import { citizenAppEvents, type CitizenAppEvent } from './citizen-app-format';
import type { Epidemiology } from './types';

/** Largest `gioiHan` the citizen app accepts. */
export const CITIZEN_APP_MAX_PAGE = 1000;

export interface CitizenAppSimulatorOptions extends SimulatorOptions {
  /** What the app holds (from `generateEpidemiology` over the same population). Required. */
  epidemiology: Epidemiology;
}

/** A running citizen app: the events it serves, in order, for tests. */
export interface CitizenAppSimulator extends Simulator {
  events: readonly CitizenAppEvent[];
}

function page<T extends { soThuTu: number }>(items: readonly T[], query: Record<string, unknown>) {
  const sau = Number(query.sau ?? 0);
  const gioiHan = Number(query.gioiHan ?? 100);
  if (!Number.isInteger(sau) || sau < 0) return { error: 'Tham số "sau" phải là số nguyên ≥ 0' };
  if (!Number.isInteger(gioiHan) || gioiHan < 1 || gioiHan > CITIZEN_APP_MAX_PAGE) return { error: `Tham số "gioiHan" phải từ 1 đến ${CITIZEN_APP_MAX_PAGE}` };
  // soThuTu n is items[n - 1].
  const duLieu = items.slice(sau, sau + gioiHan);
  return { duLieu, sauCung: duLieu.at(-1)?.soThuTu ?? sau, conNua: sau + duLieu.length < items.length };
}

/**
 * The citizen app (PC-Covid) back end: `GET /api/su-kien?sau=<soThuTu>&gioiHan=<n>` answers
 * `{ duLieu, sauCung, conNua }` of numbered events (venue registrations, QR check-ins, medical
 * declarations, citizens' reports). Errors `{ thongBao }`.
 * The `malformedRate` fault alters check-ins and declarations (see `citizenAppEvents`).
 */
export async function startCitizenAppSimulator(options: CitizenAppSimulatorOptions): Promise<CitizenAppSimulator> {
  const resolved = resolveOptions(options, { epidemiology: z.custom<Epidemiology>((v) => typeof v === 'object' && v !== null && 'checkIns' in v, 'must come from generateEpidemiology') });
  const events = citizenAppEvents(resolved.epidemiology, resolved.seed, resolved.faults.settings.malformedRate);
  const { app, dice } = simulatorApp(resolved, (thongBao) => ({ thongBao }));
  app.get('/api/su-kien', async (request, reply) => {
    const answer = page(events, request.query as Record<string, unknown>);
    if ('error' in answer) return reply.code(400).send({ thongBao: answer.error });
    if (resolved.faults.settings.outOfOrder) dice.shuffle(answer.duLieu);
    return answer;
  });
  const simulator = await listen(app, resolved);
  return { ...simulator, events };
}
