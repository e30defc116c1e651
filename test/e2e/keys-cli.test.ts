/**
 * `tollgate keys` as a user runs it (child processes): create/list/update/rotate/revoke against
 * the local storage database of a config while a gateway on that config is running (it picks the
 * changes up without a restart), and the same through a running gateway's admin API (`--url`).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { startMockUpstream, type MockUpstream } from '../../src/mock-upstream/server.js';
import { postJson } from './http-client.js';

const BIN = join(process.cwd(), 'bin', 'tollgate');
const ADMIN = 'admin-key-for-the-keys-cli-test';
const dir = mkdtempSync(join(tmpdir(), 'tollgate-keys-cli-'));
const file = join(dir, 'tollgate.yaml');
let mock: MockUpstream;
let gateway: Gateway;

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, cwd: dir, timeout: 20_000 });
}

/** Async: the gateway answering a `--url` call lives in this process and must keep running. */
function runAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '' }, cwd: dir, timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

before(async () => {
  mock = await startMockUpstream({ port: 0 });
  writeFileSync(file, [
    `storage: sqlite://${join(dir, 'tollgate.db')}`,
    `admin: { apiKey: ${ADMIN} }`,
    `logging: { requests: false, spoolDir: "${join(dir, 'spool')}" }`,
    `providers: { openai: { type: openai, baseUrl: "${mock.url}/v1", apiKey: mock } }`,
  ].join('\n'));
  gateway = await startGateway({ configPath: file, port: 0, host: '127.0.0.1', env: {}, watch: false, logger: pino({ level: 'silent' }) });
});
after(async () => {
  await gateway.close();
  await mock.close();
});

const chat = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
const status = async (key?: string): Promise<number> =>
  (await postJson(`${gateway.url}/v1/chat/completions`, chat, key ? { authorization: `Bearer ${key}` } : {})).status;

async function until(cond: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('local: a key created by the CLI closes the open gateway, works, rotates and revokes without a restart', async () => {
  assert.equal(await status(), 200, 'no keys yet: open');
  const created = run(['keys', 'create', '--config', file, '--name', 'cli', '--tenant', 'acme', '--tier', 'premium']);
  assert.equal(created.status, 0, created.stderr);
  const { key, id } = JSON.parse(created.stdout) as { key: string; id: string };
  await until(async () => (await status()) === 401);
  assert.equal(await status(key), 200);

  const listed = run(['keys', 'list', '--config', file]);
  assert.match(listed.stdout, new RegExp(`^${id}\\tcli\\tacme\\ttg-.{4}…\\tadmin\\tactive$`, 'm'));
  assert.ok(!listed.stdout.includes(key));

  const rotated = JSON.parse(run(['keys', 'rotate', id, '--config', file]).stdout) as { key: string };
  await until(async () => (await status(rotated.key)) === 200);
  assert.equal(await status(key), 401);
  assert.equal(run(['keys', 'revoke', id, '--config', file]).status, 0);
  await until(async () => (await status(rotated.key)) === 401);
});

test('remote: the same through the admin API; wrong usage exits 2', async () => {
  const created = await runAsync(['keys', 'create', '--url', gateway.url, '--admin-key', ADMIN, '--name', 'remote', '--tenant', 'acme']);
  assert.equal(created.status, 0, created.stderr);
  const { key } = JSON.parse(created.stdout) as { key: string };
  assert.equal(await status(key), 200, 'usable at once on the gateway that created it');
  const denied = await runAsync(['keys', 'list', '--url', gateway.url, '--admin-key', 'wrong-admin-key-000000']);
  assert.equal(denied.status, 1);
  assert.equal(run(['keys', 'create', '--config', file, '--name', 'x']).status, 2);
  assert.equal(run(['keys', 'rotate', '--config', file]).status, 2);
  assert.equal(run(['keys', 'bogus']).status, 2);
});

test('update: a local edit reaches the running gateway within its refresh; a remote one at once; bad flags exit 2', async () => {
  const created = await runAsync(['keys', 'create', '--url', gateway.url, '--admin-key', ADMIN, '--name', 'editable', '--tenant', 'acme']);
  const { key, id } = JSON.parse(created.stdout) as { key: string; id: string };
  assert.equal(await status(key), 200);

  // Local store: the gateway learns it on its next refresh (2 s), not through its own API.
  const local = run(['keys', 'update', id, '--config', file, '--per-minute', '1', '--label', 'team=a', '--label', 'env=ci']);
  assert.equal(local.status, 0, local.stderr);
  const shown = JSON.parse(local.stdout) as { id: string; settings: unknown; key?: string };
  assert.deepEqual([shown.id, shown.settings, shown.key], [id, { rateLimits: { perMinute: 1 }, labels: { team: 'a', env: 'ci' } }, undefined]);
  await until(async () => (await status(key)) === 429);

  // Through the gateway: the change applies to the very next request.
  const remote = await runAsync(['keys', 'update', id, '--url', gateway.url, '--admin-key', ADMIN, '--clear', 'rateLimits', '--name', 'edited']);
  assert.equal(remote.status, 0, remote.stderr);
  assert.equal(await status(key), 200);
  assert.match(run(['keys', 'list', '--config', file]).stdout, new RegExp(`^${id}\\tedited\\tacme\\t`, 'm'));

  assert.equal(run(['keys', 'update', id, '--config', file]).status, 2, 'nothing to change');
  assert.equal(run(['keys', 'update', '--config', file, '--name', 'x']).status, 2, 'no id');
  assert.equal(run(['keys', 'update', id, '--config', file, '--per-minute', 'many']).status, 2);
  assert.equal(run(['keys', 'update', id, '--config', file, '--tier', 'gold']).status, 2, 'unknown tier, refused by the same schema as the API');
  assert.equal(run(['keys', 'update', id, '--config', file, '--clear', 'tenant']).status, 2);
  assert.equal(run(['keys', 'update', 'key_nope', '--config', file, '--name', 'x']).status, 2);
});
