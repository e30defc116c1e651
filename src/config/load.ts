/**
 * Loading a config: read the YAML file (or build defaults from the environment when there is
 * none), interpolate `${ENV}`, validate strictly, compile. Every failure becomes a ConfigError
 * whose message names the offending path, which the CLI prints and exits 2 on. Secrets are never
 * part of an error message: validation messages describe the rule, not the value.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ADAPTERS } from '../providers/registry.js';
import { compileConfig, type RuntimeConfig } from './compile.js';
import { CyclicConfigError, interpolateEnv, InterpolationError } from './interpolate.js';
import { configSchema, type Config } from './schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(message: string, readonly issues: readonly string[] = [message]) {
    super(message);
    this.name = 'ConfigError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    // A record key that breaks its rule carries the rule's own message one level down.
    const nested = i.code === 'invalid_key' ? i.issues.map((n) => n.message).join('; ') : '';
    return `${formatPath(i.path) || '(root)'}: ${nested || i.message}`;
  });
}

/** Validates an already-parsed document (after interpolation). */
export function validateConfig(doc: unknown): Config {
  const result = configSchema.safeParse(doc ?? {});
  if (!result.success) {
    const issues = formatIssues(result.error);
    throw new ConfigError(`invalid config:\n  ${issues.join('\n  ')}`, issues);
  }
  return result.data;
}

/** The document used when no config file is given: providers from well-known env keys. */
export function defaultDocument(env: Env): Record<string, unknown> {
  const providers: Record<string, unknown> = {};
  for (const adapter of ADAPTERS) Object.assign(providers, adapter.fromEnv(env));
  const doc: Record<string, unknown> = { providers };
  if (env.TOLLGATE_ADMIN_KEY) doc.admin = { apiKey: env.TOLLGATE_ADMIN_KEY };
  return doc;
}

export function parseConfigText(text: string, env: Env): Config {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new ConfigError(`config is not valid YAML${where}`);
  }
  return validateConfig(interpolateOrFail(doc, env));
}

function interpolateOrFail(doc: unknown, env: Env): unknown {
  try {
    return interpolateEnv(doc, env);
  } catch (err) {
    if (err instanceof InterpolationError || err instanceof CyclicConfigError) throw new ConfigError(err.message);
    throw err;
  }
}

export function loadConfigFile(path: string, env: Env): RuntimeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`cannot read config file ${path}: ${code}`);
  }
  return compileConfig(parseConfigText(text, env));
}

/** Compiles a config given as an object (tests, the demo) exactly as a file would be. */
export function loadConfigDocument(doc: unknown, env: Env): RuntimeConfig {
  return compileConfig(validateConfig(interpolateOrFail(doc, env)));
}

export function loadConfig(path: string | undefined, env: Env): RuntimeConfig {
  if (path) return loadConfigFile(path, env);
  return compileConfig(validateConfig(defaultDocument(env)));
}
