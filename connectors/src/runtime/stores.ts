import { HubError, type SchemaAccess } from '@health-hub/subgraph-kit';
import { ConnectorErrors } from '../errors';

/**
 * The stores each connector touches, by schema: where it writes its records, and the
 * registry, where connectors that link persons at ingest record the references they link (or
 * only read it, for those that follow the crosswalk). A connector added to
 * `AVAILABLE_CONNECTORS` is added here too (a test checks).
 */
export const CONNECTOR_STORES: Readonly<Record<string, Readonly<Record<string, SchemaAccess>>>> = Object.freeze({
  registry: { registry: 'write' },
  vaccination: { vaccination: 'write', registry: 'write' },
  insurance: { insurance: 'write', registry: 'write' },
  'lab-fhir': { testing: 'write', registry: 'write' },
  'lab-csv': { testing: 'write', registry: 'write' },
  'citizen-app': { cases: 'write', registry: 'write' },
  'case-management': { cases: 'write', registry: 'write' },
  'household-contacts': { cases: 'write', registry: 'read' },
  'person-links': { cases: 'write', registry: 'read' },
  // Contact persons come with their citizen ID: nothing to link at ingest.
  'workplace-safety': { workplaces: 'write' },
});

/**
 * The schemas a connector worker running `connectors` may use: the `connectors` schema (cursors,
 * runs, rejected records) and its connectors' stores, a write winning over a read. Throws
 * HUB_CONNECTOR_UNKNOWN for a name it does not know.
 */
export function connectorWorkerSchemas(connectors: readonly string[]): Record<string, SchemaAccess> {
  const schemas: Record<string, SchemaAccess> = { connectors: 'write' };
  for (const name of connectors) {
    const stores = CONNECTOR_STORES[name];
    if (!stores) throw new HubError(ConnectorErrors.UNKNOWN_CONNECTOR, `No connector named "${name}" (known: ${Object.keys(CONNECTOR_STORES).join(', ')}).`, { details: { name } });
    for (const [schema, access] of Object.entries(stores)) if (schemas[schema] !== 'write') schemas[schema] = access;
  }
  return schemas;
}
