import type { HubClient } from '@health-hub/hub';
import { request } from 'undici';

/** The person-360 query used by the end-to-end tests and the benchmark. */
export const PERSON_360 = `query Person360($id: CitizenId!) {
  person(id: $id) {
    id fullName familyName middleName givenName sex birthDate birthYear phone
    oldIds { kind number }
    addresses { kind provinceCode provinceName districtCode wardCode line }
    vaccinationStatus { doses fullyVaccinated lastDoseOn boosterDoses }
    vaccinations { id doseNumber vaccine manufacturer lot administeredOn siteName siteProvinceCode }
    testResults { id method result sampledAt lab { id name } pooledSample { id memberCount } }
    healthInsurance { cardNumber socialInsuranceCode validFrom validTo registeredClinic { code name } }
    cases { code status provinceCode confirmedAt confirmingTest { id } }
  }
}`;

/** A 1,000-person batch with fields from every subgraph, used by the benchmarks. */
export const BATCH_QUERY = `query Batch($ids: [CitizenId!]!) {
  persons(ids: $ids) {
    id fullName birthDate
    vaccinationStatus { doses fullyVaccinated }
    testResults { result sampledAt }
    healthInsurance { cardNumber validTo }
    cases { code status }
  }
}`;

/**
 * Posts a GraphQL request as `client`'s partner (`hub.client(role)`, or `hubClient(...)` for a
 * hub in separate processes) and returns the parsed body, whatever the status.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function query(client: HubClient, document: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await request(`${client.url}/graphql`, {
    method: 'POST',
    headers: { ...client.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query: document, variables }),
  });
  return res.body.json();
}
