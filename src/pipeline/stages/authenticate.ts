/**
 * Stage "authenticate": decides whose provider credentials a request uses. In managed mode the
 * gateway's configured keys are used and the client's Authorization never travels upstream
 * (adapters build upstream headers from scratch). In pass-through mode the client's own
 * provider key is forwarded. Tollgate keys and tenants are checked first (guards/authenticate-key.ts).
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { clientCredential } from '../../http/forward-headers.js';
import type { RequestContext } from '../context.js';
import { authenticateKey } from '../../guards/authenticate-key.js';

export function authenticate(ctx: RequestContext): void {
  authenticateKey(ctx); // Tollgate keys and tenants (src/guards/)
  if (ctx.config.authMode !== 'passthrough') return;
  const credential = clientCredential(ctx.req.headers);
  if (!credential) {
    throw new GatewayError('missing_credentials', { detail: 'Pass-through mode: send your provider key as Authorization: Bearer …' });
  }
  ctx.credential = credential;
}
