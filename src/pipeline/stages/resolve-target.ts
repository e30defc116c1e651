/**
 * Stage "resolve": turns the client's `model` into concrete targets. A route alias from config
 * yields its ordered targets; otherwise the name must be `provider/model` with a configured
 * provider name before the first slash (model ids may contain further slashes). There is no
 * silent default provider: an unknown name is `model_not_found`.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { RuntimeConfig } from '../../config/compile.js';
import type { Operation } from '../../providers/types.js';
import type { RequestContext, ResolvedTarget } from '../context.js';
import { selectTargets } from '../../resilience/target-selector.js';
import { SENSITIVITY_HEADER, sensitivityFromHeaders } from '../../resilience/sensitivity.js';
import { markSeen } from '../../resilience/resilience-runtime.js';

export function resolveModel(config: RuntimeConfig, name: string, operation: Operation): { targets: ResolvedTarget[]; alias?: string } {
  const route = config.routes.get(name);
  let targets: ResolvedTarget[];
  let alias: string | undefined;
  if (route) {
    alias = route.alias;
    targets = [...route.targets];
  } else {
    const slash = name.indexOf('/');
    const provider = slash > 0 ? config.providers.get(name.slice(0, slash)) : undefined;
    const model = slash > 0 ? name.slice(slash + 1) : '';
    if (!provider || model.length === 0) {
      throw new GatewayError('model_not_found', {
        param: 'model',
        detail: `The model "${name.slice(0, 256)}" is not available: use "provider/model" with a configured provider, or a route alias (GET /v1/models lists them).`,
      });
    }
    targets = [{ id: `${provider.name}/${model}`, providerTrusted: provider.settings.trusted === true, weight: 1, when: undefined, provider, model, params: undefined }];
  }
  const usable = targets.filter((t) => t.provider.adapter.operations.includes(operation));
  if (usable.length === 0) {
    throw new GatewayError('operation_not_supported', { param: 'model', detail: `The model "${name}" cannot serve ${operation} requests.` });
  }
  return { targets: usable, alias };
}

/**
 * Orders the candidate targets for this request: route strategy (fallback order, weighted,
 * lowest latency), request conditions and data sensitivity (confidential data only reaches
 * trusted providers), and circuit breakers (open ones are skipped). Nothing allowed is a
 * refusal, never a silent send to a provider the request may not reach.
 */
async function orderTargets(ctx: RequestContext, targets: ResolvedTarget[]): Promise<ResolvedTarget[]> {
  const { breaker, latency, random } = ctx.shared;
  const open = new Set<string>();
  for (const t of targets) {
    if (!breaker.isPristine(t.id) && !(await breaker.available(t.id))) {
      open.add(t.id);
      markSeen(ctx.shared, t.id); // skipped, maybe opened by another replica: still shown in /metrics and /health
    }
  }
  const now = Date.now();
  const route = ctx.routeAlias ? ctx.config.routes.get(ctx.routeAlias) : undefined;
  const selection = selectTargets({
    strategy: route?.strategy ?? 'fallback',
    targets,
    request: {
      tenant: ctx.tenant,
      operation: ctx.labels.operation,
      metadata: ctx.labels.metadata,
      sensitivity: sensitivityFromHeaders(ctx.req.headers),
    },
    available: (id) => !open.has(id),
    latencyOf: (id) => latency.average(id, now),
    random,
  });
  if (selection.refusal === 'not-allowed') {
    throw new GatewayError('target_not_allowed', { param: 'model', detail: `No target of "${ctx.requestedModel}" may serve this request (conditions or data sensitivity).` });
  }
  if (selection.refusal === 'breakers-open') {
    throw new GatewayError('circuit_open', { retryAfterSeconds: Math.ceil(ctx.config.breaker.cooldownMs / 1000) });
  }
  return selection.ordered;
}

/** The common case — one healthy target, no conditions, no sensitivity label — has nothing to order. */
function nothingToOrder(ctx: RequestContext, targets: readonly ResolvedTarget[]): boolean {
  const only = targets.length === 1 ? targets[0] : undefined;
  return only !== undefined && !only.when && ctx.req.headers[SENSITIVITY_HEADER] === undefined && ctx.shared.breaker.isPristine(only.id);
}

/** Synchronous in the common case, so most requests pay no promise here. */
export function resolveTarget(ctx: RequestContext): void | Promise<void> {
  const { targets, alias } = resolveModel(ctx.config, ctx.requestedModel, ctx.operation);
  ctx.routeAlias = alias;
  if (nothingToOrder(ctx, targets)) {
    ctx.targets = targets;
    return;
  }
  return orderTargets(ctx, targets).then((ordered) => { ctx.targets = ordered; });
}
