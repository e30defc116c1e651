/**
 * JSON POST for the webhook-style destinations, over one small undici pool kept apart from the
 * upstream pools (an alert storm must never take sockets from model traffic). Redirects are
 * not followed. A 429 or 5xx is retryable; any other non-2xx is permanent. Connections go
 * through the SSRF guard (operator policy): a URL at a metadata or link-local address is a
 * permanent failure, never a connection.
 */
import { Agent, request } from 'undici';
import { PermanentDeliveryError } from './destination.js';
import { checkOutboundUrl, OPERATOR_POLICY, TARGET_FORBIDDEN } from '../../security/address-policy.js';
import { guardedConnector } from '../../security/guarded-connect.js';

let agent: Agent | undefined;

function pool(): Agent {
  return (agent ??= new Agent({ connections: 4, connect: guardedConnector(OPERATOR_POLICY, 5_000), headersTimeout: 10_000, bodyTimeout: 10_000 }));
}

export async function postJson(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
  let res: Awaited<ReturnType<typeof request>>;
  try {
    checkOutboundUrl(url, OPERATOR_POLICY);
    res = await request(url, {
      method: 'POST', body, signal, dispatcher: pool(),
      headers: { 'content-type': 'application/json', 'user-agent': 'tollgate-alerts', ...headers },
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === TARGET_FORBIDDEN) throw new PermanentDeliveryError((err as Error).message);
    throw err;
  }
  await res.body.text().catch(() => '');
  if (res.statusCode >= 200 && res.statusCode < 300) return;
  const msg = `destination answered HTTP ${res.statusCode}`;
  if (res.statusCode === 429 || res.statusCode >= 500) throw new Error(msg);
  throw new PermanentDeliveryError(msg);
}

export async function closeAlertHttp(): Promise<void> {
  const a = agent;
  agent = undefined;
  // The delivery queue already gave pending sends their grace period; what is left is abandoned.
  await a?.destroy();
}
