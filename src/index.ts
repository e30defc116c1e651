/**
 * The package's programmatic entry: start a gateway or a fake upstream from code (tests,
 * embedding in another service). The CLI is the usual way to run Tollgate.
 */
export { startGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { startMockUpstream, type MockUpstream } from './mock-upstream/server.js';
export { ERROR_CATALOGUE, type ErrorCode } from './errors/catalogue.js';
export { configSchema, type Config } from './config/schema.js';
