import { freshDatabase } from '@health-hub/subgraph-kit/testing';
import { seedPopulation, startInProcessHub, type InProcessHub } from '@health-hub/hub';
import { createPopulation, type Population } from '@health-hub/simulators';
import { SUBGRAPH_NAMES, type SubgraphName } from '@health-hub/schema';
import { PERSON_360, query } from '../src/graphql-client';
import { startApolloPeer } from '../src/peers/apollo-peer';
import { startHivePeer } from '../src/peers/hive-peer';
import type { RunningPeer } from '../src/peers/peer-options';

const SIZE = 300;
const CERTIFICATE = 'kind uvci hc1 keyId issuedAt expiresAt validFrom validUntil';
// The README's person-360 with the certificates, whose fields `@requires` the registry's names
// (a second plan step through the registry) and whose types the two subgraphs each define.
const PERSON_360_WITH_CERTIFICATES = PERSON_360.replace(
  /\n  }\n}$/,
  `\n    vaccinationCertificate { ${CERTIFICATE} }\n    testCertificates { ${CERTIFICATE} }\n    recoveryCertificate { ${CERTIFICATE} }\n  }\n}`,
);

describe('the supergraph served by stock Apollo Gateway and by Hive Gateway', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let hub: InProcessHub;
  let population: Population;
  const peers: Record<string, RunningPeer> = {};

  beforeAll(async () => {
    db = await freshDatabase();
    population = createPopulation({ seed: 11, size: SIZE });
    hub = await startInProcessHub({ databaseUrl: db.url });
    await seedPopulation({ databaseUrl: db.url, population, batchPeople: 150 });
    // Both engines over the hub's running subgraphs, signing as the hub's gateway does.
    const peerOptions = {
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hub.subgraphs[n].url])) as Record<SubgraphName, string>,
      gatewaySecret: hub.gatewaySecret,
    };
    peers['Apollo Gateway'] = await startApolloPeer(peerOptions);
    peers['Hive Gateway'] = await startHivePeer(peerOptions);
  });
  afterAll(async () => {
    for (const peer of Object.values(peers)) await peer.stop();
    await hub?.stop();
    await db?.drop();
  });

  it('the query under test holds the certificates', () => {
    expect(PERSON_360_WITH_CERTIFICATES).toContain('recoveryCertificate {');
  });

  it.each(['Apollo Gateway', 'Hive Gateway'])('%s answers a person-360 with certificates as the hub\'s gateway does', async (engine) => {
    // Someone vaccinated and tested positive by RT-PCR: every certificate field has a value.
    const linked = <T extends { personRef: { kind: string } }>(records: T[]) => records.filter((r) => r.personRef.kind === 'CITIZEN_ID');
    const i = Array.from({ length: SIZE }, (_, k) => k).find((k) => linked(population.vaccinations(k)).length > 0
      && linked(population.testResults(k)).some((t) => t.method === 'RT_PCR' && t.result === 'POSITIVE'));
    expect(i).toBeDefined();
    const variables = { id: population.person(i!).citizenId };

    const fromHub = await query(hub.client('ministry'), PERSON_360_WITH_CERTIFICATES, variables);
    expect(fromHub.errors).toBeUndefined();
    const person = fromHub.data.person;
    expect(person.id).toBe(variables.id);
    expect(person.vaccinations.length).toBeGreaterThan(0);
    expect(person.vaccinationCertificate.kind).toBe('VACCINATION');
    expect(person.testCertificates.length).toBeGreaterThan(0);
    expect(person.recoveryCertificate.kind).toBe('RECOVERY');

    const fromPeer = await query({ url: peers[engine]!.url, headers: {} }, PERSON_360_WITH_CERTIFICATES, variables);
    expect(fromPeer.errors).toBeUndefined();
    expect(fromPeer.data).toEqual(fromHub.data);
  });

  it.each(['Apollo Gateway', 'Hive Gateway'])('%s is refused by the subgraphs without the hub gateway\'s secret', async (engine) => {
    const unsigned = await (engine === 'Hive Gateway' ? startHivePeer : startApolloPeer)({
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hub.subgraphs[n].url])) as Record<SubgraphName, string>,
      gatewaySecret: 'not the hub gateway secret',
    });
    try {
      const answer = await query({ url: unsigned.url, headers: {} }, PERSON_360, { id: population.person(0).citizenId });
      expect(answer.data?.person ?? null).toBeNull();
      expect(answer.errors?.length).toBeGreaterThan(0);
    } finally {
      await unsigned.stop();
    }
  });
});
