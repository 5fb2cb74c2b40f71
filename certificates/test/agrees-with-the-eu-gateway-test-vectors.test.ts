// Every EU DCC gateway test vector (../shared/data/eu-dcc-testdata) through the verifier, each
// stage compared with the vector's EXPECTEDRESULTS. The stages where they differ are listed, with
// what the verifier found, in eu-test-vectors-disagreements.json: a fix or a regression changes
// that list, and this test fails until the file says so (HUB_CERT_WRITE_DISAGREEMENTS=1 rewrites it).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareAll, readVectors, type Disagreement } from './eu-test-vectors';

const LISTED = join(__dirname, 'eu-test-vectors-disagreements.json');

interface Listed { checks: number; agreement: string; disagreements: (Disagreement & { cause?: string })[] }

describe('the EU gateway test vectors', () => {
  const vectors = readVectors();
  const { checks, disagreements } = compareAll(vectors);
  const agreement = `${checks - disagreements.length} of ${checks} stage checks (${(((checks - disagreements.length) / checks) * 100).toFixed(1)} %)`;

  it('are all read', () => {
    expect(vectors.length).toBe(581);
    expect(checks).toBeGreaterThan(5000);
  });

  it('disagree with the verifier only where the committed list says, and why', () => {
    console.log(`EU DCC test vectors: the verifier agrees on ${agreement}`);
    const key = (d: Disagreement) => `${d.vector} ${d.stage}`;
    if (process.env.HUB_CERT_WRITE_DISAGREEMENTS === '1') {
      const before = existsSync(LISTED) ? (JSON.parse(readFileSync(LISTED, 'utf8')) as Listed) : undefined;
      const causes = new Map(before?.disagreements.map((d) => [key(d), d.cause]));
      const listed: Listed = { checks, agreement, disagreements: disagreements.map((d) => ({ ...d, cause: causes.get(key(d)) })) };
      writeFileSync(LISTED, `${JSON.stringify(listed, null, 2)}\n`);
    }
    const listed = JSON.parse(readFileSync(LISTED, 'utf8')) as Listed;
    expect(disagreements.map(key).sort()).toEqual(listed.disagreements.map(key).sort());
    expect(listed.agreement).toBe(agreement);
  });
});
