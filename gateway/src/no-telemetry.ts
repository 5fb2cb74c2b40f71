// @apollo/gateway reports usage to Apollo unless this is set; the hub sends nothing outside.
// Imported first by index.ts so it is in place before the gateway package loads.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
