// Unit tests for config loading: validateConfig turning zod issues into a ConfigError whose
// message and `issues` name each offending path (and never a secret value); YAML syntax errors
// reported with their line; YAML that is not a mapping, an alias bomb, and `__proto__` keys;
// `${VAR}` interpolation failures surfaced as ConfigError naming the path; loadConfigFile on
// real temp files (valid, missing, a directory); loadConfigDocument; and the no-file defaults
// built from OPENAI_API_KEY, ANTHROPIC_API_KEY and TOLLGATE_ADMIN_KEY.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError, defaultDocument, formatIssues, loadConfig, loadConfigDocument, loadConfigFile, parseConfigText, validateConfig,
} from './load.js';
import { configSchema } from './schema.js';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.name, 'ConfigError');
    return err;
  }
  assert.fail('expected a ConfigError');
}

describe('validateConfig', () => {
  test('null and undefined mean an empty document', () => {
    assert.equal(validateConfig(undefined).server.port, 8787);
    assert.equal(validateConfig(null).state, 'memory://');
  });

  test('collects every issue with its path, in the message and in `issues`', () => {
    const err = configError(() => validateConfig({ server: { port: -1, extra: true }, logging: { level: 'loud' } }));
    assert.equal(err.issues.length, 3);
    assert.ok(err.issues.some((i) => i.startsWith('server.port: ')), err.issues.join('\n'));
    assert.ok(err.issues.includes('server: Unrecognized key: "extra"'), err.issues.join('\n'));
    assert.ok(err.issues.some((i) => i.startsWith('logging.level: ')), err.issues.join('\n'));
    assert.equal(err.message, `invalid config:\n  ${err.issues.join('\n  ')}`);
  });

  test('array indexes are rendered in brackets', () => {
    const err = configError(() => validateConfig({
      providers: { openai: { type: 'openai' } },
      routes: { r: { targets: [{ provider: 'openai', model: 'm' }, { provider: 'nope', model: 'm' }] } },
    }));
    assert.deepEqual(err.issues, ['routes.r.targets[1].provider: unknown provider "nope"']);
  });

  test('a root-level problem is reported as (root)', () => {
    const err = configError(() => validateConfig({ typo: 1 }));
    assert.deepEqual(err.issues, ['(root): Unrecognized key: "typo"']);
  });

  test('secret values never appear in the message', () => {
    const err = configError(() => validateConfig({
      admin: { apiKey: 'hunter2-secret' },
      providers: { openai: { type: 'openai', apiKey: 'sk-live-123', baseUrl: 'sk-live-123' } },
    }));
    assert.equal(err.message.includes('hunter2'), false);
    assert.equal(err.message.includes('sk-live'), false);
  });

  test('formatIssues renders nested paths', () => {
    const r = configSchema.safeParse({ resilience: { timeouts: { idleMs: 'x' } } });
    assert.equal(r.success, false);
    if (!r.success) assert.match(formatIssues(r.error)[0], /^resilience\.timeouts\.idleMs: /);
  });

  test('a provider name breaking the name rule says which rule', () => {
    const err = configError(() => validateConfig({ providers: { 'Bad Name': { type: 'openai' } } }));
    assert.match(err.message, /letters, digits/);
  });
});

describe('parseConfigText', () => {
  test('parses YAML, interpolates and validates', () => {
    const cfg = parseConfigText(
      'server:\n  host: ${HOST:-0.0.0.0}\nproviders:\n  openai: { type: openai, apiKey: "${OPENAI_API_KEY}" }\n',
      { OPENAI_API_KEY: 'sk-x' },
    );
    assert.deepEqual(cfg.providers, { openai: { type: 'openai', apiKey: 'sk-x' } });
    assert.equal(cfg.server.host, '0.0.0.0');
    assert.equal(cfg.server.port, 8787);
  });

  test('a numeric field can come from the environment', () => {
    const cfg = parseConfigText('server:\n  port: ${PORT:-9999}\n', {});
    assert.equal(cfg.server.port, 9999);
  });

  test('an empty file or a comment-only file gives the defaults', () => {
    assert.equal(parseConfigText('', {}).server.port, 8787);
    assert.equal(parseConfigText('# nothing here\n', {}).storage, 'sqlite://./data/tollgate.db');
  });

  test('a YAML syntax error is a ConfigError with the line', () => {
    assert.equal(configError(() => parseConfigText('a: 1\nb: 2\nc: [1, 2\nd: 4\n', {})).message, 'config is not valid YAML at line 4');
    assert.equal(configError(() => parseConfigText('server:\n  port: 1\n\thost: x\n', {})).message, 'config is not valid YAML at line 3');
  });

  test('duplicate keys are a YAML error', () => {
    assert.equal(configError(() => parseConfigText('storage: sqlite://a\nstorage: sqlite://b\n', {})).message, 'config is not valid YAML at line 2');
  });

  test('an alias bomb is refused', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    let prev = 'a';
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g']) {
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
      prev = name;
    }
    const err = configError(() => parseConfigText(`${lines.join('\n')}\n`, {}));
    assert.match(err.message, /^config is not valid YAML/);
  });

  test('a recursive YAML alias is a ConfigError', () => {
    const err = configError(() => parseConfigText('server: &x\n  a: *x\n', {}));
    assert.match(err.message, /^server\.a: refers to itself/);
  });

  test('a document that is not a mapping is an invalid config', () => {
    assert.deepEqual(configError(() => parseConfigText('- 1\n- 2\n', {})).issues.length, 1);
    assert.match(configError(() => parseConfigText('just text', {})).message, /^invalid config:\n {2}\(root\): /);
  });

  test('an unset variable is a ConfigError naming the path', () => {
    const err = configError(() => parseConfigText('providers:\n  openai: { type: openai, apiKey: "${OPENAI_API_KEY}" }\n', {}));
    assert.equal(err.message, 'providers.openai.apiKey: environment variable OPENAI_API_KEY is not set');
    assert.deepEqual(err.issues, [err.message]);
  });

  test('a __proto__ key in YAML is dropped, not applied', () => {
    const cfg = parseConfigText('__proto__:\n  polluted: 1\nserver:\n  __proto__: { port: 1 }\n  port: 8788\n', {});
    assert.equal(cfg.server.port, 8788);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(cfg), Object.prototype);
  });
});

