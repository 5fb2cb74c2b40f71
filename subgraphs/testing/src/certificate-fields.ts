import {
  CertificateAuthority, certificateTypeResolvers, holderOf, keepingRequiredFields, recoveryPayload, testPayload,
  type CertificateRequest, type IssuedCertificate, type PersonWithNames,
} from '@health-hub/certificates';
import { personKeysOf, type SubgraphContext } from '@health-hub/subgraph-kit';
import type DataLoader from 'dataloader';
import type { TestingLoaders } from './loaders';
import type { TestResult } from './test-result-store';

/** The testing subgraph's loaders with the certificate loader beside them. */
export type CertificateLoaders = TestingLoaders & { certificates: DataLoader<CertificateRequest, IssuedCertificate> };
type Context = SubgraphContext<CertificateLoaders>;

/** The day of an instant in Việt Nam (UTC+7, no daylight saving), as the DCC's dates want it. */
export function vietnamDate(instant: Date): string {
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** Test and recovery certificate fields of the testing subgraph, over the base resolvers' Person reference. */
export function certificateResolvers(
  authority: CertificateAuthority,
  resolveReference: (reference: { id: string }, context: Context, info: unknown) => unknown,
) {
  return {
    Person: {
      __resolveReference: keepingRequiredFields(resolveReference),
      testCertificates: async (person: PersonWithNames, _: unknown, ctx: Context) => {
        const holder = holderOf(person);
        const results = (await ctx.loaders.testResultsByPerson.load(personKeysOf(person)))
          .filter((result) => result.result !== 'INVALID')
          .sort((a, b) => b.sampledAt.getTime() - a.sampledAt.getTime());
        return Promise.all(results.map((result) => ctx.loaders.certificates.load({
          personId: person.id,
          kind: 'test',
          payload: (uvci) => testPayload(holder, { method: result.method, result: result.result, sampledAt: result.sampledAt.toISOString(), centre: result.labName }, authority.issuer, uvci),
        })));
      },
      recoveryCertificate: async (person: PersonWithNames, _: unknown, ctx: Context) => {
        const positive = latestPositiveRtPcr(await ctx.loaders.testResultsByPerson.load(personKeysOf(person)));
        if (!positive) return null;
        const holder = holderOf(person);
        return ctx.loaders.certificates.load({
          personId: person.id,
          kind: 'recovery',
          payload: (uvci) => recoveryPayload(holder, vietnamDate(positive.sampledAt), authority.issuer, uvci),
        });
      },
    },
    ...certificateTypeResolvers,
  };
}

/** Recovery is certified from a positive NAA test only (RT-PCR), as the EU rules require. */
export function latestPositiveRtPcr(results: readonly TestResult[]): TestResult | null {
  let latest: TestResult | null = null;
  for (const result of results) {
    if (result.method === 'RT_PCR' && result.result === 'POSITIVE' && (!latest || result.sampledAt > latest.sampledAt)) latest = result;
  }
  return latest;
}
