/**
 * The JSON Schema of tollgate.yaml, generated from the zod schema (so the two cannot drift),
 * for editors' completion and validation. docs/tollgate.schema.json is this output, checked by
 * a test to be current.
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'Tollgate configuration (tollgate.yaml)' };
}
