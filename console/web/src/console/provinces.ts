import csv from '../../../../schema/data/provinces.csv?raw';

/** The 63 provinces (code, name), from the schema's own list. */
export const PROVINCES: ReadonlyArray<{ code: string; name: string }> = csv.trim().split('\n').slice(1).map((line) => {
  const [code = '', name = ''] = line.split(',');
  return { code, name };
});

const names = new Map(PROVINCES.map((p) => [p.code, p.name]));
export const provinceName = (code: string): string => names.get(code) ?? code;
