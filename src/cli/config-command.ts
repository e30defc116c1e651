/**
 * `tollgate config check [FILE]` validates a config (exit 0, or 2 with one line per problem,
 * each naming its path) and `tollgate config schema` prints the JSON Schema for editors.
 */
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config/load.js';
import { configJsonSchema } from '../config/json-schema.js';
import { parseFlags, UsageError } from './usage-error.js';

export async function runConfigCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'check') {
    const { positionals } = parseFlags(rest, {}, true);
    const file = positionals[0] ?? 'tollgate.yaml';
    const config = loadConfig(file, process.env);
    process.stdout.write(`${file}: ok (${config.providers.size} providers, ${config.routes.size} routes)\n`);
    return 0;
  }
  if (sub === 'schema') {
    const { values } = parseFlags(rest, { out: { type: 'string', short: 'o' } });
    const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
    if (values.out) writeFileSync(values.out, text);
    else process.stdout.write(text);
    return 0;
  }
  throw new UsageError('usage: tollgate config check [FILE] | tollgate config schema [--out FILE]');
}