describe('loadConfigFile', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollgate-load-test-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('loads, interpolates, validates and compiles a file', () => {
    const file = join(dir, 'tollgate.yaml');
    writeFileSync(file, [
      'server: { port: 9100 }',
      'providers:',
      '  openai: { type: openai, apiKey: "${OPENAI_API_KEY}" }',
      'routes:',
      '  smart:',
      '    targets: [ { provider: openai, model: gpt-4o } ]',
      '',
    ].join('\n'));
    const rc = loadConfigFile(file, { OPENAI_API_KEY: 'sk-file' });
    assert.equal(rc.server.port, 9100);
    assert.equal(rc.providers.get('openai')?.settings.apiKey, 'sk-file');
    assert.deepEqual(rc.routes.get('smart')?.targets.map((t) => `${t.provider.name}/${t.model}`), ['openai/gpt-4o']);
    assert.equal(loadConfig(file, { OPENAI_API_KEY: 'sk-file' }).server.port, 9100);
  });

  test('a missing file is a ConfigError with the path and errno code', () => {
    const missing = join(dir, 'nope.yaml');
    assert.equal(configError(() => loadConfigFile(missing, {})).message, `cannot read config file ${missing}: ENOENT`);
    assert.equal(configError(() => loadConfig(missing, {})).message, `cannot read config file ${missing}: ENOENT`);
  });

  test('a directory is a ConfigError too', () => {
    assert.equal(configError(() => loadConfigFile(dir, {})).message, `cannot read config file ${dir}: EISDIR`);
  });

  test('an invalid file reports its problems', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'server:\n  prot: 1\n');
    assert.deepEqual(configError(() => loadConfigFile(file, {})).issues, ['server: Unrecognized key: "prot"']);
  });
});

describe('loadConfigDocument', () => {
  test('compiles an object document exactly as a file would be', () => {
    const rc = loadConfigDocument({ providers: { local: { type: 'openai', baseUrl: '${BASE:-http://127.0.0.1:9/v1}' } } }, {});
    assert.equal(rc.providers.get('local')?.settings.baseUrl, 'http://127.0.0.1:9/v1');
  });

  test('interpolation and validation errors are ConfigErrors', () => {
    assert.match(configError(() => loadConfigDocument({ admin: { apiKey: '${NOPE}' } }, {})).message, /^admin\.apiKey: environment variable NOPE/);
    assert.match(configError(() => loadConfigDocument({ nope: 1 }, {})).message, /Unrecognized key/);
  });
});

describe('defaults from the environment', () => {
  test('no env keys: no providers, no admin key', () => {
    assert.deepEqual(defaultDocument({}), { providers: {} });
    const rc = loadConfig(undefined, {});
    assert.equal(rc.providers.size, 0);
    assert.equal(rc.source.admin.apiKey, undefined);
    assert.equal(rc.source.storage, 'sqlite://./data/tollgate.db');
  });

  test('OPENAI_API_KEY, ANTHROPIC_API_KEY and TOLLGATE_ADMIN_KEY', () => {
    const env = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-ant-a', TOLLGATE_ADMIN_KEY: 'admin-key-0123456789' };
    const doc = defaultDocument(env);
    assert.deepEqual(doc.admin, { apiKey: 'admin-key-0123456789' });
    const providers = doc.providers as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(providers).sort(), ['anthropic', 'openai']);
    assert.deepEqual(providers.openai, { type: 'openai', apiKey: 'sk-o' });
    assert.equal(providers.anthropic.apiKey, 'sk-ant-a');
    const rc = loadConfig(undefined, env);
    assert.equal(rc.providers.get('openai')?.adapter.type, 'openai');
    assert.equal(rc.providers.get('anthropic')?.adapter.type, 'anthropic');
    assert.equal(rc.source.admin.apiKey, 'admin-key-0123456789');
    assert.ok(rc.modelIds.includes('openai/gpt-4o-mini'));
  });

  test('an empty admin key is ignored; a short one fails validation', () => {
    assert.equal(defaultDocument({ TOLLGATE_ADMIN_KEY: '' }).admin, undefined);
    assert.deepEqual(configError(() => loadConfig(undefined, { TOLLGATE_ADMIN_KEY: 'short' })).issues, ['admin.apiKey: admin.apiKey must be at least 16 characters']);
  });

  test('OPENAI_BASE_URL is honoured', () => {
    const rc = loadConfig(undefined, { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:9100/v1' });
    assert.equal(rc.providers.get('openai')?.settings.baseUrl, 'http://127.0.0.1:9100/v1');
  });
});
