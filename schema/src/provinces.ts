import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A province or centrally-run city of 2021 with its official 2-digit code. */
export interface Province {
  readonly code: string;
  readonly name: string;
  readonly region: string;
}

function loadProvinces(): ReadonlyArray<Province> {
  const lines = readFileSync(join(__dirname, '..', 'data', 'provinces.csv'), 'utf8').trim().split('\n');
  return Object.freeze(
    lines.slice(1).map((line) => {
      const [code, name, region] = line.split(',');
      if (!code || !name || !region) throw new Error(`provinces.csv: malformed line "${line}"`);
      return Object.freeze({ code, name, region });
    }),
  );
}

/** The 63 provinces, in code order. */
export const PROVINCES: ReadonlyArray<Province> = loadProvinces();

const byCode = new Map(PROVINCES.map((p) => [p.code, p]));

/** The province with this 2-digit code, or undefined. */
export function provinceByCode(code: string): Province | undefined {
  return byCode.get(code);
}
