/**
 * The `tollgate` command line as a user runs it, in child processes: exit codes (0 ok, 1
 * runtime failure, 2 usage/config errors naming the field), `config check` and `config schema`,
 * `start` answering requests and exiting 0 on SIGTERM after draining, `mock-upstream`, and
 * `demo --exit`.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { request as httpRequest } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import Database from 'better-sqlite3';

const BIN = join(process.cwd(), 'bin', 'tollgate');
const dir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, cwd: dir, timeout: 20_000 });
}

/** Every long-running child, killed after the file even when a test failed half-way (a live child would hang the run). */
const longRunning: ChildProcess[] = [];
after(() => {
  for (const child of longRunning) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts a long-running command and resolves with the first URL it prints or logs. */
function startLong(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: dir });
  longRunning.push(child);
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve(m[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url, exited, output: () => out };
}

/** A CLI-started mock and a gateway started in front of it, its config ending with `extra`. */
async function gatewayOverMock(name: string, extra: string) {
  const mock = startLong(['mock-upstream', '--port', '0']);
  const mockUrl = await mock.url;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `providers:\n  openai: { type: openai, baseUrl: "${mockUrl}/v1", apiKey: k }\n${extra}`);
  const gw = startLong(['start', '--config', file, '--port', '0']);
  return { mock, gw, url: await gw.url };
}

/** One chat completion through the gateway at `url`, answered 200 with a JSON body. */
async function chatOnce(url: string): Promise<void> {
  const res = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(res.statusCode, 200);
  await res.body.json();
}

describe('tollgate config', () => {
  test('check: a valid file exits 0', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'providers:\n  openai: { type: openai, apiKey: "${KEY}" }\nroutes:\n  fast: { targets: [ { provider: openai, model: gpt-4o-mini } ] }\n');
    const r = run(['config', 'check', file], { KEY: 'sk-abc' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ok \(1 providers, 1 routes\)/);
  });

  test('check: unknown keys, bad types and missing env vars exit 2 naming the field, without secrets', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'server: { port: "eighty", colour: blue }\nproviders:\n  openai: { type: openai, apiKey: sk-secret-value-123, baseUrl: "ftp://x" }\n');
    const r = run(['config', 'check', file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /server\.port/);
    assert.match(r.stderr, /server/);
    assert.match(r.stderr, /colour/);
    assert.match(r.stderr, /providers\.openai\.baseUrl/);
    assert.ok(!r.stderr.includes('sk-secret-value-123'));
    const env = join(dir, 'env.yaml');
    writeFileSync(env, 'providers:\n  openai: { type: openai, apiKey: "${NOT_SET_ANYWHERE}" }\n');
    const e = run(['config', 'check', env]);
    assert.equal(e.status, 2);
    assert.match(e.stderr, /providers\.openai\.apiKey: environment variable NOT_SET_ANYWHERE is not set/);
  });

  test('check: a missing file exits 2; schema prints JSON Schema', () => {
    assert.equal(run(['config', 'check', join(dir, 'nope.yaml')]).status, 2);
    const s = run(['config', 'schema']);
    assert.equal(s.status, 0);
    const schema = JSON.parse(s.stdout) as { properties: Record<string, unknown> };
    assert.ok(schema.properties.providers && schema.properties.routes);
  });

  test('usage errors exit 2', () => {
    assert.equal(run(['frobnicate']).status, 2);
    assert.equal(run(['toString']).status, 2, 'an inherited property name is not a command');
    assert.equal(run(['start', '--bogus']).status, 2);
    assert.equal(run(['start', '--port', 'abc']).status, 2);
    assert.equal(run([]).status, 2);
    assert.equal(run(['help']).status, 0);
  });

  test('a port already in use is a runtime failure: exit 1', async () => {
    const first = startLong(['mock-upstream', '--port', '0']);
    const url = await first.url;
    const port = new URL(url).port;
    const r = run(['start', '--port', port]);
    assert.equal(r.status, 1);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
  });
});

