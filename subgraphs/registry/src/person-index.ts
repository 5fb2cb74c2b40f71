import {
  blockKeys, formValue, normaliseRecord, termForms,
  type CandidateSource, type LinkageModel, type NormalisedRecord, type RawRecord, type TermFrequencies,
} from '@health-hub/identity';
import type { Queryable } from '@health-hub/subgraph-kit';
import { personsByIds } from './person-store';

/**
 * The registry's person index for identity resolution: each person's blocking keys and term
 * keys in `registry.person_block`, written with the person, and a candidate source that reads
 * them one statement per batch.
 */

/** The fields of a registry person the identity model reads. */
export interface IndexedPerson {
  citizenId: string;
  familyName: string;
  middleName: string | null;
  givenName: string;
  sex: string;
  birthDate: string | Date | null;
  birthYear: number;
  phone: string | null;
  provinceCode: string | null;
  oldId: string | null;
}

/** A registry person as the matcher's raw record. */
export function registryRecord(p: IndexedPerson): RawRecord {
  const birth = p.birthDate instanceof Date ? p.birthDate.toISOString().slice(0, 10) : p.birthDate;
  return {
    id: p.citizenId,
    citizenId: p.citizenId,
    fullName: [p.familyName, p.middleName, p.givenName].filter(Boolean).join(' '),
    birthDate: birth ?? String(p.birthYear),
    sex: p.sex,
    phone: p.phone,
    provinceCode: p.provinceCode,
    oldId: p.oldId,
  };
}

/** A registry person normalised under the model, without the values it refuses; null when nothing it can compare is left. */
export function normalisedPerson(model: LinkageModel, p: IndexedPerson): NormalisedRecord | null {
  // The registry's own records are not linked, only compared against: a dropped value is fine,
  // and a person whose name cannot be read is still found by their identifiers.
  const result = normaliseRecord(model, registryRecord(p), { maxBirthYear: 2100, nameOrders: false, keepValidValues: true });
  return result.ok ? result.record : null;
}

/** Blocking keys plus `tf|field.form|value` keys of a normalised person. */
export function indexKeys(model: LinkageModel, record: NormalisedRecord): string[] {
  const keys = blockKeys(model, record);
  for (const f of termForms(model)) {
    const v = record.values[f.field];
    const value = v ? formValue(v, f.form) : null;
    if (value !== null) keys.push(termKey(f.field, f.form, value));
  }
  return keys;
}

function termKey(field: string, form: string, value: string): string {
  return `tf|${field}.${form}|${value}`;
}

/**
 * Rewrites the index rows of these persons (two statements), touching only the keys that
 * changed: an update that keeps a person's name and birth date (a new phone, an address)
 * leaves their other rows and the term counters alone.
 */
