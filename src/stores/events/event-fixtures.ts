/**
 * Test fixtures for the log stores and the spool: a complete UsageEvent with every field set
 * to a plausible value, overridable per test. Shared by the contract suite, the crash writer and
 * the ingest benchmark so they all exercise the full row, not a minimal one. Not used at runtime.
 */
import type { UsageEvent } from '../../metering/usage-event.js';

export const FIXTURE_TIME = Date.UTC(2025, 5, 1, 12, 0, 0);

export function makeEvent(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    requestId: 'req_fixture',
    time: FIXTURE_TIME,
    tenant: 'acme',
    keyId: 'key_1',
    user: 'user_123***789',
    operation: 'resume_parsing',
    metadata: { team: 'search', env: 'prod' },
    endpoint: 'chat',
    provider: 'openai',
    model: 'gpt-4o',
    routeAlias: null,
    status: 200,
    errorCode: null,
    cacheStatus: 'MISS',
    attempts: 1,
    fallbackIndex: 0,
    latencyMs: 412.5,
    ttftMs: 120.25,
    tokensIn: 1200,
    tokensOut: 300,
    tokensCached: 0,
    tokensCacheWrite: 0,
    neurons: null,
    costMicros: 6000,
    savedMicros: 0,
    stream: false,
    partial: false,
    estimated: false,
    collect: true,
    payload: null,
    ...overrides,
  };
}

/** `count` events with ids `${prefix}-00000…` and times spread one ms apart, newest last. */
export function makeEvents(count: number, prefix = 'req', start = FIXTURE_TIME): UsageEvent[] {
  return Array.from({ length: count }, (_, i) =>
    makeEvent({ requestId: `${prefix}-${String(i).padStart(5, '0')}`, time: start + i }));
}
