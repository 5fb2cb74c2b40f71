import { upsertTestResults, type TestResultUpsert } from '@health-hub/testing';
import { z } from 'zod';
import { linkAtIngest } from '../identity/link-at-ingest';
import { PermanentError } from '../errors';
import { defineConnector, type Cursor, type Page } from '../sdk/connector';
import { jsonSourceConfigFields, jsonSourceSession, type JsonSource } from '../sdk/json-source';
import { labResultsOf, nextLinkOf, searchBundleSchema } from './bundle';
import { compareVersion, fhirCursor, searchFrom, versionOf, type FhirCursor } from './feed-cursor';
import { LabErrors } from './lab-errors';
import { LAB_FHIR_SOURCE, mapFhirObservation, observationKey } from './map-observation';

/** Config of the FHIR lab connector. */
export const labFhirConfigSchema = z.object({
  /** `baseUrl`: the lab's FHIR base (`https://lab.example/fhir`); `token`; `requestTimeoutMs` (10,000), `connections` (2). */
  ...jsonSourceConfigFields,
  /** Observations per search page (`_count`), 1–1000. Default 500. */
  pageSize: z.number().int().min(1).max(1000).default(500),
});

export type LabFhirConfig = z.input<typeof labFhirConfigSchema>;
type Resolved = z.output<typeof labFhirConfigSchema>;

const INCLUDES = '_include=Observation:subject&_include=Observation:specimen';

/** The path of a `next` link below the base URL's path (the client adds the base path back). */
function nextPath(link: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  const url = new URL(link, base);
  const prefix = base.pathname.replace(/\/+$/, '');
  if (!url.pathname.startsWith(`${prefix}/`)) {
    throw new PermanentError(LabErrors.FHIR_BAD_REQUEST, `FHIR lab's next link ${link} is outside its base URL ${baseUrl}.`, { details: { link } });
  }
  return `${url.pathname.slice(prefix.length)}${url.search}`;
}

/**
 * One page of the lab's Observation search. A search resumed from a watermark re-reads the
 * watermark's second and skips what is not after it; a page from a `next` link is taken whole.
 */
async function fetchSearchPage(source: JsonSource, config: Resolved, saved: FhirCursor, signal: AbortSignal): Promise<Page> {
  const path = saved.next ?? `/Observation?_lastUpdated=gt${encodeURIComponent(searchFrom(saved))}&_count=${config.pageSize}&${INCLUDES}`;
  const bundle = (await source.request({ method: 'GET', path }, searchBundleSchema, signal))!;
  let records = labResultsOf(bundle);
  let watermark = { lastUpdated: saved.lastUpdated, id: saved.id };
  for (const r of records) {
    const version = versionOf(r.observation);
    if (version !== null && !Number.isNaN(Date.parse(version.lastUpdated)) && compareVersion(version, watermark) > 0) watermark = version;
  }
  if (saved.next === null && saved.lastUpdated !== null) {
    records = records.filter((r) => {
      const version = versionOf(r.observation);
      // A time the lab wrote wrong cannot be placed: keep it, its mapping rejects it.
      if (version === null || Number.isNaN(Date.parse(version.lastUpdated))) return true;
      return compareVersion(version, saved) > 0;
    });
  }
  const link = nextLinkOf(bundle);
  const next = link === undefined ? null : nextPath(link, config.baseUrl);
  // A lab that hands back the same next link with nothing on the page would loop for ever: stop for now.
  const stuck = next !== null && next === saved.next && records.length === 0;
  const nextCursor: FhirCursor = { next: stuck ? null : next, ...watermark };
  return { records, nextCursor: nextCursor as unknown as Cursor, done: next === null || stuck };
}

/**
 * A FHIR R4 testing lab → the testing subgraph's results. Searches
 * `GET <base>/Observation?_lastUpdated=gt<instant>&_count=<n>&_include=Observation:subject&_include=Observation:specimen`
 * and follows the Bundle's `next` links; the cursor is the next link while paging and the
 * (lastUpdated, id) watermark between searches, so a resumed run loses and repeats nothing.
 */
export const labFhirConnector = defineConnector<Resolved, JsonSource>({
  name: 'lab-fhir',
  source: LAB_FHIR_SOURCE,
  schedule: { everyMs: 5 * 60_000 },
  config: labFhirConfigSchema,
  ...jsonSourceSession('FHIR lab', { unauthorized: LabErrors.FHIR_UNAUTHORIZED, badRequest: LabErrors.FHIR_BAD_REQUEST }),
  streams: [
    {
      name: 'observations',
      naturalKey: observationKey,
      cursor: { field: 'meta.lastUpdated', ordering: 'non-decreasing', initial: null },
      fetchPage: (context, cursor) => fetchSearchPage(context.session, context.config, fhirCursor(cursor), context.signal),
      map: (record) => mapFhirObservation(record),
      write: async (tx, values: TestResultUpsert[]) => {
        const written = (await upsertTestResults(tx, values)).length;
        await linkAtIngest(tx, 'lab-fhir', values);
        return written;
      },
      changedAt: (value: TestResultUpsert) => value.sourceUpdatedAt,
    },
  ],
});
