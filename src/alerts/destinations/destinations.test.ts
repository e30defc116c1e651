import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { alertNotification } from '../alert-message.js';
import type { AlertTransition } from '../alert-lifecycle.js';
import { CaptureServer } from './capture-server.js';
import { emailDestination } from './email.js';
import { closeAlertHttp } from './http-post.js';
import { pagerDutyDestination } from './pagerduty.js';
import { slackDestination } from './slack.js';
import { webhookDestination } from './webhook.js';
import { PermanentDeliveryError } from './destination.js';

const firing: AlertTransition = {
  key: 'high-error-rate|*', rule: 'high-error-rate', scope: '*', state: 'firing', severity: 'critical', signal: 'error_rate',
  value: 0.125, threshold: 0.05, comparison: 'above', since: Date.UTC(2026, 10, 23, 9), at: Date.UTC(2026, 10, 23, 9, 5),
};
const resolved: AlertTransition = { ...firing, state: 'resolved', value: 0.01, at: firing.at + 600_000 };
const link = 'https://tollgate.example/dashboard/';
const signal = (): AbortSignal => AbortSignal.timeout(5_000);

let cap: CaptureServer;
before(async () => { cap = await CaptureServer.start(); });
after(async () => { await cap.close(); await closeAlertHttp(); });

test('slack: a readable message with the numbers and a dashboard link', async () => {
  cap.received.length = 0;
  await slackDestination('ops', `${cap.url}/slack`).send(alertNotification(firing, link), signal());
  const msg = cap.json(0) as { text: string; blocks: Array<Record<string, unknown>> };
  assert.match(msg.text, /CRITICAL.*high-error-rate is firing/);
  const all = JSON.stringify(msg.blocks);
  assert.match(all, /12\.5%/);
  assert.match(all, /above 5\.0%/);
  assert.ok(all.includes(link));
});

test('webhook: JSON body signed with HMAC-SHA256 over timestamp and body', async () => {
  cap.received.length = 0;
  const secret = 'a-very-secret-webhook-key';
  await webhookDestination('hook', { url: `${cap.url}/hook`, secret, headers: { 'x-team': 'ops' } }).send(alertNotification(firing, link), signal());
  const r = cap.received[0]!;
  const ts = r.headers['x-tollgate-timestamp'] as string;
  assert.match(ts, /^\d+$/);
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`;
  assert.equal(r.headers['x-tollgate-signature'], expected);
  assert.equal(r.headers['x-team'], 'ops');
  const body = JSON.parse(r.body) as { details: { value: number; rule: string }; action: string };
  assert.equal(body.details.rule, 'high-error-rate');
  assert.equal(body.details.value, 0.125);
  assert.equal(body.action, 'trigger');
});

test('pagerduty: trigger then resolve with the same dedup key', async () => {
  cap.received.length = 0;
  const pd = pagerDutyDestination('pd', { routingKey: 'R0UT1NG', url: `${cap.url}/v2/enqueue` });
  await pd.send(alertNotification(firing, link), signal());
  await pd.send(alertNotification(resolved, link), signal());
  const [t, r] = [cap.json(0), cap.json(1)] as Array<Record<string, unknown>>;
  assert.equal(t!.event_action, 'trigger');
  assert.equal(t!.routing_key, 'R0UT1NG');
  assert.equal((t!.payload as { severity: string }).severity, 'critical');
  assert.equal(r!.event_action, 'resolve');
  assert.equal(r!.dedup_key, t!.dedup_key);
});

test('a 4xx answer is permanent, a 5xx is retryable', async () => {
  cap.script = [400];
  await assert.rejects(slackDestination('s', cap.url).send(alertNotification(firing, link), signal()), PermanentDeliveryError);
  cap.script = [503];
  await assert.rejects(slackDestination('s', cap.url).send(alertNotification(firing, link), signal()), (e) => !(e instanceof PermanentDeliveryError));
  cap.script = [202];
});

test('email: delivered to a real SMTP server', async () => {
  const mails: string[] = [];
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => { data += c.toString('utf8'); });
      stream.on('end', () => { mails.push(data); cb(); });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  const dest = emailDestination('mail', { smtp: { host: '127.0.0.1', port, secure: false }, from: 'tollgate@example.com', to: ['ops@example.com'] }, 5_000);
  try {
    await dest.send(alertNotification(firing, link), signal());
    assert.equal(mails.length, 1);
    assert.match(mails[0]!, /Subject: \[CRITICAL\] high-error-rate is firing/);
    assert.match(mails[0]!, /To: ops@example\.com/);
    assert.match(mails[0]!, /12\.5%/);
  } finally {
    await dest.close?.();
    await new Promise<void>((r) => smtp.close(() => r()));
  }
});
