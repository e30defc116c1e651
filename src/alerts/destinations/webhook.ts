/**
 * Generic webhook: the notification as JSON. With a secret, each delivery is signed so the
 * receiver can prove it came from this gateway and is fresh: `x-tollgate-timestamp` (epoch
 * seconds) and `x-tollgate-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
 * Binding the timestamp into the MAC lets receivers reject replays of old deliveries.
 */
import { createHmac } from 'node:crypto';
import type { Notification } from '../alert-message.js';
import type { Destination } from './destination.js';
import { postJson } from './http-post.js';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookBody(n: Notification): string {
  return JSON.stringify({
    type: n.kind, title: n.title, severity: n.severity, action: n.action, dedupKey: n.dedupKey,
    text: n.body, link: n.link ?? null, details: n.details, sentAt: new Date().toISOString(),
  });
}

export function webhookDestination(name: string, cfg: { url: string; secret?: string | undefined; headers?: Record<string, string> | undefined }): Destination {
  return {
    name, type: 'webhook',
    send: (n, signal) => {
      const body = webhookBody(n);
      const headers: Record<string, string> = { ...cfg.headers };
      if (cfg.secret) {
        const ts = String(Math.floor(Date.now() / 1000));
        headers['x-tollgate-timestamp'] = ts;
        headers['x-tollgate-signature'] = signWebhook(cfg.secret, ts, body);
      }
      return postJson(cfg.url, body, headers, signal);
    },
  };
}
