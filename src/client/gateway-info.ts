/**
 * Reads what the gateway reports about one answer from its response headers: request id, cache
 * status, cost, tokens, provider, model and attempts. Numbers that are absent (streams carry
 * no cost or token headers; unknown prices carry no cost) come back as null, never as zero.
 */
export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS';

export interface GatewayInfo {
  requestId: string | null;
  cacheStatus: CacheStatus | null;
  costUsd: number | null;
  tokens: { input: number | null; output: number | null };
  provider: string | null;
  model: string | null;
  attempts: number | null;
}

interface HeaderSource {
  get(name: string): string | null;
}

function numberOf(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function cacheStatusOf(value: string | null): CacheStatus | null {
  const v = value?.trim().toUpperCase();
  return v === 'HIT' || v === 'MISS' || v === 'BYPASS' ? v : null;
}

function decoded(value: string | null): string | null {
  if (value === null) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function readGatewayInfo(headers: HeaderSource): GatewayInfo {
  return {
    requestId: headers.get('x-request-id'),
    cacheStatus: cacheStatusOf(headers.get('x-tollgate-cache-status') ?? headers.get('cf-aig-cache-status')),
    costUsd: numberOf(headers.get('x-tollgate-cost-usd')),
    tokens: { input: numberOf(headers.get('x-tollgate-tokens-in')), output: numberOf(headers.get('x-tollgate-tokens-out')) },
    provider: headers.get('x-tollgate-provider'),
    model: decoded(headers.get('x-tollgate-model')),
    attempts: numberOf(headers.get('x-tollgate-attempts')),
  };
}
