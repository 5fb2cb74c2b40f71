import { BlockTable } from '../src/block-table';
import { defaultModel, Matcher, MemoryIndex, normaliseRecord, type NormalisedRecord, type RawRecord } from '../src/index';

const model = defaultModel();

function normalised(raw: RawRecord, nameOrders = true): NormalisedRecord {
  const n = normaliseRecord(model, raw, { nameOrders });
  if (!n.ok) throw new Error(JSON.stringify(n.problems));
  return n.record;
}

describe('the block table', () => {
  it('finds every block with its members in order, and no block it was not given', () => {
    const blocks = new Map<string, number[]>();
    for (let i = 0; i < 20_000; i++) blocks.set(`rule|${i.toString(36)}|${i % 97}`, Array.from({ length: 1 + (i % 5) }, (_, j) => i * 10 + j));
    blocks.set('', [7]);
    const table = new BlockTable(blocks);
    expect(table.size).toBe(blocks.size);
    for (const [key, rows] of blocks) {
      const k = table.find(key);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(Array.from(table.postings.subarray(table.offsets[k], table.offsets[k + 1]))).toEqual(rows);
    }
    for (const absent of ['rule|zzzzzz|0', 'rule|0|1', 'x']) expect(table.find(absent)).toBe(-1);
    expect(new Map(table.entries())).toEqual(blocks);
  });

  it('an index that has linked takes in persons added after, in the blocks they share', async () => {
    const index = new MemoryIndex(model);
    const person = (id: string, fullName: string) => normalised({ id, fullName, birthDate: '1990-05-12', sex: 'MALE' }, false);
    index.add([person('p1', 'Nguyễn Văn An')]);
    const matcher = new Matcher(model, index);
    const record = normalised({ id: 'r1', fullName: 'Nguyễn Văn An', birthDate: '12/05/1990' });
    expect((await matcher.link([record]))[0]!.candidates.map((c) => c.personId)).toEqual(['p1']);
    index.add([person('p2', 'Nguyễn Văn Anh'), person('p3', 'Nguyễn Văn An')]);
    const again = (await matcher.link([record]))[0]!;
    expect(again.candidates.map((c) => c.personId).sort()).toEqual(['p1', 'p2', 'p3']);
    // Through the lookup the registry's kind of source uses as well.
    expect((await index.findByBlockKeys(['family-date|nguyen|1990-05-12'], 1000)).get('family-date|nguyen|1990-05-12')).toEqual(['p1', 'p2', 'p3']);
  });
});
