import './no-telemetry';

export { build } from './app';
export { resolveOptions, type GatewayOptions } from './options';
export { GatewayErrors } from './errors';
export { PURPOSE_HEADER } from './plugins/authentication';
export type { GatewayContext, RequestCaller } from './caller';
