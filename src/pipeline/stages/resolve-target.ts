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

export function resolveModel(config: RuntimeConfig, name: string, operation: Operation): { targets: ResolvedTarget[]; alias?: string } {
  const route = config.routes.get(name);
  let targets: ResolvedTarget[];
  let alias: string | undefined;
  if (route) {
    alias = route.alias;
    targets = route.targets.map((t) => ({ provider: t.provider, model: t.model, params: t.params }));
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
    targets = [{ provider, model, params: undefined }];
  }
  const usable = targets.filter((t) => t.provider.adapter.operations.includes(operation));
  if (usable.length === 0) {
    throw new GatewayError('operation_not_supported', { param: 'model', detail: `The model "${name}" cannot serve ${operation} requests.` });
  }
  return { targets: usable, alias };
}

export function resolveTarget(ctx: RequestContext): void {
  const { targets, alias } = resolveModel(ctx.config, ctx.requestedModel, ctx.operation);
  ctx.targets = targets;
  ctx.routeAlias = alias;
}