describe('tollgate start and mock-upstream', () => {
  test('a stdout reader that stops reading never stalls requests; every line arrives whole once it reads again', async () => {
    const { mock, gw, url } = await gatewayOverMock('slow-stdout', 'logging: { level: info, requests: true, format: json }\n');
    // Stop reading: the pipe fills (64 KiB on Linux) with a few hundred request lines.
    gw.child.stdout.pause();
    const requests = 600;
    const served = (async () => {
      for (let i = 0; i < requests / 10; i++) await Promise.all(Array.from({ length: 10 }, () => chatOnce(url)));
      return 'served';
    })();
    const stalled = new Promise((resolve) => setTimeout(() => resolve('stalled'), 20_000).unref());
    assert.equal(await Promise.race([served, stalled]), 'served', 'requests stalled behind a full stdout pipe');
    gw.child.stdout.resume();
    const deadline = Date.now() + 15_000;
    const requestLines = () => gw.output().split('\n').filter((l) => l.includes('"msg":"request"')).length;
    while (requestLines() < requests && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(requestLines() >= requests, `${requestLines()} request lines`);
    for (const line of gw.output().split('\n').filter((l) => l.trim() !== '')) assert.doesNotThrow(() => JSON.parse(line), line.slice(0, 200));
    gw.child.kill('SIGTERM');
    assert.equal(await gw.exited, 0);
    mock.child.kill('SIGTERM');
    await mock.exited;
  });

  test('start serves requests through a CLI-started mock and exits 0 on SIGTERM', async () => {
    const { mock, gw, url } = await gatewayOverMock('gw', 'logging: { level: info }\n');
    await chatOnce(url);
    gw.child.kill('SIGTERM');
    assert.equal(await gw.exited, 0);
    // Deprecation and other process warnings are noise in an operator's logs.
    assert.doesNotMatch(gw.output(), /Warning|DEP\d/, gw.output());
    mock.child.kill('SIGTERM');
    assert.equal(await mock.exited, 0);
  });

  test('SIGTERM under load: open streams finish, new connections are refused, every row is flushed, exit 0 (F17)', async () => {
    const mock = startLong(['mock-upstream', '--port', '0']);
    const mockUrl = await mock.url;
    const db = join(dir, 'f17.db');
    const file = join(dir, 'f17.yaml');
    writeFileSync(file, `providers:\n  openai: { type: openai, baseUrl: "${mockUrl}/v1", apiKey: k }\nstorage: "sqlite://${db}"\nlogging: { level: info, requests: false }\nserver: { drainMs: 10000 }\n`);
    const gw = startLong(['start', '--config', file, '--port', '0']);
    const url = await gw.url;
    const post = (model: string, stream: boolean) => request(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
    });
    for (let i = 0; i < 20; i++) assert.equal((await (await post('openai/gpt-4o-mini', false)).body.text()).includes('chat.completion'), true);
    // Six streams of about one second each, their heads already received, and four slow answers.
    const streams = await Promise.all(Array.from({ length: 6 }, () => post('openai/gpt-4o-mini~chunks=10~chunkDelayMs=100', true)));
    const slow = Array.from({ length: 4 }, () => post('openai/gpt-4o-mini~delayMs=600', false));
    await new Promise((r) => setTimeout(r, 100));
    gw.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    const refused = await new Promise<string>((resolve) => {
      const req = httpRequest(`${url}/v1/chat/completions`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(`status ${res.statusCode}`);
      });
      req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      req.end(JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'late' }] }));
    });
    assert.ok(refused === 'ECONNREFUSED' || refused === 'status 503', `a new connection during the drain got ${refused}`);
    for (const s of streams) {
      assert.equal(s.statusCode, 200);
      assert.ok((await s.body.text()).trimEnd().endsWith('data: [DONE]'), 'an open stream ran to its end');
    }
    for (const r of await Promise.all(slow)) {
      assert.equal(r.statusCode, 200);
      await r.body.text();
    }
    assert.equal(await gw.exited, 0, gw.output());
    const store = new Database(db, { readonly: true });
    try {
      const rows = store.prepare('SELECT status, count(*) AS n FROM usage_events GROUP BY status').all() as Array<{ status: number; n: number }>;
      assert.deepEqual(rows, [{ status: 200, n: 30 }], 'every answered request left its row before exit');
    } finally {
      store.close();
    }
    mock.child.kill('SIGTERM');
    assert.equal(await mock.exited, 0);
  });

  test('SIGTERM with a trace collector that never answers: the exporter cannot hold the exit past the flush cap', async () => {
    // A collector that accepts connections and never replies: the OTLP export waits on its own
    // 10 s timeout, which used to decide when the stopped gateway exited.
    const sockets: Socket[] = [];
    const collector = createNetServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      await stopsPromptly(port);
    } finally {
      for (const socket of sockets) socket.destroy();
      collector.close();
    }
  });

  async function stopsPromptly(port: number): Promise<void> {
    const { mock, gw, url } = await gatewayOverMock('blackhole', `tracing: { enabled: true, sampleRatio: 1, otlp: { endpoint: "http://127.0.0.1:${port}/v1/traces" } }\n`);
    await chatOnce(url);
    const stoppedAt = Date.now();
    gw.child.kill('SIGTERM');
    assert.equal(await gw.exited, 0, gw.output());
    // Flush cap (2 s) plus the exit grace (1 s), well short of the exporter's 10 s timeout.
    assert.ok(Date.now() - stoppedAt < 6_000, `exited ${Date.now() - stoppedAt} ms after SIGTERM`);
    mock.child.kill('SIGTERM');
    assert.equal(await mock.exited, 0);
  }

  test('start with no config runs on env defaults', async () => {
    const gw = startLong(['start', '--port', '0'], { OPENAI_API_KEY: 'sk-x' });
    const url = await gw.url;
    const res = await request(`${url}/v1/models`);
    const body = (await res.body.json()) as { data: Array<{ id: string }> };
    assert.ok(body.data.some((m) => m.id.startsWith('openai/')));
    gw.child.kill('SIGINT');
    assert.equal(await gw.exited, 0);
  });

  test('demo --exit runs end to end', () => {
    const r = run(['demo', '--exit', '--port', '0', '--requests', '6']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^200 /m);
    assert.match(r.stdout, /^429 /m);
  });
});

