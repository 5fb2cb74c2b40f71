import type { ApolloServer } from '@apollo/server';
import type { Partner } from '@health-hub/access';
import { PROVINCES, provinceByCode } from '@health-hub/schema';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../caller';
import { GatewayErrors } from '../errors';

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

/**
 * Ward-level small counts: a ward's case count from 1 to `SMALL_COUNT_BELOW - 1` is published as
 * null with `suppressed: true` ("fewer than 5"), and its resident count rounded to the nearest
 * 100, so a handful of cases in a small ward cannot be tied to a household. Coverage is rounded
 * to whole per cent. Districts and provinces are shown as counted.
 */
export const SMALL_COUNT_BELOW = 5;

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
   * The day the page opens on when the caller names none (yyyy-MM-dd); default today in
   * Asia/Ho_Chi_Minh. A hub over a simulated period sets its last day.
   */
  today?: string;
  /** How long one answer is kept and served again to every caller, in milliseconds. Default 60,000. */
  cacheMs?: number;
}

type Row = Record<string, unknown>;
type Encoded = { json: Buffer; gzip: Buffer };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 92;
const MAX_CACHED = 256;

const localToday = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const isDate = (value: unknown): value is string => typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
const round = (value: unknown, step: number) => (typeof value === 'number' ? Math.round(value / step) * step : null);
const percent = (share: unknown) => (typeof share === 'number' ? Math.round(share * 100) / 100 : null);

/** A report's state on its day: sent before 18:00, sent after, not sent once 18:00 passed, or not yet due. */
function reportStatus(row: Row, now: number): 'ON_TIME' | 'LATE' | 'MISSING' | 'DUE' {
  if (row.submittedAt) return row.onTime ? 'ON_TIME' : 'LATE';
  return Date.parse(String(row.deadline)) <= now ? 'MISSING' : 'DUE';
}

/** A ward as published: small case counts suppressed, residents and coverage coarsened. */
function coarsenedWard(ward: Row): Row {
  const cases = ward.casesLast7Days as number;
  const community = ward.communityCasesLast7Days as number;
  const small = (n: number) => n > 0 && n < SMALL_COUNT_BELOW;
  return {
    code: ward.code, level: ward.level,
    casesLast7Days: small(cases) ? null : cases,
    communityCasesLast7Days: small(cases) || small(community) ? null : community,
    suppressed: small(cases) || small(community),
    residents: round(ward.residents, 100), vaccinationCoverage: percent(ward.vaccinationCoverage),
  };
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
  const cache = new Map<string, { at: number; answer: Promise<Encoded> }>();

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
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    const answer = compute().then((row) => {
      const json = Buffer.from(JSON.stringify(row));
      return { json, gzip: gzipSync(json) };
    });
    cache.set(key, { at: Date.now(), answer });
    // A failure is not kept: the next reader asks again.
    answer.catch(() => cache.delete(key));
    return answer;
  };
  const refuse = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ errors: [{ message, extensions: { code } }] });
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
    const date = asked === undefined ? (options.today ?? localToday()) : asked;
    const days = daysText === undefined ? 31 : Number(daysText);
    if (!isDate(date)) return refuse(reply, 400, GatewayErrors.BAD_REQUEST, '`date` must be a day, yyyy-MM-dd.');
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) return refuse(reply, 400, GatewayErrors.BAD_REQUEST, `\`days\` must be a whole number from 1 to ${MAX_DAYS}.`);
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
    const date = asked === undefined ? (options.today ?? localToday()) : asked;
    if (!isDate(date)) return refuse(reply, 400, GatewayErrors.BAD_REQUEST, '`date` must be a day, yyyy-MM-dd.');
    if (typeof province !== 'string' || !provinceByCode(province)) return refuse(reply, 400, GatewayErrors.BAD_REQUEST, '`province` must be a 2-digit province code, e.g. 79.');
    return send(request, reply, cached(`areas|${date}|${province}`, async () => {
      const data = await run(AREAS, { date, province }, request.id);
      const [p] = (data.riskMap as Row[] | null) ?? [];
      const districts = ((p?.districts as Row[] | undefined) ?? []).map((d) => ({
        code: d.code, level: d.level, casesLast7Days: d.casesLast7Days, communityCasesLast7Days: d.communityCasesLast7Days, casesPer100k: d.casesPer100k,
        residents: d.residents, vaccinationCoverage: percent(d.vaccinationCoverage),
        wards: ((d.wards as Row[] | undefined) ?? []).map(coarsenedWard),
      }));
      return { date, provinceCode: province, smallCountBelow: SMALL_COUNT_BELOW, districts };
    }));
  });
}
