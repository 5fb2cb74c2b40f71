import { upsertCheckIns, upsertCitizenReports, upsertHealthReports, upsertHomeIsolations, upsertMedicalDeclarations, upsertVenues } from '@health-hub/cases';
import { z } from 'zod';
import { ConnectorErrors } from '../errors';
import { linkAtIngest } from '../identity/link-at-ingest';
import { defineConnector, type Cursor, type StreamContext } from '../sdk/connector';
import { jsonSourceConfigFields, jsonSourceSession, type JsonSource } from '../sdk/json-source';
import { writeByKind, type KindValue } from '../sdk/mixed-kinds';
import { CITIZEN_APP_SOURCE, eventKey, mapCitizenAppEvent, type CitizenAppKind } from './map-event';

/** Config of the citizen app connector. */
export const citizenAppConfigSchema = z.object({
  /** `baseUrl` (events under `/api/su-kien`), `token`; `requestTimeoutMs` (10,000), `connections` (2). */
  ...jsonSourceConfigFields,
  /** Events per request (`gioiHan`), 1–1000. Default 1000. */
  pageSize: z.number().int().min(1).max(1000).default(1000),
});

export type CitizenAppConfig = z.input<typeof citizenAppConfigSchema>;
type Resolved = z.output<typeof citizenAppConfigSchema>;

// Isolations before the citizens' reports and health reports of the page that name them.
const writeEvents = writeByKind<CitizenAppKind>([
  ['venue', upsertVenues],
  ['isolation', upsertHomeIsolations],
  ['checkIn', upsertCheckIns],
  ['declaration', upsertMedicalDeclarations],
  ['report', upsertCitizenReports],
  ['healthReport', upsertHealthReports],
]);

const pageSchema = z.object({ duLieu: z.array(z.unknown()), sauCung: z.number().int().min(0), conNua: z.boolean() });

/** One page of a numbered feed after `cursor` (the last `soThuTu` read). */
async function feedPage(context: StreamContext<Resolved, JsonSource>, path: string, cursor: Cursor) {
  const sau = typeof cursor === 'number' && cursor >= 0 ? cursor : 0;
  const page = (await context.session.request({ method: 'GET', path: `${path}?sau=${sau}&gioiHan=${context.config.pageSize}` }, pageSchema, context.signal))!;
  return { records: page.duLieu, nextCursor: page.sauCung, done: !page.conNua || page.duLieu.length === 0 };
}

/**
 * The citizen app (PC-Covid) → the cases subgraph. One stream `events`: venue registrations,
 * QR check-ins, medical declarations, citizens' reports, isolations at home registered by the
 * ward health stations and their daily health reports, in the app's order (cursor `soThuTu`);
 * a page writes its venues before its check-ins and its isolations before the reports naming
 * them. A health report with a value out of range (an SpO2 of 140) or for someone not in
 * isolation then is rejected by the store and kept with its reason. A check-in at a venue the
 * hub does not know, one checked out before it checked in, or an unknown province is rejected
 * by the store and kept with its reason. A check-in or declaration of someone who declared in an
 * older app (old ID, or name, birth date and phone, no citizen ID) is stored with that reference
 * and linked through the registry's crosswalk in the page's transaction.
 */
export const citizenAppConnector = defineConnector<Resolved, JsonSource>({
  name: 'citizen-app',
  source: CITIZEN_APP_SOURCE,
  schedule: { everyMs: 60_000 },
  config: citizenAppConfigSchema,
  ...jsonSourceSession('Citizen app', { unauthorized: ConnectorErrors.CITIZEN_APP_UNAUTHORIZED, badRequest: ConnectorErrors.CITIZEN_APP_BAD_REQUEST }),
  streams: [
    {
      name: 'events',
      naturalKey: eventKey,
      cursor: { field: 'soThuTu', ordering: 'strict', initial: 0 },
      fetchPage: (context, cursor) => feedPage(context, '/api/su-kien', cursor),
      map: (record) => mapCitizenAppEvent(record),
      write: async (tx, values: KindValue<CitizenAppKind>[]) => {
        const written = await writeEvents(tx, values);
        const personal = values.filter((v) => v.kind === 'checkIn' || v.kind === 'declaration').map((v) => v.value as { source: string; personRef: unknown });
        await linkAtIngest(tx, 'citizen-app', personal);
        return written;
      },
      changedAt: (value) => (value.value as { sourceUpdatedAt: string }).sourceUpdatedAt,
    },
  ],
});