describe('tollgate logs and migrate', () => {
  test('migrate prepares a SQLite store; logs reads it locally and remotely, filtered, and follows', async () => {
    const mock = startLong(['mock-upstream', '--port', '0']);
    const mockUrl = await mock.url;
    const file = join(dir, 'logs.yaml');
    const db = join(dir, 'logs.db');
    writeFileSync(file, [
      `storage: "sqlite://${db}"`,
      `providers:\n  openai: { type: openai, baseUrl: "${mockUrl}/v1", apiKey: k }`,
      `logging: { level: info, requests: false, spoolDir: "${join(dir, 'logs-spool')}", queue: { flushMs: 10 } }`,
      '',
    ].join('\n'));
    const m = run(['migrate', '--config', file]);
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /applied: /);
    assert.match(run(['migrate', '--config', file]).stdout, /up to date/);
    const gw = startLong(['start', '--config', file, '--port', '0']);
    const url = await gw.url;
    const send = async (model: string, id: string) => {
      const res = await request(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': id, 'x-tollgate-operation': 'cli_test' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await res.body.dump();
    };
    await send('openai/gpt-4o-mini', 'cli-ok-000001');
    await send('openai/gpt-4o-mini~status=429', 'cli-429-000002');
    await new Promise((r) => setTimeout(r, 300));
    const all = run(['logs', '--config', file, '--since', '1h']);
    assert.equal(all.status, 0, all.stderr);
    assert.match(all.stdout, /\[AI Gateway\] \[cli_test\] \[gpt-4o-mini\] \[RequestID: cli-ok-000001\]/);
    assert.match(all.stdout, /\[Error: UPSTREAM_RATE_LIMITED\]/);
    const only429 = run(['logs', '--config', file, '--status', '429', '--json']);
    const lines = only429.stdout.trim().split('\n').map((l) => JSON.parse(l) as { requestId: string });
    assert.deepEqual(lines.map((l) => l.requestId), ['cli-429-000002']);
    const remote = run(['logs', '--url', url, '--request-id', 'cli-ok-000001']);
    assert.equal(remote.status, 0, remote.stderr);
    assert.match(remote.stdout, /cli-ok-000001/);
    assert.equal(run(['logs', '--config', file, '--status', 'abc']).status, 2);
    const follower = startLong(['logs', '--config', file, '--follow', '--interval-ms', '100', '--limit', '1']);
    follower.url.catch(() => undefined); // prints no URL; only its output matters
    let seen = '';
    follower.child.stdout.on('data', (d: Buffer) => { seen += d.toString(); });
    await new Promise((r) => setTimeout(r, 400));
    await send('openai/gpt-4o-mini', 'cli-follow-000003');
    const deadline = Date.now() + 15_000; // generous: CI machines may be busy
    while (!seen.includes('cli-follow-000003') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(seen.includes('cli-follow-000003'), 'follow printed the new request');
    follower.child.kill('SIGTERM');
    gw.child.kill('SIGTERM');
    assert.equal(await gw.exited, 0);
    mock.child.kill('SIGTERM');
    await mock.exited;
  });

  test('migrate against PostgreSQL applies versions once', () => {
    const url = process.env.DATABASE_URL;
    assert.ok(url, 'DATABASE_URL must be set (CI sets it)');
    const schema = `tollgate_cli_${process.pid}_${Date.now()}`;
    const file = join(dir, 'pg.yaml');
    writeFileSync(file, `storage: "${url}${url.includes('?') ? '&' : '?'}schema=${schema}"\n`);
    const first = run(['migrate', '--config', file]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /applied: /);
    assert.match(run(['migrate', '--config', file]).stdout, /up to date/);
    spawnSync('psql', [url, '-c', `drop schema if exists "${schema}" cascade`]);
  });
});
