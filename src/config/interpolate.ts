/**
 * `${VAR}` and `${VAR:-default}` interpolation over the parsed YAML tree. Only string values
 * are touched (never keys, never raw text), so an environment value cannot inject YAML.
 * A variable that is unset and has no default is an error naming the config path, so a
 * missing secret fails at start instead of being sent upstream as an empty string.
 */
export class InterpolationError extends Error {
  constructor(readonly path: string, readonly variable: string) {
    super(`${path}: environment variable ${variable} is not set`);
    this.name = 'InterpolationError';
  }
}

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function interpolateString(value: string, env: Readonly<Record<string, string | undefined>>, path: string): string {
  return value.replace(PATTERN, (_m, name: string, fallback: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    throw new InterpolationError(path, name);
  });
}

export class CyclicConfigError extends Error {
  constructor(readonly path: string) {
    super(`${path || '(root)'}: refers to itself (recursive YAML alias)`);
    this.name = 'CyclicConfigError';
  }
}

export function interpolateEnv(
  node: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path = '',
  ancestors: Set<object> = new Set(),
): unknown {
  if (typeof node === 'string') return interpolateString(node, env, path || '(root)');
  if (node === null || typeof node !== 'object') return node;
  if (ancestors.has(node)) throw new CyclicConfigError(path);
  ancestors.add(node);
  let out: unknown;
  if (Array.isArray(node)) {
    out = node.map((v, i) => interpolateEnv(v, env, `${path}[${i}]`, ancestors));
  } else {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === '__proto__') continue;
      obj[k] = interpolateEnv(v, env, path ? `${path}.${k}` : k, ancestors);
    }
    out = obj;
  }
  ancestors.delete(node);
  return out;
}
