import { personKeysOf, personRecordsLoader, type SourceReference } from '../src';

type Row = { id: string; personId: string | null; source: string; personRefKey: string | null };

function loaderOver(rows: Row[]) {
  const calls: Array<{ citizenIds: string[]; references: SourceReference[] }> = [];
  const loader = personRecordsLoader<Row>(async (citizenIds, references) => {
    calls.push({ citizenIds, references });
    return rows.filter(
      (r) => (r.personId !== null && citizenIds.includes(r.personId)) || references.some((x) => x.system === r.source && x.reference === r.personRefKey),
    );
  }, (r) => r);
  return { loader, calls };
}

describe('personRecordsLoader', () => {
  const rows: Row[] = [
    { id: 'r1', personId: '079090000001', source: 'vaccination-platform', personRefKey: null },
    { id: 'r2', personId: null, source: 'vaccination-platform', personRefKey: 'cmnd:aaa' },
    { id: 'r3', personId: '079090000002', source: 'vaccination-platform', personRefKey: null },
    // Carries both the citizen ID and a reference of the same person: listed once.
    { id: 'r4', personId: '079090000001', source: 'legacy-app', personRefKey: 'demo:bbb' },
    { id: 'r5', personId: '079090000009', source: 'vaccination-platform', personRefKey: null },
  ];

  it('gives each person the rows of its citizen IDs, merged IDs and references, once each, in fetch order, in one fetch', async () => {
    const { loader, calls } = loaderOver(rows);
    const [first, second] = await Promise.all([
      loader.load(personKeysOf({
        id: '079090000001',
        sourceReferences: [{ system: 'vaccination-platform', reference: 'cmnd:aaa' }, { system: 'legacy-app', reference: 'demo:bbb' }],
        mergedIds: ['079090000009'],
      })),
      loader.load(personKeysOf({ id: '079090000002', sourceReferences: [], mergedIds: [] })),
    ]);
    expect(first.map((r) => r.id)).toEqual(['r1', 'r2', 'r4', 'r5']);
    expect(second.map((r) => r.id)).toEqual(['r3']);
    expect(calls).toHaveLength(1);
  });

  it('does not give a reference of one system to a person holding the same reference in another', async () => {
    const { loader } = loaderOver(rows);
    const records = await loader.load(personKeysOf({ id: '079090000003', sourceReferences: [{ system: 'legacy-app', reference: 'cmnd:aaa' }] }));
    expect(records).toEqual([]);
  });

  it('gives a row to every person whose keys match it', async () => {
    const { loader } = loaderOver(rows);
    const shared = { system: 'vaccination-platform', reference: 'cmnd:aaa' };
    const [a, b] = await Promise.all([
      loader.load(personKeysOf({ id: '079090000004', sourceReferences: [shared] })),
      loader.load(personKeysOf({ id: '079090000005', sourceReferences: [shared] })),
    ]);
    expect(a.map((r) => r.id)).toEqual(['r2']);
    expect(b.map((r) => r.id)).toEqual(['r2']);
  });
});
