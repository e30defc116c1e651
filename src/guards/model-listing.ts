/**
 * What `GET /v1/models` shows a caller. With keys in use the listing is behind the key like
 * every other /v1 endpoint (`missing_credentials` / `invalid_api_key`, 401), and it lists only
 * the `provider/model` ids and route aliases that the key and its tenant may use (their
 * `models` lists, compared case-insensitively as the guard stage does). An open gateway, or a
 * pass-through request without a Tollgate key, sees the whole list.
 *
 * It lists what is advertised (config or adapter defaults); it does not ask providers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RuntimeConfig } from '../config/compile.js';
import { requestKey } from './authenticate-key.js';
import type { AccessRules } from './guard-policy.js';
import type { GuardRuntime } from './guard-runtime.js';

const allows = (rules: AccessRules | undefined, id: string): boolean => !rules?.models || rules.models.has(id.toLowerCase());

export function visibleModels(guards: GuardRuntime | undefined, config: RuntimeConfig, headers: IncomingHttpHeaders): readonly string[] {
  if (!guards) return config.modelIds;
  const key = requestKey(guards, config.guards, headers, config.authMode === 'passthrough');
  if (!key) return config.modelIds;
  const tenant = guards.registry.tenant(config.guards, key.tenant);
  if (!key.models && !tenant?.models) return config.modelIds;
  return config.modelIds.filter((id) => allows(key, id) && allows(tenant, id));
}