export async function writePersonIndex(db: Queryable, model: LinkageModel, persons: readonly IndexedPerson[]): Promise<void> {
  if (persons.length === 0) return;
  const ids: string[] = [];
  const keys: string[] = [];
  for (const p of persons) {
    const record = normalisedPerson(model, p);
    if (!record) continue;
    for (const k of new Set(indexKeys(model, record))) {
      ids.push(p.citizenId);
      keys.push(k);
    }
  }
  await db.query(
    `DELETE FROM registry.person_block b
      WHERE b.citizen_id = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS k(key, citizen_id) WHERE k.key = b.key AND k.citizen_id = b.citizen_id)`,
    [persons.map((p) => p.citizenId), keys, ids],
  );
  if (keys.length > 0) {
    await db.query('INSERT INTO registry.person_block (key, citizen_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [keys, ids]);
  }
}

/**
 * Identifiers learnt from other systems, e.g. a social insurance code seen with a citizen ID,
 * for persons the registry knows. Returns the rows that are new or now name another person:
 * the references waiting on those identifiers can be matched again.
 */
export async function recordPersonIdentifiers(
  db: Queryable,
  rows: ReadonlyArray<{ kind: string; value: string; citizenId: string }>,
): Promise<Array<{ kind: string; value: string; citizenId: string }>> {
  if (rows.length === 0) return [];
  // A later card for the same code moves it; one row per identifier, so the upsert never meets a key twice.
  const { rows: changed } = await db.query<{ kind: string; value: string; citizenId: string }>(
    `INSERT INTO registry.person_identifier AS i (kind, value, citizen_id)
     SELECT DISTINCT ON (r.kind, r.value) r.kind, r.value, r.citizen_id
       FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r(kind, value, citizen_id, n)
       JOIN registry.person p ON p.citizen_id = r.citizen_id
      ORDER BY r.kind, r.value, r.n DESC
     ON CONFLICT (kind, value) DO UPDATE SET citizen_id = EXCLUDED.citizen_id
       WHERE i.citizen_id IS DISTINCT FROM EXCLUDED.citizen_id
     RETURNING kind, value, citizen_id AS "citizenId"`,
    [rows.map((r) => r.kind), rows.map((r) => r.value), rows.map((r) => r.citizenId)],
  );
  return changed;
}

/** Candidates from the registry in PostgreSQL: one statement per method call, whatever the batch. */
export class RegistryCandidates implements CandidateSource {
  constructor(
    private readonly db: Queryable,
    private readonly model: LinkageModel,
  ) {}

  async findByIdentifiers(kind: string, values: readonly string[]): Promise<Map<string, string[]>> {
    const sql =
      kind === 'citizenId'
        ? 'SELECT citizen_id AS value, citizen_id FROM registry.person WHERE citizen_id = ANY($1::text[])'
        : kind === 'oldId'
          ? `SELECT number AS value, citizen_id FROM registry.old_identity WHERE kind = 'CMND' AND number = ANY($1::text[])`
          : 'SELECT value, citizen_id FROM registry.person_identifier WHERE kind = $2 AND value = ANY($1::text[])';
    const { rows } = await this.db.query<{ value: string; citizen_id: string }>(sql, kind === 'citizenId' || kind === 'oldId' ? [values] : [values, kind]);
    const out = new Map<string, string[]>();
    for (const r of rows) (out.get(r.value) ?? out.set(r.value, []).get(r.value)!).push(r.citizen_id);
    return out;
  }

  async findByBlockKeys(keys: readonly string[], maxBlockSize: number): Promise<Map<string, string[]>> {
    if (keys.length === 0) return new Map();
    // A block reads at most one row past its cap, so a key millions of persons share costs no more than a small one.
    const { rows } = await this.db.query<{ key: string; ids: string[] }>(
      `SELECT k.key, b.ids FROM unnest($1::text[]) AS k(key)
        CROSS JOIN LATERAL (SELECT array_agg(citizen_id) AS ids, count(*) AS n
                              FROM (SELECT citizen_id FROM registry.person_block WHERE key = k.key LIMIT $2 + 1) AS l) AS b
        WHERE b.n BETWEEN 1 AND $2`,
      [[...new Set(keys)], maxBlockSize],
    );
    return new Map(rows.map((r) => [r.key, r.ids]));
  }

  async loadPersons(ids: readonly string[]): Promise<Map<string, NormalisedRecord>> {
    const out = new Map<string, NormalisedRecord>();
    if (ids.length === 0) return out;
    for (const p of await personsByIds(this.db, ids)) {
      const record = normalisedPerson(this.model, {
        citizenId: p.id, familyName: p.familyName, middleName: p.middleName, givenName: p.givenName, sex: p.sex,
        birthDate: p.birthDate, birthYear: p.birthYear, phone: p.phone,
        provinceCode: p.addresses.find((a) => a.kind === 'PERMANENT')?.provinceCode ?? null,
        oldId: p.oldIds[0]?.number ?? null,
      });
      if (record) out.set(p.id, record);
    }
    return out;
  }

  async termFrequencies(wantedOf: () => ReadonlyArray<{ field: string; form: string; value: string }>): Promise<TermFrequencies> {
    const wanted = wantedOf();
    const keys = wanted.map((w) => termKey(w.field, w.form, w.value));
    // Counters kept by the registry's triggers (`registry.term_count`), with its size under `total`.
    const { rows } = await this.db.query<{ key: string; n: string }>(
      `SELECT key, n FROM registry.term_count WHERE key = ANY(array_append($1::text[], 'total'))`,
      [keys],
    );
    const counts = new Map<string, Map<string, number>>();
    const byKey = new Map(rows.map((r) => [r.key, Number(r.n)]));
    const total = byKey.get('total') ?? 0;
    for (const w of wanted) {
      const n = byKey.get(termKey(w.field, w.form, w.value));
      // A term whose last holder left keeps its counter at 0: as absent as one never seen.
      if (n === undefined || n <= 0) continue;
      const form = `${w.field}.${w.form}`;
      (counts.get(form) ?? counts.set(form, new Map()).get(form)!).set(w.value, n);
    }
    return { total, counts };
  }
}
