import { z } from 'zod';
import type { InsuranceCardRecord, Population } from '../population/types';
import { isMalformed, recordVariant } from './faults';
import { vnDate, vnDateTime } from './formats';
import { listen, resolveOptions, type Simulator, type SimulatorOptions, simulatorApp } from './http';
import { TokenBucket } from './rate-limit';

/** A health insurance card as social insurance answers it (its own Vietnamese field names). */
export interface TheBHYT {
  /** 15 characters. */
  maThe: string;
  /** 10 digits. */
  maSoBHXH: string;
  soCCCD: string;
  hoTen: string;
  /** dd/MM/yyyy, or null when only namSinh is known. */
  ngaySinh: string | null;
  namSinh: number;
  gioiTinh: 'Nam' | 'Nữ';
  /** Beneficiary group, 2 letters. */
  maDoiTuong: string;
  /** Benefit level 1–5. */
  mucHuong: number;
  /** Issuing province (social insurance's own 2-digit code). */
  maTinhCap: string;
  /** dd/MM/yyyy. */
  giaTriTu: string;
  /** dd/MM/yyyy. */
  giaTriDen: string;
  noiDKKCB: { ma: string; ten: string };
  /** dd/MM/yyyy HH:mm:ss, Việt Nam local time. */
  thoiDiemCapNhat: string;
}

/** Options of the social insurance simulator. */
export interface InsuranceSimulatorOptions extends SimulatorOptions {
  /** Requests a second before 429 (token bucket, bursts of the same size); default 20. */
  rateLimitPerSecond?: number;
}

/** A running social insurance simulator. */
export interface InsuranceSimulator extends Simulator {
  /** The card served for a person index with the fault settings in force; null when they have none. */
  cardOf(index: number): TheBHYT | null;
}

/** Largest danhSach of a batch lookup. */
export const INSURANCE_MAX_BATCH = 100;

/** A card in social insurance's shape, before faults. */
export function theBHYT(card: InsuranceCardRecord, population: Population): TheBHYT {
  const person = population.person(card.truth.personIndex);
  return {
    maThe: card.cardNumber,
    maSoBHXH: card.socialInsuranceCode,
    soCCCD: person.citizenId,
    hoTen: person.fullName,
    ngaySinh: person.birthDate === null ? null : vnDate(person.birthDate),
    namSinh: person.birthYear,
    gioiTinh: person.sex === 'MALE' ? 'Nam' : 'Nữ',
    maDoiTuong: card.beneficiaryGroup,
    mucHuong: card.benefitLevel,
    maTinhCap: card.cardNumber.slice(3, 5),
    giaTriTu: vnDate(card.validFrom),
    giaTriDen: vnDate(card.validTo),
    noiDKKCB: { ma: card.registeredClinic.code, ten: card.registeredClinic.name },
    thoiDiemCapNhat: vnDateTime(Date.parse(card.sourceUpdatedAt)),
  };
}

/**
 * Social insurance codes sorted, with their person, so a lookup by maSoBHXH is a binary
 * search over typed arrays (12 bytes per card) instead of a map of strings.
 */
class CodeIndex {
  private readonly codes: Float64Array;
  private readonly persons: Int32Array;

  constructor(population: Population) {
    const codes: number[] = [];
    const persons: number[] = [];
    for (let i = 0; i < population.size; i++) {
      const card = population.insuranceCard(i);
      if (card !== null) codes.push(Number(card.socialInsuranceCode)), persons.push(i);
    }
    const order = Uint32Array.from(codes.keys()).sort((a, b) => codes[a]! - codes[b]!);
    this.codes = Float64Array.from(order, (k) => codes[k]!);
    this.persons = Int32Array.from(order, (k) => persons[k]!);
  }

  find(code: string): number | null {
    const target = Number(code);
    let lo = 0;
    let hi = this.codes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.codes[mid]!;
      if (c === target) return this.persons[mid]!;
      if (c < target) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }
}

