// Every EU DCC gateway test vector (../shared/data/eu-dcc-testdata) through the verifier, each
// stage compared with the vector's EXPECTEDRESULTS. The stages where they differ are listed, with
// what the verifier found and why they differ, in eu-test-vectors-disagreements.json: a fix or a
// regression changes that list, and this test fails until the file says so
// (HUB_CERT_WRITE_DISAGREEMENTS=1 rewrites it). No disagreement may be left unexplained.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareAll, readVectors, type Disagreement } from './eu-test-vectors';

const LISTED = join(__dirname, 'eu-test-vectors-disagreements.json');

interface Listed { checks: number; agreement: string; causes: Record<string, number>; disagreements: Disagreement[] }

describe('the EU gateway test vectors', () => {
  const vectors = readVectors();
  let checks = 0;
  let disagreements: Disagreement[] = [];
  let agreement = '';
  const causes: Record<string, number> = {};
  beforeAll(async () => {
    ({ checks, disagreements } = await compareAll(vectors));
    agreement = `${checks - disagreements.length} of ${checks} stage checks (${(((checks - disagreements.length) / checks) * 100).toFixed(1)} %)`;
    for (const d of disagreements) causes[d.cause.kind] = (causes[d.cause.kind] ?? 0) + 1;
  }, 120_000);

  it('are all read', async () => {
    expect(vectors.length).toBe(581);
    expect(checks).toBeGreaterThan(5000);
  });

  it('disagree with the verifier only where the committed list says, and why', async () => {
    console.log(`EU DCC test vectors: the verifier agrees on ${agreement}; disagreements by cause: ${JSON.stringify(causes)}`);
    const key = (d: Disagreement) => `${d.vector} ${d.stage} ${d.cause.kind}`;
    if (process.env.HUB_CERT_WRITE_DISAGREEMENTS === '1') {
      const listed: Listed = { checks, agreement, causes, disagreements };
      writeFileSync(LISTED, `${JSON.stringify(listed, null, 2)}\n`);
    }
    const listed = JSON.parse(readFileSync(LISTED, 'utf8')) as Listed;
    expect(disagreements.map(key).sort()).toEqual(listed.disagreements.map(key).sort());
    expect(listed.agreement).toBe(agreement);
  });

  it('each disagree for a cause shown by the vector itself or a documented policy', async () => {
    expect(disagreements.filter((d) => d.cause.kind === 'unexplained')).toEqual([]);
  });
});
