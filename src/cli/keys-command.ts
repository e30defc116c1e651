/**
 * `tollgate keys create|list|update|rotate|revoke`: manages API keys either in the local storage
 * database named by the config (a running gateway picks changes up within seconds) or on a
 * running gateway through its admin API (`--url`, admin key from `--admin-key` or
 * TOLLGATE_ADMIN_KEY). A created or rotated key is printed once; only its digest is stored.
 */
import { request } from 'undici';
import { loadConfig } from '../config/load.js';
import { GatewayError } from '../errors/gateway-error.js';
import { AdminKeys, type KeyView } from '../guards/admin-keys.js';
import { KeyRegistry } from '../guards/key-registry.js';
import { openAccessStore } from '../guards/open-access-store.js';
import { resolveConfigPath } from './config-path.js';
import { UPDATE_FLAGS, updateBody } from './key-update-flags.js';
import { parseFlags, UsageError } from './usage-error.js';

const FLAGS = {
  config: { type: 'string', short: 'c' },
  url: { type: 'string' },
  'admin-key': { type: 'string' },
  name: { type: 'string' },
  tenant: { type: 'string' },
  models: { type: 'string' },
  tier: { type: 'string' },
  json: { type: 'boolean' },
  ...UPDATE_FLAGS,
} as const;

type Values = ReturnType<typeof parseFlags<typeof FLAGS>>['values'];

interface Backend {
  list(tenant?: string): Promise<KeyView[]>;
  create(body: Record<string, unknown>): Promise<unknown>;
  update(id: string, body: Record<string, unknown>): Promise<unknown>;
  rotate(id: string): Promise<unknown>;
  revoke(id: string): Promise<unknown>;
  close(): Promise<void>;
}

function remote(url: string, adminKey: string | undefined): Backend {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await request(`${url.replace(/\/$/, '')}${path}`, {
      method: method as 'GET',
      headers: { 'content-type': 'application/json', ...(adminKey ? { authorization: `Bearer ${adminKey}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const out = (await res.body.json()) as { error?: { message: string } };
    if (res.statusCode >= 300) throw new Error(`gateway answered ${res.statusCode}: ${out.error?.message ?? 'error'}`);
    return out;
  };
  return {
    list: async (tenant) => ((await call('GET', `/api/admin/keys${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ''}`)) as { data: KeyView[] }).data,
    create: (body) => call('POST', '/api/admin/keys', body),
    update: (id, body) => call('PATCH', `/api/admin/keys/${encodeURIComponent(id)}`, body),
    rotate: (id) => call('POST', `/api/admin/keys/${encodeURIComponent(id)}/rotate`),
    revoke: (id) => call('DELETE', `/api/admin/keys/${encodeURIComponent(id)}`),
    close: async () => undefined,
  };
}

async function local(configPath: string | undefined): Promise<Backend> {
  const config = loadConfig(resolveConfigPath(configPath), process.env);
  if (config.source.storage.startsWith('none://')) throw new UsageError('this config has no storage database (storage: none://); use --url');
  const store = openAccessStore(config.source.storage);
  const registry = new KeyRegistry();
  registry.replace(await store.load());
  const admin = new AdminKeys(store, registry);
  const policy = config.guards;
  return {
    list: async (tenant) => admin.list(policy, tenant),
    create: (body) => admin.create(policy, body),
    update: (id, body) => admin.update(policy, id, body),
    rotate: (id) => admin.rotate(id),
    revoke: (id) => admin.revoke(id),
    close: () => store.close(),
  };
}

function createBody(v: Values): Record<string, unknown> {
  if (!v.name || !v.tenant) throw new UsageError('keys create needs --name and --tenant');
  return {
    name: v.name,
    tenant: v.tenant,
    ...(v.models ? { models: v.models.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
    ...(v.tier ? { budget: { tier: v.tier } } : {}),
  };
}

function printList(keys: KeyView[], json: boolean | undefined): void {
  for (const k of keys) {
    const state = k.revokedAt === null ? 'active' : 'revoked';
    process.stdout.write(json ? `${JSON.stringify(k)}\n` : `${k.id}\t${k.name}\t${k.tenant}\t${k.hint}\t${k.source}\t${state}\n`);
  }
}

export async function runKeys(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, true);
  const [action, id] = positionals;
  if (!action || !['create', 'list', 'update', 'rotate', 'revoke'].includes(action)) throw new UsageError('usage: tollgate keys create|list|update|rotate|revoke …');
  if (action !== 'create' && action !== 'list' && !id) throw new UsageError(`keys ${action} needs a key id (see tollgate keys list)`);
  // Flags are checked before any store or gateway is contacted.
  const body = action === 'create' ? createBody(values) : action === 'update' ? updateBody(values) : undefined;
  const backend = values.url ? remote(values.url, values['admin-key'] ?? process.env.TOLLGATE_ADMIN_KEY) : await local(values.config);
  try {
    if (action === 'list') printList(await backend.list(values.tenant), values.json);
    else {
      const out = action === 'create' ? await backend.create(body!) : action === 'update' ? await backend.update(id, body!)
        : action === 'rotate' ? await backend.rotate(id) : await backend.revoke(id);
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof GatewayError && (err.code === 'invalid_request' || err.code === 'route_not_found')) throw new UsageError(err.message);
    throw err;
  } finally {
    await backend.close();
  }
}
