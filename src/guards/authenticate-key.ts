/**
 * Who is calling: the Tollgate key part of the "authenticate" stage (also run by native
 * pass-through). It sets `ctx.keyId` and `ctx.tenant`. The key check itself (requestKey) is
 * also what guards `GET /v1/models` (model-listing.ts).
 *
 * - Open gateway: no keys or tenants configured and none created via the admin API. Managed
 *   mode then keeps the pre-guards behaviour (no key needed), so a fresh install and the demo
 *   work; as soon as one key exists, every managed-mode request must present a valid one.
 * - Managed mode: `Authorization: Bearer <key>` or `cf-aig-authorization`; absent →
 *   `missing_credentials`, unknown/revoked/variant → `invalid_api_key`.
 * - Pass-through mode: the client's provider key is the credential. A Tollgate key may be
 *   added with `cf-aig-authorization` (validated, gives the tenant); otherwise the tenant comes
 *   from `x-tenant-id` only when the socket peer is in `auth.trustedBackends`.
 *
 * Model/route permissions and limits are checked later (guard-stage.ts), once the target is known.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../errors/gateway-error.js';
import type { RequestContext } from '../pipeline/context.js';
import { presentedKey } from './api-key.js';
import type { GuardPolicy, KeyRecord } from './guard-policy.js';
import type { GuardRuntime } from './guard-runtime.js';
import { guardsOf } from './runtime-of.js';

function tenantHeader(ctx: RequestContext): string | null {
  const v = ctx.req.headers['x-tenant-id'];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(s) ? s : null;
}

/**
 * The valid key a request presents, or undefined when it presents none and none is needed
 * (open gateway, or pass-through without a Tollgate key). Throws `missing_credentials` /
 * `invalid_api_key` otherwise. Shared by the pipeline and `GET /v1/models`.
 */
export function requestKey(guards: GuardRuntime, policy: GuardPolicy, headers: IncomingHttpHeaders, passthrough: boolean): KeyRecord | undefined {
  const presented = presentedKey(headers, passthrough);
  if (presented === undefined) {
    if (passthrough || !guards.registry.active(policy)) return undefined;
    throw new GatewayError('missing_credentials', { detail: 'This gateway requires a Tollgate API key: send Authorization: Bearer <key> (or cf-aig-authorization).' });
  }
  if (!passthrough && !guards.registry.active(policy)) return undefined; // open gateway: a bearer here is just ignored
  const key = guards.registry.lookup(policy, presented);
  if (!key) throw new GatewayError('invalid_api_key');
  return key;
}

export function authenticateKey(ctx: RequestContext): void {
  const guards = guardsOf(ctx.shared);
  if (!guards) return;
  const policy = ctx.config.guards;
  const passthrough = ctx.config.authMode === 'passthrough';
  const key = requestKey(guards, policy, ctx.req.headers, passthrough);
  if (key) {
    ctx.guardKey = key;
    ctx.keyId = key.id;
    ctx.tenant = key.tenant;
  } else if (passthrough && policy.trustedBackends.has(ctx.req.socket.remoteAddress)) {
    // Without a Tollgate key (requestKey returned none): the tenant header of a trusted backend.
    ctx.tenant = tenantHeader(ctx);
  }
}
