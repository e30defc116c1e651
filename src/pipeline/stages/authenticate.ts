/**
 * Stage "authenticate": decides whose provider credentials a request uses. In managed mode the
 * gateway's configured keys are used and the client's Authorization never travels upstream
 * (adapters build upstream headers from scratch). In pass-through mode the client's own
 * provider key is forwarded. Tollgate virtual keys and tenants plug in here (access control).
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { clientCredential } from '../../http/forward-headers.js';
import type { RequestContext } from '../context.js';

export function authenticate(ctx: RequestContext): void {
  if (ctx.config.authMode !== 'passthrough') return;
  const credential = clientCredential(ctx.req.headers);
  if (!credential) {
    throw new GatewayError('missing_credentials', { detail: 'Pass-through mode: send your provider key as Authorization: Bearer …' });
  }
  ctx.credential = credential;
}
