import type { ApolloServer } from '@apollo/server';
import type { Partner } from '@health-hub/access';
import { PROVINCES, provinceByCode } from '@health-hub/schema';
import { gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../caller';
import { GatewayErrors } from '../errors';
import { publicDistricts, SMALL_COUNT_BELOW } from './public-wards';

export { SMALL_COUNT_BELOW } from './public-wards';

/** Prefix of the public, unauthenticated endpoints (rate-limited per client address). */
export const PUBLIC_API_PREFIX = '/public/api/';

/**
 * Who the public endpoints ask as: no scopes at all, so the field authorization denies every
 * field that needs one and only `@authenticated` aggregates (daily counts, coverage, risk levels)
 * can answer. The operations below are fixed; nothing an anonymous caller sends becomes a query.
 */
export const PUBLIC_PARTNER: Readonly<Partner> = Object.freeze({
  id: 'hub-public', name: 'Public epidemic page', role: 'app', scopes: [], purposes: ['epidemic-prevention'],
  provinceCode: null, developer: false, trustedOperationsOnly: true, maxPersonsPerRequest: 0, revoked: false,
});

const SITUATION = `query PublicSituation($from: Date!, $to: Date!) {
  dailyReports(from: $from, to: $to) {
    provinceCode date newCases communityCases deaths recoveries submittedAt deadline onTime testsDone dosesGiven
    quarantined { centralisedFacility medicalIsolation home }
  }
  vaccinationCoverage(from: $from, to: $to) { date provinceCode doses firstDoses primarySeriesCompleted boosterDoses }
}`;

const RISK = `query PublicRisk($date: Date!) {
  riskMap(date: $date) { provinceCode residents fullyVaccinated casesLast7Days communityCasesLast7Days casesPer100k communityShare vaccinationCoverage level }
}`;

const AREAS = `query PublicAreas($date: Date!, $province: ProvinceCode!) {
  riskMap(date: $date, provinceCode: $province) {
    provinceCode level casesLast7Days residents vaccinationCoverage
    districts {
      code residents casesLast7Days communityCasesLast7Days casesPer100k vaccinationCoverage level
      wards { code residents casesLast7Days communityCasesLast7Days casesPer100k vaccinationCoverage level }
    }
  }
}`;

export interface PublicSituationOptions {
  /**
   * The day the page opens on when the caller names none (yyyy-MM-dd), and the last day a caller
   * may name; default today in Asia/Ho_Chi_Minh. A hub over a simulated period sets its last day.
   */
  today?: string;
  /** How long one answer is kept and served again to every caller, in milliseconds. Default 60,000. */
  cacheMs?: number;
}

type Row = Record<string, unknown>;
type Encoded = { json: Buffer; gzip: Buffer };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The windows the page may ask for: a fixed few, so the answers worth caching are few too. */
export const PUBLIC_WINDOWS: readonly number[] = [1, 7, 14, 31, 92];
/** The earliest day the figures can have: before it every answer is empty. */
export const EPIDEMIC_FIRST_DAY = '2020-01-01';
const MAX_CACHED = 256;

const localToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const isDate = (value: unknown): value is string => typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** A report's state on its day: sent before 18:00, sent after, not sent once 18:00 passed, or not yet due. */
function reportStatus(row: Row, now: number): 'ON_TIME' | 'LATE' | 'MISSING' | 'DUE' {
  if (row.submittedAt) return row.onTime ? 'ON_TIME' : 'LATE';
  return Date.parse(String(row.deadline)) <= now ? 'MISSING' : 'DUE';
}

/**
 * The public epidemic page's data, for anyone, without a key: `GET /public/api/situation`
 * (each province's daily figures over a window, doses by day, the risk level and coverage by
 * province on the day, and each province's report status that day) and `GET
 * /public/api/areas?province=79` (a province's districts and wards, ward counts coarsened).
 * Each runs a fixed operation through the graph as `PUBLIC_PARTNER`, whose lack of scopes keeps
 * every personal field out; answers are projected field by field and cached briefly, so a crowd
 * of readers costs the subgraphs one query a minute.
 */
export function registerPublicSituation(app: FastifyInstance, apollo: ApolloServer<GatewayContext>, options: PublicSituationOptions = {}): void {
  const cacheMs = options.cacheMs ?? 60_000;
  // Each answer kept as its JSON and gzipped once: the situation is a few hundred kB of numbers.
  // Least recently used goes first, so the page's usual days stay while odd ones come and go.
  const cache = new LRUCache<string, { at: number; answer: Promise<Encoded> }>({ max: MAX_CACHED });
  /** The last day a caller may ask for: the hub's today (a simulated period's last day when set). */
  const today = () => options.today ?? localToday();

  /** Runs one fixed operation as the public partner; throws a coded error when it fails. */
  const run = async (query: string, variables: Record<string, unknown>, requestId: string): Promise<Row> => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: { caller: { partner: PUBLIC_PARTNER as Partner, purpose: 'epidemic-prevention' }, requestId, clientAddress: null } });
    if (response.body.kind !== 'single') throw Object.assign(new Error('Unexpected incremental answer.'), { code: GatewayErrors.INTERNAL });
    const { data, errors } = response.body.singleResult;
    if (errors?.length) app.log.warn({ errors: errors.map((e) => e.extensions?.code ?? e.message) }, 'public situation: partial answer');
    if (!data) throw Object.assign(new Error('The figures cannot be reached now; retry shortly.'), { code: GatewayErrors.SUBGRAPH_UNAVAILABLE });
    return data as Row;
  };
  const cached = (key: string, compute: () => Promise<Row>): Promise<Encoded> => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < cacheMs) return hit.answer;
    const answer = compute().then((row) => {
      const json = Buffer.from(JSON.stringify(row));
      return { json, gzip: gzipSync(json) };
    });
    cache.set(key, { at: Date.now(), answer });
    // A failure is not kept: the next reader asks again.
    answer.catch(() => { if (cache.peek(key)?.answer === answer) cache.delete(key); });
    return answer;
  };
  const refuse = (reply: FastifyReply, status: number, code: string, message: string, allowed?: Record<string, unknown>) =>
    reply.code(status).send({ errors: [{ message, extensions: { code, ...(allowed && { allowed }) } }] });
  // Only the epidemic's days: any other would be one more answer to compute and cache.
  const inSpan = (date: unknown): date is string => isDate(date) && date >= EPIDEMIC_FIRST_DAY && date <= today();
  const refuseDay = (reply: FastifyReply) =>
    refuse(reply, 400, GatewayErrors.BAD_REQUEST, `\`date\` must be a day from ${EPIDEMIC_FIRST_DAY} to ${today()}, yyyy-MM-dd.`, { date: { from: EPIDEMIC_FIRST_DAY, to: today() } });
  const send = async (request: FastifyRequest, reply: FastifyReply, answer: Promise<Encoded>) => {
    try {
      const { json, gzip } = await answer;
      reply.type('application/json; charset=utf-8').header('cache-control', `public, max-age=${Math.round(cacheMs / 1000)}`).header('vary', 'accept-encoding');
      if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(gzip);
      return reply.send(json);
    } catch (error) {
      const code = (error as { code?: string }).code ?? GatewayErrors.INTERNAL;
      app.log.error({ err: error }, 'public situation');
      return refuse(reply, 503, code, code === GatewayErrors.INTERNAL ? 'The figures cannot be reached now; retry shortly.' : (error as Error).message);
    }
  };

  app.get(`${PUBLIC_API_PREFIX}situation`, async (request, reply) => {
    const { date: asked, days: daysText } = request.query as { date?: unknown; days?: unknown };
    const date = asked === undefined ? today() : asked;
    const days = daysText === undefined ? 31 : Number(daysText);
    if (!inSpan(date)) return refuseDay(reply);
    if (!PUBLIC_WINDOWS.includes(days)) return refuse(reply, 400, GatewayErrors.BAD_REQUEST, `\`days\` must be one of ${PUBLIC_WINDOWS.join(', ')}.`, { days: PUBLIC_WINDOWS });
    const from = addDays(date, 1 - days);
    return send(request, reply, cached(`situation|${date}|${days}`, async () => {
      const [series, risk] = await Promise.all([run(SITUATION, { from, to: date }, request.id), run(RISK, { date }, request.id)]);
      const now = Date.now();
      const reports = (series.dailyReports as Row[] | null) ?? [];
      return {
        date, from, timeZone: 'Asia/Ho_Chi_Minh',
        provinces: PROVINCES.map((p) => ({ code: p.code, name: p.name, region: p.region })),
        daily: reports.map((r) => {
          const q = (r.quarantined ?? {}) as Row;
          return {
            date: r.date, provinceCode: r.provinceCode, newCases: r.newCases, communityCases: r.communityCases,
            quarantineCases: (r.newCases as number) - (r.communityCases as number),
            inQuarantine: ((q.centralisedFacility as number) ?? 0) + ((q.medicalIsolation as number) ?? 0) + ((q.home as number) ?? 0),
            deaths: r.deaths, recoveries: r.recoveries, testsDone: r.testsDone ?? null, dosesGiven: r.dosesGiven ?? null,
          };
        }),
        doses: ((series.vaccinationCoverage as Row[] | null) ?? []).map((d) => ({
          date: d.date, provinceCode: d.provinceCode, doses: d.doses, firstDoses: d.firstDoses, primarySeriesCompleted: d.primarySeriesCompleted, boosterDoses: d.boosterDoses,
        })),
        risk: ((risk.riskMap as Row[] | null) ?? []).map((r) => ({
          provinceCode: r.provinceCode, level: r.level, casesLast7Days: r.casesLast7Days, communityCasesLast7Days: r.communityCasesLast7Days,
          casesPer100k: r.casesPer100k, communityShare: r.communityShare, vaccinationCoverage: r.vaccinationCoverage, residents: r.residents, fullyVaccinated: r.fullyVaccinated,
        })),
        reports: reports.filter((r) => r.date === date).map((r) => ({
          provinceCode: r.provinceCode, status: reportStatus(r, now), submittedAt: r.submittedAt ?? null, deadline: r.deadline,
        })),
      };
    }));
  });

  app.get(`${PUBLIC_API_PREFIX}areas`, async (request, reply) => {
    const { date: asked, province } = request.query as { date?: unknown; province?: unknown };
    const date = asked === undefined ? today() : asked;
    if (!inSpan(date)) return refuseDay(reply);
    if (typeof province !== 'string' || !provinceByCode(province)) return refuse(reply, 400, GatewayErrors.BAD_REQUEST, '`province` must be a 2-digit province code, e.g. 79.');
    return send(request, reply, cached(`areas|${date}|${province}`, async () => {
      const data = await run(AREAS, { date, province }, request.id);
      const [p] = (data.riskMap as Row[] | null) ?? [];
      const districts = publicDistricts((p?.districts as Row[] | undefined) ?? []);
      return { date, provinceCode: province, smallCountBelow: SMALL_COUNT_BELOW, districts };
    }));
  });
}
