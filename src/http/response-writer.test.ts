// Unit tests for the response writer: writeJson sets status, merged headers, a forced JSON
// content type and the byte length, and does nothing once headers are sent or the socket is
// gone; writeError renders the catalogue status, error headers and an OpenAI-shaped body with
// the request id; sseData frames single- and multi-line payloads (LF, CR, CRLF) so that a spec
// parser reads back exactly the payload, and model output containing "\n\ndata: [DONE]\n\n" can
// never produce a line that is exactly `data: [DONE]` (catalogue B11, with a seeded property
// test); sseError and SSE_DONE parse as the events they claim to be; SseWriter sends its head
// lazily and once, passes back-pressure through, ignores writes after the client left, ends
// once, and drained() resolves on drain or close. A real HTTP server on 127.0.0.1:0 checks the
// bytes on the wire.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, GatewayError } from '../errors/gateway-error.js';
import { SseParser, type SseEvent } from '../upstream/sse-parser.js';
import { SSE_DONE, sseData, sseError, SseWriter, writeError, writeJson } from './response-writer.js';

/** Records what the writer does to a ServerResponse. */
class FakeResponse extends EventEmitter {
  headersSent = false;
  destroyed = false;
  writableEnded = false;
  status: number | undefined;
  head: Record<string, string | number> | undefined;
  heads = 0;
  chunks: string[] = [];
  writeResult = true;

  writeHead(status: number, headers: Record<string, string | number>): this {
    this.heads++;
    this.status = status;
    this.head = headers;
    this.headersSent = true;
    return this;
  }

  writes = 0;

  write(chunk: string | Buffer): boolean {
    this.writes++;
    this.headersSent = true;
    this.chunks.push(String(chunk));
    return this.writeResult;
  }

  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.chunks.push(String(chunk));
    this.writableEnded = true;
    return this;
  }

  asResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}

function parseSse(text: string): { events: SseEvent[]; incomplete: boolean } {
  const p = new SseParser();
  const events = p.push(Buffer.from(text, 'utf8'));
  const tail = p.end();
  return { events: [...events, ...tail.events], incomplete: tail.incomplete };
}

