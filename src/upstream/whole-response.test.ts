import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../errors/gateway-error.js';
import { AbortSwitch } from './abort-switch.js';
import { closeUpstreamAgents, type UpstreamCall } from './upstream-client.js';
import { UpstreamSlots } from './upstream-slots.js';
import { fetchWhole, type WholeLimits } from './whole-response.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Handler>();
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => (routes.get(req.url ?? '') ?? ((_, r) => r.writeHead(404).end()))(req, res));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(async () => {
  await closeUpstreamAgents();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const LIMITS: WholeLimits = { okBytes: 4096, errorBytes: 64 };

function call(over: Partial<UpstreamCall> = {}): UpstreamCall {
  return { abort: new AbortSwitch(), timeouts: { connectMs: 1000, firstByteMs: 2000, idleMs: 2000 }, ...over };
}

function send(path: string, c: UpstreamCall = call(), limits = LIMITS) {
  return fetchWhole({ method: 'POST', url: `${base}${path}`, headers: { 'content-type': 'application/json' }, body: '{"q":1}' }, c, limits);
}

/** A route that sends its head and `head`, then waits: the returned function ends the latest answer with `tail`. */
function holdOpen(path: string, head: string, tail: string): () => void {
  let end: (() => void) | undefined;
  routes.set(path, (_req, res) => {
    res.writeHead(200).write(head);
    end = () => res.end(tail);
  });
  return () => end!();
}

async function refusal(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof GatewayError, `not a GatewayError: ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded');
}

test('reads a whole answer: status, headers and every chunk in order', async () => {
  routes.set('/ok', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-up': 'yes' });
    res.write('{"a":');
    setTimeout(() => res.end('"bcd"}'), 5);
  });
  const res = await send('/ok');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['x-up'], 'yes');
  assert.equal(res.body.toString('utf8'), '{"a":"bcd"}');
});

test('an error answer comes back with its body, capped at the error limit', async () => {
  routes.set('/err', (_req, res) => res.writeHead(429, { 'retry-after': '3' }).end('{"error":"slow down"}'));
  const res = await send('/err');
  assert.equal(res.statusCode, 429);
  assert.equal(res.headers['retry-after'], '3');
  assert.equal(res.body.toString('utf8'), '{"error":"slow down"}');
  routes.set('/err-big', (_req, res) => res.writeHead(500).end('x'.repeat(65)));
  assert.equal((await refusal(send('/err-big'))).code, 'upstream_bad_response');
});

test('a success body over its limit is refused, whether its length is declared or not', async () => {
  routes.set('/big-declared', (_req, res) => res.writeHead(200, { 'content-length': '5000' }).end('y'.repeat(5000)));
  routes.set('/big-chunked', (_req, res) => {
    res.writeHead(200);
    for (let i = 0; i < 5; i++) res.write('z'.repeat(1000));
    res.end();
  });
  for (const path of ['/big-declared', '/big-chunked']) {
    const err = await refusal(send(path));
    assert.equal(err.code, 'upstream_bad_response', path);
    assert.match(err.message, /size limit/);
  }
});

test('no headers within the first-byte time is a timeout, and so is a body that stops', async () => {
  routes.set('/silent', () => undefined);
  const started = Date.now();
  const err = await refusal(send('/silent', call({ timeouts: { connectMs: 1000, firstByteMs: 150, idleMs: 5000 } })));
  assert.equal(err.code, 'upstream_timeout');
  assert.match(err.message, /no response headers in time/);
  assert.ok(Date.now() - started < 1500, 'the first-byte timer is precise, not undici\'s coarse one');
  routes.set('/stalls', (_req, res) => res.writeHead(200).write('{"partial":'));
  const stalled = await refusal(send('/stalls', call({ timeouts: { connectMs: 1000, firstByteMs: 1000, idleMs: 200 } })));
  assert.equal(stalled.code, 'upstream_timeout');
  assert.match(stalled.message, /stopped sending data/);
});

test('the client going away ends the call before or during the body', async () => {
  routes.set('/slow', (_req, res) => {
    res.writeHead(200).write('{');
  });
  const gone = call();
  const pending = send('/slow', gone);
  setTimeout(() => gone.abort.abort('client_closed'), 50);
  assert.equal((await refusal(pending)).code, 'client_closed');
  const early = call();
  early.abort.abort('client_closed');
  assert.equal((await refusal(send('/ok', early))).code, 'client_closed');
});

test('a cut connection mid-body is an interrupted answer; a refused connection is unreachable', async () => {
  routes.set('/cut', (_req, res) => {
    res.writeHead(200, { 'content-length': '100' }).write('{"half":');
    setTimeout(() => res.socket?.destroy(), 10);
  });
  assert.equal((await refusal(send('/cut'))).code, 'upstream_stream_interrupted');
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const err = await refusal(fetchWhole({ method: 'POST', url: `http://127.0.0.1:${port}/x`, headers: {}, body: '{}' }, call(), LIMITS));
  assert.equal(err.code, 'upstream_unreachable');
});

test('the provider slot is held until the body is read and freed after failures too', async () => {
  const slots = new UpstreamSlots(1, 0, 'provider "p"');
  const finish = holdOpen('/held', '{"x":', '1}');
  const first = send('/held', call({ slots }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(slots.active, 1, 'headers came, the body did not: still held');
  assert.equal((await refusal(send('/ok', call({ slots })))).code, 'provider_queue_full');
  finish();
  assert.equal((await first).body.toString('utf8'), '{"x":1}');
  assert.equal(slots.active, 0);
  assert.equal((await refusal(send('/err-big', call({ slots })))).code, 'upstream_bad_response');
  assert.equal(slots.active, 0, 'released after a refused body');
  assert.equal((await send('/ok', call({ slots }))).statusCode, 200);
  assert.equal(slots.active, 0);
});

test('time spent waiting for the provider slot counts against the first-byte time', async () => {
  const slots = new UpstreamSlots(1, 5, 'provider "p"');
  const release = holdOpen('/hold', '{', '}');
  routes.set('/late', (_req, res) => setTimeout(() => res.writeHead(200).end('{}'), 200));
  const holder = send('/hold', call({ slots }));
  await new Promise((resolve) => setTimeout(resolve, 30));
  const timeouts = { connectMs: 1000, firstByteMs: 350, idleMs: 2000 };
  const queued = send('/late', call({ slots, timeouts }));
  setTimeout(release, 200);
  const err = await refusal(queued);
  assert.equal(err.code, 'upstream_timeout', '200 ms in the queue plus 200 ms to the headers is over 350 ms');
  await holder;
  assert.equal(slots.active, 0);
  assert.equal((await send('/late', call({ slots, timeouts }))).statusCode, 200, 'without the wait it is in time');
});
