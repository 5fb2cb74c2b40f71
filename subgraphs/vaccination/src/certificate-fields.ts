import {
  CertificateAuthority, CertificateErrors, certificateTypeResolvers, holderOf, keepingRequiredFields, vaccinationPayload,
  type CertifiedDose, type IssuedCertificate, type PersonWithNames,
} from '@health-hub/certificates';
import { HubError, personKeysOf, type SubgraphContext } from '@health-hub/subgraph-kit';
import type DataLoader from 'dataloader';
import type { CertificateRequest } from '@health-hub/certificates';
import type { VaccinationLoaders } from './loaders';
import { VACCINES, type DoseFacts } from './vaccines';

/** The vaccination subgraph's loaders with the certificate loader beside them. */
export type CertificateLoaders = VaccinationLoaders & { certificates: DataLoader<CertificateRequest, IssuedCertificate> };
type Context = SubgraphContext<CertificateLoaders>;

/**
 * The dose a vaccination certificate states: the last one, numbered as `vaccinationStatus`
 * counts (n-th dose of the person), out of the primary series of the first dose's product;
 * a booster is n of n, as the EU rules encode boosters.
 */
export function certifiedDose(doses: readonly DoseFacts[]): CertifiedDose | null {
  const ordered = [...doses].sort((a, b) => (a.administeredOn < b.administeredOn ? -1 : a.administeredOn > b.administeredOn ? 1 : a.doseNumber - b.doseNumber));
  const first = ordered[0];
  const last = ordered.at(-1);
  if (!first || !last) return null;
  const primary = VACCINES[first.vaccine].primarySeriesDoses;
  return { vaccine: last.vaccine, doseNumber: ordered.length, seriesDoses: Math.max(primary, ordered.length), administeredOn: last.administeredOn };
}

/** Certificate fields and operations of the vaccination subgraph, over the base resolvers' Person reference. */
export function certificateResolvers(
  authority: CertificateAuthority,
  resolveReference: (reference: { id: string }, context: Context, info: unknown) => unknown,
) {
  return {
    Query: {
      verifyCertificate: (_: unknown, args: { hc1: string; trustLists?: string[] | null }) =>
        authority.verify(args.hc1, { foreignTrustLists: (args.trustLists ?? []).map(parseTrustList) }),
    },
    Mutation: {
      revokeCertificate: (_: unknown, args: { uvci: string; reason: string }) => {
        if (args.reason.trim() === '') throw new HubError(CertificateErrors.BAD_OPTIONS, 'A revocation needs a reason', { details: { field: 'reason' } });
        return authority.revoke(args.uvci, args.reason.trim());
      },
    },
    Person: {
      __resolveReference: keepingRequiredFields(resolveReference),
      vaccinationCertificate: async (person: PersonWithNames, _: unknown, ctx: Context) => {
        const dose = certifiedDose(await ctx.loaders.dosesByPerson.load(personKeysOf(person)));
        if (!dose) return null;
        const holder = holderOf(person);
        return ctx.loaders.certificates.load({
          personId: person.id,
          kind: 'vaccination',
          payload: (uvci) => vaccinationPayload(holder, dose, authority.issuer, uvci),
        });
      },
    },
    ...certificateTypeResolvers,
  };
}

function parseTrustList(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HubError(CertificateErrors.BAD_TRUST_LIST, 'A trust list is not JSON');
  }
}
