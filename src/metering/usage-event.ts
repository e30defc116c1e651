/**
 * UsageEvent: the one record every request leaves behind, successful or not. It is built from
 * an allowlist of fields (never by copying a request or response object), so nothing that was
 * not chosen here can reach a log store, a metric label or a trace. Prompts and completions are
 * absent unless a tenant opted in to payload logging, and then they are masked first.
 *
 * Money is integer micro-USD (1 USD = 1_000_000). `costMicros: null` means the price is unknown
 * (never silently zero).
 */

export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS';
export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'passthrough';

export interface UsageEvent {
  /** Unique per request; stores deduplicate on it (idempotent replay). */
  requestId: string;
  /** Arrival time, epoch milliseconds. */
  time: number;
  tenant: string | null;
  keyId: string | null;
  /** Already masked (e.g. `user_123***789`). */
  user: string | null;
  operation: string | null;
  /** Bounded: at most 16 keys, string values of at most 256 characters, already masked. */
  metadata: Record<string, string> | null;
  endpoint: Endpoint;
  provider: string | null;
  model: string | null;
  routeAlias: string | null;
  /** HTTP status sent to the client (499 when the client went away first). */
  status: number;
  /** Catalogue error code, or null on success. */
  errorCode: string | null;
  cacheStatus: CacheStatus | null;
  attempts: number;
  fallbackIndex: number;
  latencyMs: number;
  /** Time to first byte/token sent to the client, ms; null if nothing was sent. */
  ttftMs: number | null;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  tokensCacheWrite: number;
  /** Workers AI neurons, when the provider bills in them. */
  neurons: number | null;
  costMicros: number | null;
  savedMicros: number;
  stream: boolean;
  /** The answer was cut short (upstream break, client abort); tokens billed are those produced. */
  partial: boolean;
  /** Token counts were estimated with a tokenizer because the provider sent no usage. */
  estimated: boolean;
  /**
   * False when the client asked not to be logged (`x-tollgate-collect-log: false`): sinks that
   * keep records (log store, stdout) skip the event; counters and metrics still count it.
   */
  collect: boolean;
  /** Masked request/response text, only for tenants that opted in to payload logging. */
  payload: { request: string | null; response: string | null } | null;
}
