/**
 * Slack incoming webhook: a readable message (title line, the numbers, a dashboard link) as
 * Block Kit sections with a plain `text` fallback for notifications and old clients.
 */
import type { Notification } from '../alert-message.js';
import type { Destination } from './destination.js';
import { postJson } from './http-post.js';

const EMOJI = { critical: ':red_circle:', warning: ':large_orange_circle:', info: ':large_blue_circle:' } as const;

export function slackPayload(n: Notification): Record<string, unknown> {
  const mark = n.action === 'resolve' ? ':white_check_mark:' : EMOJI[n.severity];
  const text = `${mark} ${n.title}`;
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } },
    { type: 'section', text: { type: 'mrkdwn', text: '```' + n.body + '```' } },
  ];
  if (n.link) blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open dashboard' }, url: n.link }] });
  return { text, blocks };
}

export function slackDestination(name: string, webhookUrl: string): Destination {
  return {
    name, type: 'slack',
    send: (n, signal) => postJson(webhookUrl, JSON.stringify(slackPayload(n)), {}, signal),
  };
}
