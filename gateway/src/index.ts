import './no-telemetry';

export { build, withAccessEnforcedHere } from './app';
export { DEFAULT_SUBGRAPH_TIMEOUTS_MS, resolveOptions, type GatewayOptions } from './options';
export { GatewayErrors } from './errors';
export { PURPOSE_HEADER } from './plugins/authentication';
export type { GatewayContext, RequestCaller } from './caller';
export { intentOperation, actionOperation } from './plugins/audit-log';
