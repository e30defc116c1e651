/**
 * JSON POST for the webhook-style destinations, over one small undici pool kept apart from the
 * upstream pools (an alert storm must never take sockets from model traffic). Redirects are
 * not followed. A 429 or 5xx is retryable; any other non-2xx is permanent.
 */
import { Agent, request } from 'undici';
import { PermanentDeliveryError } from './destination.js';

let agent: Agent | undefined;

function pool(): Agent {
  return (agent ??= new Agent({ connections: 4, connectTimeout: 5_000, headersTimeout: 10_000, bodyTimeout: 10_000 }));
}

export async function postJson(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
  const res = await request(url, {
    method: 'POST', body, signal, dispatcher: pool(),
    headers: { 'content-type': 'application/json', 'user-agent': 'tollgate-alerts', ...headers },
  });
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