const CCCD = /^\d{12}$/;
const BHXH = /^\d{10}$/;
const batchSchema = z.object({
  danhSach: z
    .array(z.union([z.object({ soCCCD: z.string().regex(CCCD) }).strict(), z.object({ maSoBHXH: z.string().regex(BHXH) }).strict()]))
    .min(1)
    .max(INSURANCE_MAX_BATCH),
});

/**
 * Social insurance, lookup only: `GET /api/tra-cuu-the?maSoBHXH=<10 digits>` or `?soCCCD=<12 digits>`
 * (404 when unknown) and `POST /api/tra-cuu-the/lo` with `{ danhSach: [{ soCCCD } | { maSoBHXH }] }`
 * (≤ 100) answering `{ ketQua: [{ ...the key asked, the: TheBHYT | null }] }` in the order asked.
 * Over the rate limit: 429 with Retry-After in seconds. Record key of the faults: maSoBHXH; a
 * malformed card has an impossible giaTriDen ("31/04/…") or a 9-digit maSoBHXH.
 */
export async function startInsuranceSimulator(options: InsuranceSimulatorOptions): Promise<InsuranceSimulator> {
  const resolved = resolveOptions(options, { rateLimitPerSecond: z.number().positive().max(100_000).default(20) });
  const { population, seed, faults } = resolved;
  const codes = new CodeIndex(population);
  const bucket = new TokenBucket(resolved.rateLimitPerSecond);
  const { app } = simulatorApp(resolved, (loi) => ({ loi }));

  const cardOf = (index: number): TheBHYT | null => {
    const card = population.insuranceCard(index);
    if (card === null) return null;
    const the = theBHYT(card, population);
    if (isMalformed(seed, the.maSoBHXH, faults.settings.malformedRate)) {
      if (recordVariant(seed, the.maSoBHXH, 2) === 0) the.giaTriDen = `31/04/${the.giaTriDen.slice(6)}`;
      else the.maSoBHXH = the.maSoBHXH.slice(1);
    }
    return the;
  };
  const lookup = (key: { soCCCD?: string; maSoBHXH?: string }): TheBHYT | null => {
    const index = key.soCCCD !== undefined ? population.findByCitizenId(key.soCCCD) : codes.find(key.maSoBHXH!);
    return index === null ? null : cardOf(index);
  };

  // A preHandler runs after the shared onRequest hooks: refused and faulted requests use no token.
  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/_faults')) return;
    const wait = bucket.take();
    if (wait > 0) return reply.code(429).header('retry-after', String(wait)).send({ loi: 'Vượt quá số yêu cầu cho phép' });
  });

  app.get('/api/tra-cuu-the', async (request, reply) => {
    const { soCCCD, maSoBHXH } = request.query as Record<string, unknown>;
    const byCitizen = typeof soCCCD === 'string' && CCCD.test(soCCCD);
    const byCode = typeof maSoBHXH === 'string' && BHXH.test(maSoBHXH);
    if (byCitizen === byCode || (soCCCD !== undefined && maSoBHXH !== undefined)) {
      return reply.code(400).send({ loi: 'Cần đúng một trong hai: soCCCD (12 chữ số) hoặc maSoBHXH (10 chữ số)' });
    }
    const the = lookup(byCitizen ? { soCCCD: soCCCD as string } : { maSoBHXH: maSoBHXH as string });
    if (the === null) return reply.code(404).send({ loi: 'Không tìm thấy thẻ BHYT' });
    return the;
  });

  app.post('/api/tra-cuu-the/lo', async (request, reply) => {
    const parsed = batchSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ loi: `danhSach: 1–${INSURANCE_MAX_BATCH} mục, mỗi mục { soCCCD } hoặc { maSoBHXH }` });
    return { ketQua: parsed.data.danhSach.map((key) => ({ ...key, the: lookup(key) })) };
  });

  const simulator = await listen(app, resolved);
  return { ...simulator, cardOf };
}
