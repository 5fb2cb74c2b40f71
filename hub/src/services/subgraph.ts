import * as audit from '@health-hub/audit';
import * as cases from '@health-hub/cases';
import * as insurance from '@health-hub/insurance';
import * as registry from '@health-hub/registry';
import { DEFAULT_SUBGRAPH_PORTS, type SubgraphName } from '@health-hub/schema';
import * as testing from '@health-hub/testing';
import * as vaccination from '@health-hub/vaccination';
import * as workplaces from '@health-hub/workplaces';
import type { FastifyInstance } from 'fastify';
import type { Settings } from '../configuration/settings';
import type { RunningService } from './running';

/** Builds one subgraph's app from the settings: what all share, and what each needs beyond. */
function buildSubgraph(name: SubgraphName, settings: Settings): Promise<FastifyInstance> {
  // The migrate job owns the schemas: a service never changes them (its role may not).
  const common = { databaseUrl: settings.required('DATABASE_URL'), logLevel: settings.logLevel(), migrateOnStart: false, gatewaySecret: settings.text('HUB_GATEWAY_SECRET') };
  const certificates = { keyEncryptionKey: settings.text('HUB_CERTIFICATES_KEK'), createKeyWhenMissing: !settings.production };
  switch (name) {
    case 'registry': return registry.build(common);
    case 'vaccination': return vaccination.build({ ...common, certificates });
    case 'testing': return testing.build({ ...common, certificates });
    case 'insurance': return insurance.build(common);
    case 'cases': return cases.build({ ...common, risk: settings.json('HUB_CASES_RISK_THRESHOLDS'), homeIsolation: settings.json('HUB_CASES_HOME_ISOLATION_ALERTS') });
    case 'audit': return audit.build(common);
    case 'workplaces': return workplaces.build(common);
  }
}

/** One subgraph, serving its part of the graph to the gateway only. */
export async function runSubgraph(name: SubgraphName, settings: Settings): Promise<RunningService> {
  const app = await buildSubgraph(name, settings);
  await app.listen({ port: settings.integer('PORT') ?? DEFAULT_SUBGRAPH_PORTS[name], host: settings.text('HOST') ?? '127.0.0.1' });
  return { stop: () => app.close() };
}
