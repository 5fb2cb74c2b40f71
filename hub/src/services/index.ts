import type { SubgraphName } from '@health-hub/schema';
import type { ServiceName } from '../configuration/variables';
import type { Settings } from '../configuration/settings';
import { runConnectorScheduler } from './connector-scheduler';
import { runConnectorWorker } from './connector-worker';
import { runGateway } from './gateway';
import { runMigrate } from './migrate';
import { runRetention } from './retention';
import type { RunningService } from './running';
import { runSubgraph } from './subgraph';
import { runWebhookDispatcher } from './webhook-dispatcher';

export type { RunningService } from './running';

const subgraph = (name: SubgraphName) => (settings: Settings) => runSubgraph(name, settings);

/** How each service starts. */
export const SERVICES: Readonly<Record<ServiceName, (settings: Settings) => Promise<RunningService>>> = {
  gateway: runGateway,
  registry: subgraph('registry'),
  vaccination: subgraph('vaccination'),
  testing: subgraph('testing'),
  insurance: subgraph('insurance'),
  cases: subgraph('cases'),
  audit: subgraph('audit'),
  workplaces: subgraph('workplaces'),
  'connector-worker': runConnectorWorker,
  'connector-scheduler': runConnectorScheduler,
  'webhook-dispatcher': runWebhookDispatcher,
  retention: runRetention,
  migrate: runMigrate,
};
