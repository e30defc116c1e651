/** Builds the destination for one configured entry (the one place that knows every type). */
import type { DestinationConfig } from '../alert-config.js';
import type { Destination } from './destination.js';
import { emailDestination } from './email.js';
import { pagerDutyDestination } from './pagerduty.js';
import { slackDestination } from './slack.js';
import { webhookDestination } from './webhook.js';

export function openDestination(name: string, cfg: DestinationConfig, timeoutMs: number): Destination {
  switch (cfg.type) {
    case 'slack': return slackDestination(name, cfg.webhookUrl);
    case 'webhook': return webhookDestination(name, cfg);
    case 'pagerduty': return pagerDutyDestination(name, cfg);
    case 'email': return emailDestination(name, cfg, timeoutMs);
  }
}
