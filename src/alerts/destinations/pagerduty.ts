/**
 * PagerDuty Events API v2: a firing alert is a `trigger`, its resolution a `resolve` with the
 * same dedup key, so PagerDuty opens and closes one incident per alert instance. Reports and
 * test messages are sent as info-severity triggers with a unique key.
 */
import type { Notification } from '../alert-message.js';
import type { Destination } from './destination.js';
import { postJson } from './http-post.js';

export function pagerDutyEvent(routingKey: string, n: Notification): Record<string, unknown> {
  if (n.action === 'resolve') return { routing_key: routingKey, event_action: 'resolve', dedup_key: n.dedupKey };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: n.dedupKey,
    payload: {
      summary: n.title.slice(0, 1024),
      source: 'tollgate',
      severity: n.severity,
      component: 'ai-gateway',
      custom_details: { ...n.details, text: n.body },
    },
    ...(n.link ? { links: [{ href: n.link, text: 'Tollgate dashboard' }] } : {}),
  };
}

export function pagerDutyDestination(name: string, cfg: { routingKey: string; url: string }): Destination {
  return {
    name, type: 'pagerduty',
    send: (n, signal) => postJson(cfg.url, JSON.stringify(pagerDutyEvent(cfg.routingKey, n)), {}, signal),
  };
}
