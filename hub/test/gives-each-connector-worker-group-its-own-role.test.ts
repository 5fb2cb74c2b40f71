import { loadConfiguration } from '../src/configuration/load';
import { connectorWorkerRoles } from '../src/services/migrate';

const noPassword = () => null;

/**
 * Workers that run different connectors connect as different roles, each writing only its
 * connectors' stores (what each role may do is proven against PostgreSQL in
 * test/test/refuses-a-subgraph-role-another-subgraphs-tables).
 */
describe('the connector workers\' roles the migrate job provisions', () => {
  it('gives each group of HUB_CONNECTOR_WORKER_ROLES a role writing only its connectors\' stores', () => {
    const roles = connectorWorkerRoles('people=registry,insurance; labs=lab-csv,lab-fhir', (service) => `pw-${service}`);
    expect(roles).toEqual([
      { name: 'hub_connector_worker_people', password: 'pw-connector-worker-people', schemas: { connectors: 'write', registry: 'write', insurance: 'write' } },
      { name: 'hub_connector_worker_labs', password: 'pw-connector-worker-labs', schemas: expect.objectContaining({ connectors: 'write', testing: 'write' }) },
    ]);
    expect(roles[1]!.schemas).not.toHaveProperty('vaccination');
    expect(roles[1]!.schemas).not.toHaveProperty('insurance');
  });

  it('keeps one role for every connector when no groups are given', () => {
    const [role, ...others] = connectorWorkerRoles(undefined, noPassword);
    expect(others).toEqual([]);
    expect(role).toMatchObject({ name: 'hub_connector_worker', schemas: { connectors: 'write', registry: 'write', vaccination: 'write', testing: 'write', insurance: 'write', cases: 'write' } });
  });

  it('refuses a connector it does not know, and a value it cannot read, naming the variable', () => {
    expect(() => connectorWorkerRoles('people=registry,nope', noPassword)).toThrow(expect.objectContaining({ code: 'HUB_CONNECTOR_UNKNOWN' }));
    const { problems } = loadConfiguration('migrate', { DATABASE_URL: 'postgres://hub@db/hub', HUB_CONNECTOR_WORKER_ROLES: 'people: registry' });
    expect(problems).toEqual([expect.stringMatching(/^HUB_CONNECTOR_WORKER_ROLES .*<group>=<connector>/)]);
  });
});
