/**
 * Builds a RequestContext at the edge and ties it to the connection's lifetime: the client
 * going away aborts the upstream call (within the same tick), and the overall deadline aborts
 * it too. Both record *why* the abort happened so errors are reported truthfully
 * (`client_closed` vs `upstream_timeout`). `release()` must run when the request ends.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeConfig } from '../config/compile.js';
import type { RequestContext } from '../pipeline/context.js';
import type { Operation } from '../providers/types.js';
import { AbortSwitch } from '../upstream/abort-switch.js';
import type { ResilienceRuntime } from '../resilience/resilience-runtime.js';
import { edgeLabels } from '../metering/request-labels.js';
import type { Endpoint } from '../metering/usage-event.js';
import { requestIdFrom } from './request-id.js';

export interface RequestScope {
  ctx: RequestContext;
  release(): void;
}

export function openRequestScope(
  shared: ResilienceRuntime,
  config: RuntimeConfig,
  operation: Operation,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: Buffer | undefined,
  endpoint: Endpoint = operation,
): RequestScope {
  const abort = new AbortSwitch();
  const onClose = (): void => {
    if (!res.writableFinished) abort.abort('client_closed');
  };
  res.on('close', onClose);
  const deadline = setTimeout(() => abort.abort('deadline'), config.timeouts.totalMs);
  const receivedAt = Date.now(); // one clock read for the arrival time and a minted id
  const ctx: RequestContext = {
    id: requestIdFrom(req.headers['x-request-id'], receivedAt),
    startedAt: performance.now(),
    receivedAt,
    config,
    operation,
    endpoint,
    req,
    res,
    rawBody,
    abort,
    call: { abort, timeouts: config.timeouts, addressPolicy: config.addressPolicy },
    shared,
    body: {},
    stream: false,
    credential: undefined,
    requestedModel: '',
    routeAlias: undefined,
    targets: [],
    target: undefined,
    attempts: 0,
    upstream: undefined,
    status: 0,
    usage: undefined,
    firstByteAt: undefined,
    error: undefined,
    partial: false,
    finishReason: undefined,
    labels: edgeLabels(req.headers),
    tenant: null,
    keyId: null,
    cacheStatus: null,
    cacheRuntime: undefined,
    cachePending: undefined,
    answered: false,
    fallbackIndex: 0,
    estimated: false,
    costMicros: null,
    savedMicros: 0,
    neurons: null,
    delivered: [],
    responseText: undefined,
    auxCostMicros: 0,
    failedAttempts: undefined,
    trace: undefined,
    guardKey: undefined,
    guardTicket: undefined,
    rateHeaders: undefined,
  };
  return {
    ctx,
    release() {
      clearTimeout(deadline);
      res.off('close', onClose);
    },
  };
}
