import './no-telemetry';

export { build } from './app';
export { resolveOptions, type GatewayOptions } from './options';
export { GatewayErrors } from './errors';
