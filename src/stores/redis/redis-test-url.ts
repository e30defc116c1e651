/**
 * Test support: the Redis the service tests use (`REDIS_URL`, default the local server). Tests
 * that need it fail, never skip, when it is unreachable. Not used at runtime.
 */
export function redisTestUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A key prefix unique to one test run, so parallel test files never see each other's keys. */
export function redisTestPrefix(label: string): string {
  return `tollgate-test:${label}:${process.pid}:${Date.now().toString(36)}:`;
}
