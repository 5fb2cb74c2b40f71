import {
  DEFAULT_SIMULATOR_TOKEN, startInsuranceSimulator, startRegistrySimulator, type InsuranceSimulator, type InsuranceSimulatorOptions, type Population,
} from '@health-hub/simulators';
import type { Pool } from '@health-hub/subgraph-kit';
import { insuranceConnector, registryConnector } from '../src';
import { startSourceHarness, type SourceHarness } from './source-harness';

/**
 * The registry and insurance connectors against their simulators; the registry has run once,
 * so the hub knows every person of the population.
 */
export async function startInsuranceHarness(
  population: Population,
  insuranceOptions: Omit<InsuranceSimulatorOptions, 'population'>,
): Promise<{ h: SourceHarness; insurance: InsuranceSimulator }> {
  const registry = await startRegistrySimulator({ population });
  const insurance = await startInsuranceSimulator({ population, ...insuranceOptions });
  const token = DEFAULT_SIMULATOR_TOKEN;
  const h = await startSourceHarness({
    schemas: ['registry', 'insurance'],
    connectors: [
      { connector: registryConnector, config: { baseUrl: registry.url, token, pageSize: 1000 } },
      { connector: insuranceConnector, config: { baseUrl: insurance.url, token, batchSize: 100 } },
    ],
    servers: [registry, insurance],
  });
  await h.runToEnd('registry');
  return { h, insurance };
}

/** Stored cards, in the columns the connector fills. */
export async function storedCards(pool: Pool) {
  const { rows } = await pool.query(
    `SELECT source_record_id AS "sourceRecordId", person_id AS "personId", card_number AS "cardNumber",
            beneficiary_group AS "beneficiaryGroup", benefit_level AS "benefitLevel",
            to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo",
            clinic_code AS "clinicCode", clinic_name AS "clinicName", raw, source_updated_at AS "sourceUpdatedAt"
       FROM insurance.card ORDER BY source_record_id`,
  );
  return rows.map((r) => ({ ...r, sourceUpdatedAt: (r.sourceUpdatedAt as Date).toISOString() }));
}

/** The card of every person of the population who has one, as the store should hold it (from the generator's own record). */
export function expectedCards(population: Population, sim: InsuranceSimulator, keep: (code: string) => boolean = () => true) {
  const out = [];
  for (let i = 0; i < population.size; i++) {
    const card = population.insuranceCard(i);
    if (card === null || !keep(card.socialInsuranceCode)) continue;
    out.push({
      sourceRecordId: card.socialInsuranceCode,
      personId: population.person(i).citizenId,
      cardNumber: card.cardNumber,
      beneficiaryGroup: card.beneficiaryGroup,
      benefitLevel: card.benefitLevel,
      validFrom: card.validFrom,
      validTo: card.validTo,
      clinicCode: card.registeredClinic.code,
      clinicName: card.registeredClinic.name,
      raw: sim.cardOf(i),
      // The source speaks to the second.
      sourceUpdatedAt: new Date(Math.floor(Date.parse(card.sourceUpdatedAt) / 1000) * 1000).toISOString(),
    });
  }
  return out.sort((a, b) => (a.sourceRecordId < b.sourceRecordId ? -1 : 1));
}