describe('writeJson', () => {
  test('writes status, merged headers, JSON content type and byte length', () => {
    const res = new FakeResponse();
    const payload = '{"text":"é€😀"}';
    writeJson(res.asResponse(), 201, { 'x-a': '1', 'content-type': 'text/html', 'content-length': 1 }, payload);
    assert.equal(res.status, 201);
    assert.deepEqual(res.head, { 'x-a': '1', 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    assert.equal(res.head?.['content-length'], 20); // bytes, not characters (15)
    assert.deepEqual(res.chunks, [payload]);
    assert.equal(res.writableEnded, true);
  });

  test('accepts a Buffer payload', () => {
    const res = new FakeResponse();
    writeJson(res.asResponse(), 200, {}, Buffer.from('{}'));
    assert.equal(res.head?.['content-length'], 2);
    assert.deepEqual(res.chunks, ['{}']);
  });

  test('does nothing when headers were already sent or the socket is destroyed', () => {
    const sent = new FakeResponse();
    sent.headersSent = true;
    writeJson(sent.asResponse(), 200, {}, '{}');
    assert.equal(sent.heads, 0);
    assert.deepEqual(sent.chunks, []);
    const gone = new FakeResponse();
    gone.destroyed = true;
    writeJson(gone.asResponse(), 200, {}, '{}');
    assert.equal(gone.heads, 0);
    assert.equal(gone.writableEnded, false);
  });
});

describe('writeError', () => {
  test('status, error headers, request id and body', () => {
    const res = new FakeResponse();
    const err = new GatewayError('upstream_rate_limited', { detail: 'slow down', retryAfterSeconds: 2.5 });
    writeError(res.asResponse(), err, 'req-abcdefgh', { 'x-extra': 'yes', 'x-request-id': 'spoofed' });
    assert.equal(res.status, 429);
    const body = JSON.stringify(errorBody(err, 'req-abcdefgh'));
    assert.deepEqual(res.head, {
      'x-extra': 'yes',
      'x-should-retry': 'true',
      'x-tollgate-error-code': 'upstream_rate_limited',
      'retry-after': '3',
      'x-request-id': 'req-abcdefgh',
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    assert.deepEqual(JSON.parse(res.chunks[0]), {
      error: { message: 'slow down', type: 'rate_limit_error', code: 'upstream_rate_limited', param: null },
      request_id: 'req-abcdefgh',
    });
  });

  test('an unexposed error keeps its detail out of the body', () => {
    const res = new FakeResponse();
    writeError(res.asResponse(), new GatewayError('upstream_auth_failed', { detail: 'key sk-live-1 is invalid' }), 'r-12345678');
    assert.equal(res.status, 502);
    assert.equal(res.chunks[0].includes('sk-live'), false);
  });
});

describe('sseData', () => {
  test('a single-line payload is one data line plus a blank line', () => {
    assert.equal(sseData('{"a":1}'), 'data: {"a":1}\n\n');
    assert.equal(sseData(''), 'data: \n\n');
  });

  test('multi-line payloads get one data line per line, whatever the line ending', () => {
    assert.equal(sseData('a\nb'), 'data: a\ndata: b\n\n');
    assert.equal(sseData('a\rb'), 'data: a\ndata: b\n\n');
    assert.equal(sseData('a\r\nb\n'), 'data: a\ndata: b\ndata: \n\n');
  });

  test('model output containing "\\n\\ndata: [DONE]\\n\\n" cannot end the stream (B11)', () => {
    const payload = 'Here is the trick:\n\ndata: [DONE]\n\nand more';
    const framed = sseData(payload);
    const lines = framed.split(/\r\n|\r|\n/);
    assert.equal(lines.includes('data: [DONE]'), false);
    assert.equal(lines.filter((l) => l === '').length, 2, 'only the terminating blank line (split leaves one trailing empty string)');
    const parsed = parseSse(framed);
    assert.deepEqual(parsed.events.map((e) => e.data), [payload]);
    assert.equal(parsed.incomplete, false);
  });

  test('property: any payload round-trips through a spec parser as one event (B11)', () => {
    let seed = 0x0b11;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const parts = ['data: [DONE]', '[DONE]', '\n', '\r', '\r\n', '\n\n', ':', ' ', 'event: error', 'id: 1', 'x', '{"a":"b"}', 'é', '😀'];
    for (let i = 0; i < 500; i++) {
      let payload = '';
      const n = 1 + Math.floor(rand() * 10);
      for (let j = 0; j < n; j++) payload += parts[Math.floor(rand() * parts.length)];
      const framed = sseData(payload);
      assert.ok(framed.endsWith('\n\n'));
      const parsed = parseSse(framed);
      assert.equal(parsed.events.length, 1, JSON.stringify(payload));
      assert.equal(parsed.events[0].data, payload.replace(/\r\n|\r/g, '\n'), JSON.stringify(payload));
      assert.equal(parsed.events[0].event, undefined);
      if (payload.includes('\n\ndata: [DONE]\n\n')) {
        assert.equal(framed.split('\n').includes('data: [DONE]'), false, JSON.stringify(payload));
      }
    }
  });
});

describe('sseError and SSE_DONE', () => {
  test('sseError is an `error` event carrying the OpenAI error body', () => {
    const err = new GatewayError('upstream_stream_interrupted', { detail: 'cut\n\ndata: [DONE]' });
    const text = sseError(err, 'req-12345678');
    assert.ok(text.startsWith('event: error\ndata: {'));
    const parsed = parseSse(text);
    assert.equal(parsed.events.length, 1);
    assert.equal(parsed.events[0].event, 'error');
    assert.deepEqual(JSON.parse(parsed.events[0].data), errorBody(err, 'req-12345678'));
    assert.equal(text.split('\n').includes('data: [DONE]'), false);
  });

  test('SSE_DONE is the [DONE] sentinel event', () => {
    assert.equal(SSE_DONE, 'data: [DONE]\n\n');
    assert.deepEqual(parseSse(SSE_DONE).events, [{ event: undefined, data: '[DONE]', id: undefined }]);
  });
});

describe('SseWriter', () => {
  test('sends the head lazily, once, with the stream headers forced', () => {
    const res = new FakeResponse();
    const w = new SseWriter(res.asResponse(), { 'x-request-id': 'r-12345678', 'content-type': 'application/json', 'cache-control': 'max-age=60' });
    assert.equal(w.hasStarted, false);
    assert.equal(res.heads, 0);
    assert.equal(w.write(sseData('1')), true);
    assert.equal(w.hasStarted, true);
    assert.equal(w.write(sseData('2')), true);
    assert.equal(res.heads, 1);
    assert.equal(res.status, 200);
    assert.deepEqual(res.head, {
      'x-request-id': 'r-12345678',
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    assert.deepEqual(res.chunks, ['data: 1\n\n', 'data: 2\n\n']);
  });

  test('passes back-pressure through', () => {
    const res = new FakeResponse();
    res.writeResult = false;
    const w = new SseWriter(res.asResponse(), {});
    assert.equal(w.write('data: x\n\n'), false);
  });

  test('ignores writes once the client is gone', () => {
    const res = new FakeResponse();
    res.destroyed = true;
    const w = new SseWriter(res.asResponse(), {});
    assert.equal(w.write('data: x\n\n'), true);
    assert.equal(w.hasStarted, false);
    assert.equal(res.heads, 0);
    assert.deepEqual(res.chunks, []);
    w.end(SSE_DONE);
    assert.equal(res.writableEnded, false);
  });

  test('end(text) writes the text (starting the stream if needed) and ends once', () => {
    const res = new FakeResponse();
    const w = new SseWriter(res.asResponse(), {});
    w.end(SSE_DONE);
    assert.equal(res.heads, 1);
    assert.deepEqual(res.chunks, [SSE_DONE]);
    // Handed to end() itself, not written first: one socket write instead of two.
    assert.equal(res.writes, 0);
    assert.equal(res.writableEnded, true);
    w.end(SSE_DONE);
    assert.deepEqual(res.chunks, [SSE_DONE]);
  });

  test('end() without text ends without sending an SSE head', () => {
    const res = new FakeResponse();
    const w = new SseWriter(res.asResponse(), {});
    w.end();
    assert.equal(res.heads, 0);
    assert.equal(res.writableEnded, true);
    assert.equal(w.hasStarted, false);
  });

  test('drained() resolves on drain and removes its listeners', async () => {
    const res = new FakeResponse();
    const w = new SseWriter(res.asResponse(), {});
    const p = w.drained();
    assert.equal(res.listenerCount('drain'), 1);
    assert.equal(res.listenerCount('close'), 1);
    res.emit('drain');
    await p;
    assert.equal(res.listenerCount('drain'), 0);
    assert.equal(res.listenerCount('close'), 0);
  });

  test('drained() resolves when the client closes', async () => {
    const res = new FakeResponse();
    const w = new SseWriter(res.asResponse(), {});
    const p = w.drained();
    res.emit('close');
    await p;
    assert.equal(res.listenerCount('drain'), 0);
  });
});

describe('on a real socket', () => {
  let server: Server;
  let base = '';

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/sse') {
        const w = new SseWriter(res, { 'x-request-id': 'sse-12345678' });
        w.write(sseData('{"n":1}'));
        w.write(sseData('line one\n\ndata: [DONE]\n\nline two'));
        w.end(SSE_DONE);
      } else if (req.url === '/error') {
        writeError(res, new GatewayError('model_not_found', { param: 'model', detail: 'no such model' }), 'err-12345678');
      } else {
        writeJson(res, 200, { 'x-tollgate-cache-status': 'MISS' }, '{"ok":true}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('an SSE stream: headers and events as a client sees them', async () => {
    const r = await fetch(`${base}/sse`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.equal(r.headers.get('x-accel-buffering'), 'no');
    assert.equal(r.headers.get('x-request-id'), 'sse-12345678');
    const text = await r.text();
    assert.equal(text.split('\n').filter((l) => l === 'data: [DONE]').length, 1);
    const parsed = parseSse(text);
    assert.deepEqual(parsed.events.map((e) => e.data), ['{"n":1}', 'line one\n\ndata: [DONE]\n\nline two', '[DONE]']);
    assert.equal(parsed.incomplete, false);
  });

  test('an error response', async () => {
    const r = await fetch(`${base}/error`);
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.headers.get('x-request-id'), 'err-12345678');
    assert.equal(r.headers.get('x-should-retry'), 'false');
    assert.deepEqual(await r.json(), {
      error: { message: 'no such model', type: 'invalid_request_error', code: 'model_not_found', param: 'model' },
      request_id: 'err-12345678',
    });
  });

  test('a JSON response', async () => {
    const r = await fetch(`${base}/json`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-length'), '11');
    assert.equal(r.headers.get('x-tollgate-cache-status'), 'MISS');
    assert.deepEqual(await r.json(), { ok: true });
  });
});
